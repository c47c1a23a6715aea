// Top topics over a sliding event-time window, with a volume and sentiment series per topic.
//
// A topic is any string key the caller counts: a normalised hashtag or term (see terms.h), a
// cashtag, a domain. Each post contributes `weight` (normally 1) to each of its topics, with the
// post's sentiment (VADER compound, [-1, 1]) when known.
//
// Design: a ring of B = window / bucket time buckets, aligned on multiples of the bucket width
// since the epoch (UTC). Each bucket holds a Space-Saving summary (space_saving.h) of capacity k
// for the topics of the events whose time falls in it. The window is the B most recent buckets up
// to the newest event time seen (or AdvanceTo()), so it spans between window - bucket and window
// of event time. Queries merge the live buckets' summaries exactly (hash-map union).
//   - Exact regime: while no bucket has seen more than k distinct topics, every count, series
//     point and sentiment mean is exact (error 0).
//   - Bounded regime: beyond that, a bucket keeps its k heaviest topics (Space-Saving) and memory
//     stays O(B * k). For a window of total weight N, a topic's reported count is an upper bound
//     of its true window count and count - error a lower bound, with error <= N / k (each bucket b
//     contributes at most N_b / k, and sum N_b = N). Every topic whose true count exceeds N / k is
//     reported. Sentiment means then cover the posts seen while the topic was monitored.
// Suggested settings (presets below): 15 min and 1 h windows with 1 min buckets, 24 h with 15 min
// buckets; k = 2000 keeps ~60 * 2000 entries (~10 MB) for one hour.
//
//   REACH_ASSIGN_OR_RETURN(auto top, SlidingTopK::Create(SlidingTopKOptions::OneHour()));
//   REACH_RETURN_IF_ERROR(top.Add("worldcup", post.time, 1, sentiment.compound));
//   top.AdvanceTo(now);                       // expire buckets older than the window
//   auto best = top.Top(20);                  // [{topic, count, error, sentiment_mean}]
//   REACH_ASSIGN_OR_RETURN(auto series, top.Series("worldcup", Duration::Minutes(5)));
//
// Event times drive everything: no wall clock. An event newer than the window advances it; an
// event older than the window is rejected (OutOfRange) and not counted.
//
// Thread safety: not thread-safe; the engine's single writer thread owns an instance (queries are
// const and may run concurrently with each other, not with mutations).
// Ownership: copies topic strings. Errors: Create() returns InvalidArgument for a non-positive
// bucket, a window that is not a positive multiple of the bucket, or k = 0; Add()/Remove() return
// InvalidArgument for an unknown time (0) or a non-positive weight, OutOfRange for a time outside
// the window, and Remove() NotFound for a topic not monitored in that bucket.
// Cost: Add()/Remove() O(log k); AdvanceTo() O(B) when the newest bucket changes, else O(1);
// Top(n) O(M + M log n) and Series() O(B) hash lookups, with M <= B * k the merged entries.
#ifndef REACH_ANALYTICS_SLIDING_TOP_K_H_
#define REACH_ANALYTICS_SLIDING_TOP_K_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analytics/space_saving.h"
#include "common/status.h"
#include "common/time.h"

namespace reach::analytics {

struct SlidingTopKOptions {
  Duration window = Duration::Hours(1);
  Duration bucket = Duration::Minutes(1);
  // Space-Saving capacity per bucket (k).
  std::size_t bucket_capacity = 2000;

  static SlidingTopKOptions FifteenMinutes() {
    return {Duration::Minutes(15), Duration::Minutes(1)};
  }
  static SlidingTopKOptions OneHour() { return {Duration::Hours(1), Duration::Minutes(1)}; }
  static SlidingTopKOptions OneDay() { return {Duration::Hours(24), Duration::Minutes(15)}; }
};

struct TopicCount {
  std::string topic;
  // Upper bound of the true count in the window (exact when error == 0).
  int64_t count = 0;
  // count - error is a lower bound of the true count.
  int64_t error = 0;
  // Weighted mean sentiment of the topic's posts, nullopt when none carried a sentiment.
  std::optional<double> sentiment_mean;

