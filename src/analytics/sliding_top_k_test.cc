#include "analytics/sliding_top_k.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace reach::analytics {
namespace {

using ::testing::ElementsAre;

// 2024-01-01T00:00:00Z, a multiple of every bucket width used here.
constexpr EventTime kT0 = EventTime::FromSeconds(1704067200);

EventTime At(int minutes, int seconds = 0) {
  return kT0 + Duration::Minutes(minutes) + Duration::Seconds(seconds);
}

SlidingTopK Make(SlidingTopKOptions options) {
  auto s = SlidingTopK::Create(options);
  EXPECT_TRUE(s.ok()) << s.status();
  return *std::move(s);
}

SlidingTopKOptions Options(int window_minutes, int bucket_minutes, std::size_t capacity = 100) {
  SlidingTopKOptions o;
  o.window = Duration::Minutes(window_minutes);
  o.bucket = Duration::Minutes(bucket_minutes);
  o.bucket_capacity = capacity;
  return o;
}

TopicCount Tc(std::string topic, int64_t count, std::optional<double> sentiment = std::nullopt) {
  return TopicCount{std::move(topic), count, 0, sentiment};
}

TEST(SlidingTopKTest, CreateValidatesOptions) {
  EXPECT_EQ(SlidingTopK::Create(Options(15, 0)).status().code(),
            absl::StatusCode::kInvalidArgument);
  SlidingTopKOptions bad = Options(15, 1);
  bad.window = Duration::Seconds(90);  // not a multiple of 1 min
  EXPECT_EQ(SlidingTopK::Create(bad).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SlidingTopK::Create(Options(15, 1, 0)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(SlidingTopK::Create(SlidingTopKOptions::OneDay()).ok());
}

TEST(SlidingTopKTest, TopWithSentimentMeans) {
  SlidingTopK top = Make(Options(15, 1));
  ASSERT_TRUE(top.Add("brexit", At(0), 1, 0.5).ok());
  ASSERT_TRUE(top.Add("brexit", At(3), 1, -0.1).ok());
  ASSERT_TRUE(top.Add("brexit", At(3, 30)).ok());  // no sentiment
  ASSERT_TRUE(top.Add("kpop", At(4), 2, 0.8).ok());
  ASSERT_TRUE(top.Add("blm", At(5), 1).ok());
  EXPECT_THAT(top.Top(10), ElementsAre(Tc("brexit", 3, 0.2), Tc("kpop", 2, 0.8), Tc("blm", 1)));
  EXPECT_THAT(top.Top(1), ElementsAre(Tc("brexit", 3, 0.2)));
  EXPECT_EQ(top.total(), 6);
  EXPECT_EQ(top.window_end(), At(6));
  EXPECT_EQ(top.window_start(), At(6) - Duration::Minutes(15));
}

TEST(SlidingTopKTest, BucketsExpireWithInjectedEventTime) {
  SlidingTopK top = Make(Options(15, 1));
  ASSERT_TRUE(top.Add("old", At(0)).ok());
  ASSERT_TRUE(top.Add("new", At(10)).ok());
  ASSERT_TRUE(top.Add("new", At(14, 59)).ok());
  EXPECT_THAT(top.Top(5), ElementsAre(Tc("new", 2), Tc("old", 1)));

  top.AdvanceTo(At(14, 59));  // same bucket: nothing expires
  EXPECT_EQ(top.total(), 3);
  top.AdvanceTo(At(15));  // the bucket [0, 1 min) leaves the 15-bucket window
  EXPECT_THAT(top.Top(5), ElementsAre(Tc("new", 2)));
  top.AdvanceTo(At(10));  // time never goes back
  EXPECT_THAT(top.Top(5), ElementsAre(Tc("new", 2)));

  // Late events older than the window are rejected; events inside it still count.
  EXPECT_EQ(top.Add("late", At(0, 30)).code(), absl::StatusCode::kOutOfRange);
  EXPECT_TRUE(top.Add("late", At(1)).ok());
  EXPECT_THAT(top.Top(5), ElementsAre(Tc("new", 2), Tc("late", 1)));

  // An event far in the future advances the window past everything.
  ASSERT_TRUE(top.Add("future", At(600)).ok());
  EXPECT_THAT(top.Top(5), ElementsAre(Tc("future", 1)));
  EXPECT_EQ(top.total(), 1);

  EXPECT_EQ(top.Add("x", EventTime{}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(top.Add("x", At(600), 0).code(), absl::StatusCode::kInvalidArgument);
}

TEST(SlidingTopKTest, SeriesPerResolutionWithZeros) {
  SlidingTopK top = Make(Options(15, 1));
  ASSERT_TRUE(top.Add("a", At(1), 1, 1.0).ok());
  ASSERT_TRUE(top.Add("a", At(2), 2, 0.0).ok());
  ASSERT_TRUE(top.Add("b", At(7)).ok());
  ASSERT_TRUE(top.Add("a", At(11), 1, -0.5).ok());
  // Window: buckets [-3 min, 12 min) relative to kT0.
  auto series = top.Series("a", Duration::Minutes(5));
  ASSERT_TRUE(series.ok()) << series.status();
  EXPECT_THAT(
      *series,
      ElementsAre(SeriesPoint{At(-5), 0, 0, std::nullopt}, SeriesPoint{At(0), 3, 0, 1.0 / 3},
                  SeriesPoint{At(5), 0, 0, std::nullopt}, SeriesPoint{At(10), 1, 0, -0.5}));
  auto per_minute = top.Series("b", Duration::Minutes(1));
  ASSERT_TRUE(per_minute.ok());
  ASSERT_EQ(per_minute->size(), 15u);
  EXPECT_EQ(per_minute->front().start, At(-3));
  EXPECT_EQ((*per_minute)[10], (SeriesPoint{At(7), 1, 0, std::nullopt}));
  auto volume = top.VolumeSeries(Duration::Minutes(15));
  ASSERT_TRUE(volume.ok());
  EXPECT_THAT(*volume, ElementsAre(SeriesPoint{At(-15), 0, 0, std::nullopt},
                                   SeriesPoint{At(0), 5, 0, (1.0 + 0.0 - 0.5) / 4}));
  EXPECT_EQ(top.Series("a", Duration::Seconds(90)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(top.Series("a", Duration{}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SlidingTopKTest, RemoveUndoesAdd) {
  SlidingTopK top = Make(Options(60, 1));
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(top.Add("t" + std::to_string(i % 6), At(i), 1 + i % 2, 0.05 * i).ok());
  }
  const auto before_top = top.Top(10);
  const auto before_series = *top.Series("t1", Duration::Minutes(10));
  const auto before_volume = *top.VolumeSeries(Duration::Minutes(10));

  ASSERT_TRUE(top.Add("t1", At(5), 3, 0.9).ok());
  ASSERT_TRUE(top.Add("deleted", At(20), 1, -1.0).ok());
  ASSERT_TRUE(top.Add("t4", At(39, 10)).ok());
  EXPECT_NE(top.Top(10), before_top);
  ASSERT_TRUE(top.Remove("t1", At(5), 3, 0.9).ok());
  ASSERT_TRUE(top.Remove("deleted", At(20), 1, -1.0).ok());
  ASSERT_TRUE(top.Remove("t4", At(39, 10)).ok());

  const auto after_top = top.Top(10);
  ASSERT_EQ(after_top.size(), before_top.size());
  for (std::size_t i = 0; i < after_top.size(); ++i) {
    EXPECT_EQ(after_top[i].topic, before_top[i].topic);
    EXPECT_EQ(after_top[i].count, before_top[i].count);
    ASSERT_TRUE(after_top[i].sentiment_mean.has_value());
    EXPECT_NEAR(*after_top[i].sentiment_mean, *before_top[i].sentiment_mean, 1e-12);
  }
  const auto after_series = *top.Series("t1", Duration::Minutes(10));
  ASSERT_EQ(after_series.size(), before_series.size());
  for (std::size_t i = 0; i < after_series.size(); ++i) {
    EXPECT_EQ(after_series[i].count, before_series[i].count);
  }
  const auto after_volume = *top.VolumeSeries(Duration::Minutes(10));
  ASSERT_EQ(after_volume.size(), before_volume.size());
  for (std::size_t i = 0; i < after_volume.size(); ++i) {
    EXPECT_EQ(after_volume[i].count, before_volume[i].count);
  }

  EXPECT_EQ(top.Remove("never", At(30)).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(top.Remove("t0", At(41)).code(), absl::StatusCode::kOutOfRange);  // future
  top.AdvanceTo(At(100));
  EXPECT_EQ(top.Remove("t0", At(0)).code(), absl::StatusCode::kOutOfRange);  // expired
}

// Exact window counts by brute force over the event list.
std::map<std::string, int64_t> ExactWindow(
    const std::vector<std::pair<std::string, EventTime>>& events, EventTime start, EventTime end) {
  std::map<std::string, int64_t> out;
  for (const auto& [topic, t] : events) {
    if (t >= start && t < end) ++out[topic];
  }
  return out;
}

// A random stream with drifting popularity, checked at many points against brute force.
void CheckAgainstBruteForce(std::size_t capacity, bool expect_exact) {
  SlidingTopK top = Make(Options(60, 1, capacity));
  std::mt19937_64 rng(7);
  std::vector<std::pair<std::string, EventTime>> events;
  int64_t max_error_seen = 0;
  for (int step = 0; step < 6000; ++step) {
    const EventTime t = At(0) + Duration::Seconds(step * 3 + static_cast<int64_t>(rng() % 3));
    // Zipf-like skew: topic i with probability ~ 1/(i+1), plus a drift with time.
    const auto r = static_cast<double>(rng() % 100000) / 100000.0;
    const int base = static_cast<int>(1.0 / (r + 0.01));
    const std::string topic = "topic" + std::to_string((base + step / 1000) % 300);
    events.emplace_back(topic, t);
    ASSERT_TRUE(top.Add(topic, t).ok());
    if (step % 500 != 499) continue;
    const auto exact = ExactWindow(events, top.window_start(), top.window_end());
    int64_t n = 0;
    for (const auto& [k, c] : exact) n += c;
    ASSERT_EQ(top.total(), n);
    const auto reported = top.Top(1000000);
    std::map<std::string, const TopicCount*> by_topic;
    for (const auto& tc : reported) by_topic[tc.topic] = &tc;
    const double bound = static_cast<double>(n) / static_cast<double>(capacity);
    for (const auto& tc : reported) {
      const int64_t truth = exact.count(tc.topic) ? exact.at(tc.topic) : 0;
      EXPECT_GE(tc.count, truth) << tc.topic;
      EXPECT_LE(tc.count - tc.error, truth) << tc.topic;
      EXPECT_LE(static_cast<double>(tc.error), bound) << tc.topic;
      max_error_seen = std::max(max_error_seen, tc.error);
      if (expect_exact) {
        EXPECT_EQ(tc.count, truth) << tc.topic;
      }
    }
    for (const auto& [k, c] : exact) {
      if (expect_exact || static_cast<double>(c) > bound) {
        EXPECT_TRUE(by_topic.count(k)) << k << " " << c;
      }
    }
    // The series of the heaviest topic adds up to its count.
    const auto series = top.Series(reported[0].topic, Duration::Minutes(5));
    ASSERT_TRUE(series.ok());
    int64_t sum = 0;
    for (const auto& p : *series) sum += p.count;
    EXPECT_EQ(sum, reported[0].count);
  }
  if (expect_exact) {
    EXPECT_EQ(max_error_seen, 0);
  } else {
    EXPECT_GT(max_error_seen, 0);  // the bounded regime was exercised
  }
}

TEST(SlidingTopKTest, ExactRegimeMatchesBruteForce) { CheckAgainstBruteForce(400, true); }

TEST(SlidingTopKTest, BoundedRegimeStaysWithinErrorBound) { CheckAgainstBruteForce(8, false); }

}  // namespace
}  // namespace reach::analytics
