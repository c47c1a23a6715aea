// Spike detection for topics: a topic's current rate against its own recent baseline.
//
// Rule (as social listening tools do it), evaluated in event time whenever a topic is observed:
//   current  = the topic's count in the current window (default: the last hour),
//   baseline = the topic's mean count per current-window length over the baseline window just
//              before it (default: the 12 hours before the last hour), at least `baseline_floor`
//              (default 1, so a brand-new topic has baseline 1),
//   spike    when current >= max(min_count, ratio * baseline)   (defaults 10 and 3),
//   z        = (current - baseline) / sqrt(max(baseline, 1))    (Poisson standard score),
// with at most one alert per topic per `cooldown` (default 1 h) of event time. Counts are kept in
// time buckets (default 5 min) aligned on multiples of the bucket width since the epoch; the
// current window is the C = current_window / bucket most recent buckets up to the newest event
// time (so it spans between current_window - bucket and current_window), the baseline the
// baseline_window / bucket buckets before them.
// Warm-up: while the stream has less than `min_history` (default 1 h) of history before the
// current window, no alert fires; until the history covers the whole baseline window, the
// baseline is the mean over the history there is (so replaying a short capture does not flag
// every topic as new).
//
//   REACH_ASSIGN_OR_RETURN(auto spikes, SpikeDetector::Create(SpikeOptions{}));
//   REACH_ASSIGN_OR_RETURN(std::optional<Alert> alert, spikes.Observe("worldcup", post.time));
//   if (alert) alerts.push_back(*alert);   // {topic, at, current, baseline, ratio, z}
//
// Deterministic: driven only by the event times passed in (the newest one is "now"); no clock.
// Thread safety: not thread-safe; owned by the engine's single writer thread.
// Ownership: copies topic strings. Errors: Create() returns InvalidArgument for inconsistent
// options; Observe()/Remove() return InvalidArgument for an unknown time (0) or a non-positive
// weight and OutOfRange for a time older than the baseline window; Remove() NotFound when there
// is nothing to remove. Cost: Observe() is O(1 + b) with b <= (current + baseline) / bucket
// (156 by default) the topic's non-empty buckets; memory is one counter per (topic, non-empty
// bucket) over the last current + baseline window (13 h); topics with no events in that span are
// dropped once per current window of event time (O(T) sweep).
#ifndef REACH_ANALYTICS_SPIKE_DETECTOR_H_
#define REACH_ANALYTICS_SPIKE_DETECTOR_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "common/status.h"
#include "common/time.h"

namespace reach::analytics {

struct SpikeOptions {
  Duration current_window = Duration::Hours(1);
  Duration baseline_window = Duration::Hours(12);
  // Both windows must be positive multiples of the bucket.
  Duration bucket = Duration::Minutes(5);
  // Minimum current count for an alert.
  int64_t min_count = 10;
  // Minimum current / baseline for an alert (> 0).
  double ratio = 3.0;
  // Smallest baseline (per current window) used (> 0), e.g. for topics never seen before.
  double baseline_floor = 1.0;
  // History needed before the current window for any alert (0 .. baseline_window).
  Duration min_history = Duration::Hours(1);
  // Minimum event time between two alerts for the same topic.
  Duration cooldown = Duration::Hours(1);
};

struct Alert {
  std::string topic;
  // Event time of the evaluation (the newest event time seen).
  EventTime at;
  // Count in the current window.
  int64_t current = 0;
  // Mean count per current window over the baseline (>= baseline_floor).
  double baseline = 0.0;
  // current / baseline.
  double ratio = 0.0;
  // (current - baseline) / sqrt(max(baseline, 1)).
  double z = 0.0;

  friend bool operator==(const Alert&, const Alert&) = default;
};

// The numbers of the rule for one topic at the current time.
struct SpikeStats {
  int64_t current = 0;
  double baseline = 0.0;
  double ratio = 0.0;
  double z = 0.0;
  // Enough history for alerts (see min_history).
  bool warmed_up = false;
  // The rule holds (regardless of cooldown and warm-up).
  bool spiking = false;
};

class SpikeDetector {
 public:
  [[nodiscard]] static absl::StatusOr<SpikeDetector> Create(const SpikeOptions& options);

  // Counts `weight` events of `topic` at `t` (which becomes "now" if it is the newest time seen),
  // then evaluates the topic at now. Returns the alert when it spikes and is not cooling down.
  absl::StatusOr<std::optional<Alert>> Observe(std::string_view topic, EventTime t,
                                               int64_t weight = 1);

  // Undoes an Observe() (a deleted post) while its bucket is still within the windows. Does not
  // retract an alert already emitted.
  absl::Status Remove(std::string_view topic, EventTime t, int64_t weight = 1);

  // The rule's numbers for `topic` at the current time (zeros/floor for an unknown topic).
  [[nodiscard]] SpikeStats Stats(std::string_view topic) const;

  // The newest event time seen (0 before the first event).
  [[nodiscard]] EventTime now() const { return now_; }
  // Number of topics with counts in the windows.
  [[nodiscard]] std::size_t topic_count() const { return topics_.size(); }
  [[nodiscard]] const SpikeOptions& options() const { return options_; }

 private:
  struct TopicState {
    // (bucket number, count), ascending by bucket number, counts > 0.
    std::deque<std::pair<int64_t, int64_t>> buckets;
    std::optional<EventTime> last_alert;
  };

  explicit SpikeDetector(const SpikeOptions& options);

  [[nodiscard]] int64_t BucketNumber(EventTime t) const;
  [[nodiscard]] SpikeStats Evaluate(const TopicState& state) const;
  void Prune(TopicState* state) const;
  void Sweep();

  SpikeOptions options_;
  int64_t current_buckets_;
  int64_t baseline_buckets_;
  EventTime now_;
  int64_t head_ = 0;          // bucket number of now_
  int64_t first_bucket_ = 0;  // oldest bucket observed (history start)
  int64_t last_sweep_ = 0;    // head_ at the last sweep
  bool started_ = false;
  absl::flat_hash_map<std::string, TopicState> topics_;
};

}  // namespace reach::analytics

#endif  // REACH_ANALYTICS_SPIKE_DETECTOR_H_
