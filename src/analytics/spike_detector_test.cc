#include "analytics/spike_detector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace reach::analytics {
namespace {

// 2024-01-01T00:00:00Z, a multiple of the 5 min bucket.
constexpr EventTime kT0 = EventTime::FromSeconds(1704067200);

EventTime At(int64_t minutes, int64_t seconds = 0) {
  return kT0 + Duration::Minutes(minutes) + Duration::Seconds(seconds);
}

SpikeDetector Make(SpikeOptions options = {}) {
  auto d = SpikeDetector::Create(options);
  EXPECT_TRUE(d.ok()) << d.status();
  return *std::move(d);
}

// Observes and returns the alerts (failing the test on an error status).
std::vector<Alert> Feed(SpikeDetector* d, std::string_view topic, EventTime t, int times = 1) {
  std::vector<Alert> out;
  for (int i = 0; i < times; ++i) {
    auto r = d->Observe(topic, t);
    EXPECT_TRUE(r.ok()) << r.status();
    if (r.ok() && r->has_value()) out.push_back(**r);
  }
  return out;
}

// One event of `topic` per 5 min bucket (12 per hour) for buckets [from, to).
std::vector<Alert> Steady(SpikeDetector* d, std::string_view topic, int from, int to) {
  std::vector<Alert> out;
  for (int k = from; k < to; ++k) {
    auto a = Feed(d, topic, At(5 * k, 1));
    out.insert(out.end(), a.begin(), a.end());
  }
  return out;
}

TEST(SpikeDetectorTest, CreateValidatesOptions) {
  SpikeOptions o;
  o.ratio = 0;
  EXPECT_EQ(SpikeDetector::Create(o).status().code(), absl::StatusCode::kInvalidArgument);
  o = {};
  o.current_window = Duration::Minutes(7);  // not a multiple of 5 min
  EXPECT_EQ(SpikeDetector::Create(o).status().code(), absl::StatusCode::kInvalidArgument);
  o = {};
  o.baseline_floor = 0;
  EXPECT_EQ(SpikeDetector::Create(o).status().code(), absl::StatusCode::kInvalidArgument);
  o = {};
  o.min_history = Duration::Hours(13);
  EXPECT_EQ(SpikeDetector::Create(o).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SpikeDetectorTest, SteadyStreamNeverAlerts) {
  SpikeDetector d = Make();
  // 12 events per hour for two days: current 11..12 against a baseline of 12.
  EXPECT_THAT(Steady(&d, "steady", 0, 48 * 12), ::testing::IsEmpty());
  const SpikeStats s = d.Stats("steady");
  EXPECT_TRUE(s.warmed_up);
  EXPECT_FALSE(s.spiking);
  EXPECT_EQ(s.current, 12);
  EXPECT_DOUBLE_EQ(s.baseline, 12.0);
}

TEST(SpikeDetectorTest, BurstAlertsOnceWithTheRuleNumbers) {
  SpikeDetector d = Make();
  // Steady 12/h over buckets 0..155 (13 h), then a burst in bucket 156 (13:00-13:05).
  ASSERT_THAT(Steady(&d, "brexit", 0, 156), ::testing::IsEmpty());
  // Current window = buckets 145..156 holds 11 steady events; baseline buckets 1..144 hold 144
  // events over 12 h = 12/h; the rule needs current >= max(10, 3 * 12) = 36: the 25th burst event.
  std::vector<Alert> alerts = Feed(&d, "brexit", At(13 * 60, 10), 24);
  EXPECT_THAT(alerts, ::testing::IsEmpty());
  alerts = Feed(&d, "brexit", At(13 * 60, 20));
  ASSERT_EQ(alerts.size(), 1u);
  const Alert& a = alerts[0];
  EXPECT_EQ(a.topic, "brexit");
  EXPECT_EQ(a.at, At(13 * 60, 20));
  EXPECT_EQ(a.current, 36);
  EXPECT_DOUBLE_EQ(a.baseline, 12.0);
  EXPECT_DOUBLE_EQ(a.ratio, 3.0);
  EXPECT_DOUBLE_EQ(a.z, 24.0 / std::sqrt(12.0));

  // Still spiking, but cooling down for an hour of event time.
  EXPECT_THAT(Feed(&d, "brexit", At(13 * 60 + 30), 50), ::testing::IsEmpty());
  EXPECT_TRUE(d.Stats("brexit").spiking);
  // After the cooldown, a spike that still holds alerts again.
  alerts = Feed(&d, "brexit", At(14 * 60 + 21), 100);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].at, At(14 * 60 + 21));
}