  friend bool operator==(const TopicCount&, const TopicCount&) = default;
};

struct SeriesPoint {
  // Start of the point's interval (a multiple of the resolution since the epoch).
  EventTime start;
  // Count in the interval (an upper bound; exact when error == 0) and its error bound.
  int64_t count = 0;
  int64_t error = 0;
  std::optional<double> sentiment_mean;

  friend bool operator==(const SeriesPoint&, const SeriesPoint&) = default;
};

class SlidingTopK {
 public:
  [[nodiscard]] static absl::StatusOr<SlidingTopK> Create(const SlidingTopKOptions& options);

  // Counts `weight` occurrences of `topic` at time `t`, with an optional sentiment per occurrence.
  absl::Status Add(std::string_view topic, EventTime t, int64_t weight = 1,
                   std::optional<double> sentiment = std::nullopt);

  // Undoes an Add() with the same arguments (a deleted post), if its bucket is still in the window.
  absl::Status Remove(std::string_view topic, EventTime t, int64_t weight = 1,
                      std::optional<double> sentiment = std::nullopt);

  // Moves the window forward so that it ends with the bucket containing `now`, dropping older
  // buckets. Times at or before the newest bucket are no-ops (time never goes back).
  void AdvanceTo(EventTime now);

  // The `n` topics with the highest counts in the window, highest first; ties by topic ascending.
  [[nodiscard]] std::vector<TopicCount> Top(std::size_t n) const;

  // The topic's counts over the window, one point per `resolution` interval (a positive multiple
  // of the bucket width), oldest first, zeros included; empty before the first event.
  // InvalidArgument for a bad resolution.
  [[nodiscard]] absl::StatusOr<std::vector<SeriesPoint>> Series(std::string_view topic,
                                                                Duration resolution) const;

  // Total weight of all topics per interval, like Series() (exact: buckets count every event).
  [[nodiscard]] absl::StatusOr<std::vector<SeriesPoint>> VolumeSeries(Duration resolution) const;

  // Total weight counted in the window.
  [[nodiscard]] int64_t total() const;
  // Start of the oldest bucket and end of the newest bucket of the window; both 0 before any event.
  [[nodiscard]] EventTime window_start() const;
  [[nodiscard]] EventTime window_end() const;
  [[nodiscard]] const SlidingTopKOptions& options() const { return options_; }

 private:
  struct Bucket {
    explicit Bucket(SpaceSaving s) : summary(std::move(s)) {}

    int64_t number = 0;  // start / bucket width; meaningful only when `used`
    bool used = false;
    SpaceSaving summary;
    // Sum of sentiment * weight and the weight with a sentiment, over every event of the bucket.
    double sentiment_sum = 0.0;
    int64_t sentiment_weight = 0;
  };

  SlidingTopK(const SlidingTopKOptions& options, std::vector<Bucket> buckets);

  [[nodiscard]] int64_t BucketNumber(EventTime t) const;
  [[nodiscard]] bool Live(const Bucket& b) const;
  [[nodiscard]] Bucket& Slot(int64_t number);
  [[nodiscard]] const Bucket* LiveBucket(int64_t number) const;
  // Validates arguments and finds the live bucket of `t`, creating it if `create`.
  absl::StatusOr<Bucket*> BucketFor(EventTime t, int64_t weight, bool create);
  template <class PointFn>
  absl::StatusOr<std::vector<SeriesPoint>> BuildSeries(Duration resolution, PointFn point) const;

  SlidingTopKOptions options_;
  int64_t num_buckets_;
  bool has_head_ = false;
  int64_t head_ = 0;  // number of the newest bucket
  std::vector<Bucket> buckets_;
};

}  // namespace reach::analytics

#endif  // REACH_ANALYTICS_SLIDING_TOP_K_H_
