// WindowedCounters: per-user metric totals over sliding event-time windows (15 min, 1 h, 24 h) and
// all time, updated by contributions and by advancing the window end.
//
// Each sliding window is a ring of time buckets (15 s, 1 min and 15 min wide: 60, 60 and 96
// buckets), like GraphJet's time segments: a contribution lands in the bucket of its event time and
// in the window's running totals; when the window end moves past a bucket, the bucket's sums are
// subtracted from the totals and the bucket is dropped, so memory is bounded by the activity inside
// the window. A window therefore covers whole buckets: (end - length, end] rounded to its bucket
// width.
//
// Results do not depend on arrival order: a contribution older than a window's first live bucket is
// not added to that window, exactly as it would have expired had it arrived in order. Reversing a
// contribution (delta negated) undoes it wherever it still counts.
//
// Beside the sums, each user has a SlidingHyperLogLog of the accounts that engaged with them
// (reshares, quotes, replies, likes: contributions with an engager), which answers the unique
// engaged audience of every window from one sketch; its window starts are the same bucket
// boundaries as the counters'. A sketch cannot forget one engager, so reversing an engagement marks
// the user's audience stale; the owner (the engine) rebuilds stale sketches from the engagements
// that are still live (ClearAudience, AddAudience, FinishAudienceRebuild). Sketch entries older
// than the 24 h window are dropped (each register's all-time maximum stays) when the 24 h window
// moves past a bucket, so a user's sketch is bounded (see sliding_hyperloglog.h).
//
// Thread safety: none; owned and used by the engine's writer thread only.
// Cost: Add is O(1) expected per window (plus a sketch insert, O(entries of the user's sketch));
// AdvanceTo is O(entries in expired buckets), and O(all sketch entries) once per 15 minutes of
// event time.
#ifndef REACH_ENGINE_WINDOWED_COUNTERS_H_
#define REACH_ENGINE_WINDOWED_COUNTERS_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "analytics/sliding_hyperloglog.h"
#include "common/ids.h"
#include "common/time.h"
#include "engine/metric.h"
#include "engine/snapshot.h"
#include "engine/window.h"

namespace reach::engine {

// Sums of one user's contributions. Depth keeps a count per level, and reshares a count per post,
// so that removals are exact.
struct MetricAccumulator {
  std::array<int64_t, 6> sums{};                          // indexed by Metric, kPosts..kMentions
  std::vector<std::pair<int32_t, int64_t>> depth_counts;  // (level, observations), sorted by level
  std::vector<std::pair<PostId, int64_t>> post_reshares;  // (post, reshares), sorted by post

  void Apply(const Contribution& c, int64_t sign);
  void Subtract(const MetricAccumulator& other);
  [[nodiscard]] bool empty() const;
  [[nodiscard]] int32_t max_depth() const;
  // Every metric but the audience.
  [[nodiscard]] UserMetrics ToMetrics() const;
};

// The audience sketch's precision: 2^10 registers, 3.25 % standard error.
inline constexpr int kAudiencePrecision = 10;

class WindowedCounters {
 public:
  WindowedCounters();

  // Adds (sign = +1) or reverses (sign = -1) a contribution in every window it falls in.
  void Apply(const Contribution& c, int64_t sign = 1);
  // Moves every window's end to `end` (never backwards), expiring the buckets that fall out.
  void AdvanceTo(EventTime end);
  [[nodiscard]] EventTime end() const { return end_; }

  // The user's metrics in a window; zeros when the user has none there.
  [[nodiscard]] UserMetrics Get(UserId user, Window w) const;
  // The estimated unique engaged audience of the user in the window.
  [[nodiscard]] int64_t Audience(UserId user, Window w) const;
  // The first event time inside a sliding window (its first live bucket's start); the minimum
  // time for all time.
  [[nodiscard]] EventTime WindowStart(Window w) const;
  // Entries kept by all audience sketches (for memory accounting and tests).
  [[nodiscard]] size_t audience_entries() const;

  // Rebuilding audiences after reversals: the users whose sketch may hold a withdrawn engager
  // (cleared by the call), then for each of them ClearAudience, AddAudience for every live
  // engagement, and FinishAudienceRebuild.
  [[nodiscard]] bool audience_stale() const { return !audience_stale_.empty(); }
  absl::flat_hash_set<UserId> TakeStaleAudience();
  void ClearAudience(UserId user);
  // Adds the engager of an engagement contribution (others are ignored) to its user's sketch.
  void AddAudience(const Contribution& c);
  void FinishAudienceRebuild(const absl::flat_hash_set<UserId>& users);
  // Calls fn(user, metrics) for every user with a non-empty total in the window.
  void ForEach(Window w, const std::function<void(UserId, const UserMetrics&)>& fn) const;
  [[nodiscard]] size_t users_in(Window w) const;

 private:
  struct Sliding {
    int64_t bucket_micros = 0;
    int64_t bucket_count = 0;
    std::map<int64_t, absl::flat_hash_map<UserId, MetricAccumulator>> buckets;  // by bucket index
    absl::flat_hash_map<UserId, MetricAccumulator> totals;
  };

  [[nodiscard]] int64_t FirstLiveBucket(const Sliding& s) const;
  void Expire(Sliding& s);

  EventTime end_;
  std::array<Sliding, 3> sliding_;  // 15m, 1h, 24h
  absl::flat_hash_map<UserId, MetricAccumulator> all_time_;
  absl::flat_hash_map<UserId, analytics::SlidingHyperLogLog> audience_;
  absl::flat_hash_set<UserId> audience_stale_;
  int64_t audience_horizon_ = INT64_MIN;  // sketch entries before it have been dropped
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_WINDOWED_COUNTERS_H_