TEST(SpikeDetectorTest, NewTopicUsesTheBaselineFloor) {
  SpikeDetector d = Make();
  ASSERT_THAT(Steady(&d, "other", 0, 30), ::testing::IsEmpty());        // 2.5 h of stream history
  EXPECT_THAT(Feed(&d, "fresh", At(150, 5), 9), ::testing::IsEmpty());  // below min_count 10
  const std::vector<Alert> alerts = Feed(&d, "fresh", At(150, 6));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].current, 10);
  EXPECT_DOUBLE_EQ(alerts[0].baseline, 1.0);
  EXPECT_DOUBLE_EQ(alerts[0].ratio, 10.0);
  EXPECT_DOUBLE_EQ(alerts[0].z, 9.0);
}

TEST(SpikeDetectorTest, ShortHistoryBaselineAndWarmUp) {
  SpikeDetector d = Make();
  // A burst at the very start of the stream is not a spike: there is no history yet.
  EXPECT_THAT(Feed(&d, "start", At(0, 1), 100), ::testing::IsEmpty());
  EXPECT_FALSE(d.Stats("start").warmed_up);
  // 2 h later, the baseline is the mean over the 1 h of history before the current window
  // (buckets 0..11, with the 100 events): 100 per hour.
  Steady(&d, "other", 1, 24);
  const SpikeStats s = d.Stats("start");
  EXPECT_TRUE(s.warmed_up);
  EXPECT_EQ(s.current, 0);
  EXPECT_DOUBLE_EQ(s.baseline, 100.0);
  EXPECT_DOUBLE_EQ(s.z, -100.0 / 10.0);
}

TEST(SpikeDetectorTest, RemoveUndoesObserve) {
  SpikeDetector d = Make();
  Steady(&d, "t", 0, 40);
  const SpikeStats before = d.Stats("t");
  ASSERT_TRUE(d.Observe("t", At(195)).ok());
  ASSERT_TRUE(d.Observe("t", At(100)).ok());  // out of order, still in the baseline window
  EXPECT_EQ(d.Stats("t").current, before.current + 1);
  ASSERT_TRUE(d.Remove("t", At(195)).ok());
  ASSERT_TRUE(d.Remove("t", At(100)).ok());
  const SpikeStats after = d.Stats("t");
  EXPECT_EQ(after.current, before.current);
  EXPECT_DOUBLE_EQ(after.baseline, before.baseline);
  ASSERT_TRUE(d.Remove("t", At(100, 1)).ok());                            // the steady event
  EXPECT_EQ(d.Remove("t", At(101)).code(), absl::StatusCode::kNotFound);  // now an empty bucket
  EXPECT_EQ(d.Remove("nope", At(195)).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(d.Remove("t", At(400)).code(), absl::StatusCode::kOutOfRange);  // future
}

TEST(SpikeDetectorTest, RejectsBadInputAndTooOldEvents) {
  SpikeDetector d = Make();
  EXPECT_EQ(d.Observe("t", EventTime{}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(d.Observe("t", At(0), 0).status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(d.Observe("t", At(14 * 60)).ok());
  // The baseline window starts 13 h before the end of the newest bucket, at 01:05.
  EXPECT_EQ(d.Observe("t", At(64, 59)).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_TRUE(d.Observe("t", At(65)).ok());
}

TEST(SpikeDetectorTest, IdleTopicsAreDropped) {
  SpikeDetector d = Make();
  Feed(&d, "once", At(0, 1));
  Steady(&d, "other", 1, 12 * 12);
  EXPECT_EQ(d.topic_count(), 2u);
  Steady(&d, "other", 12 * 12, 15 * 12);  // 'once' is older than 13 h
  EXPECT_EQ(d.topic_count(), 1u);
  EXPECT_EQ(d.Stats("once").current, 0);
}

}  // namespace
}  // namespace reach::analytics
