#include "analytics/spike_detector.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace reach::analytics {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

absl::string_view AsKey(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool PositiveMultiple(Duration d, Duration unit) {
  return d.micros > 0 && d.micros % unit.micros == 0;
}

}  // namespace

absl::StatusOr<SpikeDetector> SpikeDetector::Create(const SpikeOptions& options) {
  if (options.bucket.micros <= 0) {
    return absl::InvalidArgumentError("spike bucket width must be positive");
  }
  if (!PositiveMultiple(options.current_window, options.bucket) ||
      !PositiveMultiple(options.baseline_window, options.bucket)) {
    return absl::InvalidArgumentError(
        "spike current and baseline windows must be positive multiples of the bucket width");
  }
  if (options.min_count < 0) return absl::InvalidArgumentError("spike min_count must be >= 0");
  if (!(options.ratio > 0.0)) return absl::InvalidArgumentError("spike ratio must be positive");
  if (!(options.baseline_floor > 0.0)) {
    return absl::InvalidArgumentError("spike baseline_floor must be positive");
  }
  if (options.min_history.micros < 0 || options.min_history > options.baseline_window) {
    return absl::InvalidArgumentError("spike min_history must be within [0, baseline_window]");
  }
  if (options.cooldown.micros < 0) return absl::InvalidArgumentError("spike cooldown must be >= 0");
  return SpikeDetector(options);
}

SpikeDetector::SpikeDetector(const SpikeOptions& options)
    : options_(options),
      current_buckets_(options.current_window.micros / options.bucket.micros),
      baseline_buckets_(options.baseline_window.micros / options.bucket.micros) {}

int64_t SpikeDetector::BucketNumber(EventTime t) const {
  return FloorDiv(t.micros, options_.bucket.micros);
}

SpikeStats SpikeDetector::Evaluate(const TopicState& state) const {
  const int64_t current_lo = head_ - current_buckets_ + 1;
  const int64_t baseline_lo = current_lo - baseline_buckets_;
  int64_t current = 0;
  int64_t baseline_sum = 0;
  for (const auto& [number, count] : state.buckets) {
    if (number >= current_lo) {
      current += count;
    } else if (number >= baseline_lo) {
      baseline_sum += count;
    }
  }
  const int64_t history_buckets =
      std::max<int64_t>(0, current_lo - std::max(baseline_lo, first_bucket_));
  const double periods =
      static_cast<double>(history_buckets) / static_cast<double>(current_buckets_);
  double baseline = periods > 0.0 ? static_cast<double>(baseline_sum) / periods : 0.0;
  baseline = std::max(baseline, options_.baseline_floor);

  SpikeStats s;
  s.current = current;
  s.baseline = baseline;
  s.ratio = static_cast<double>(current) / baseline;
  s.z = (static_cast<double>(current) - baseline) / std::sqrt(std::max(baseline, 1.0));
  s.warmed_up = started_ && history_buckets * options_.bucket.micros >= options_.min_history.micros;
  s.spiking = static_cast<double>(current) >=
              std::max(static_cast<double>(options_.min_count), options_.ratio * baseline);
  return s;
}

void SpikeDetector::Prune(TopicState* state) const {
  const int64_t oldest = head_ - current_buckets_ - baseline_buckets_ + 1;
  while (!state->buckets.empty() && state->buckets.front().first < oldest) {
    state->buckets.pop_front();
  }
}

void SpikeDetector::Sweep() {
  last_sweep_ = head_;
  for (auto it = topics_.begin(); it != topics_.end();) {
    TopicState& state = it->second;
    Prune(&state);
    const bool cooling =
        state.last_alert.has_value() && now_ - *state.last_alert < options_.cooldown;
    if (state.buckets.empty() && !cooling) {
      topics_.erase(it++);
    } else {
      ++it;
    }
  }
}

absl::StatusOr<std::optional<Alert>> SpikeDetector::Observe(std::string_view topic, EventTime t,
                                                            int64_t weight) {
  if (!t.known()) return absl::InvalidArgumentError("event time is unknown");
  if (weight <= 0) return absl::InvalidArgumentError("weight must be positive");
  const int64_t n = BucketNumber(t);
  if (!started_) {
    started_ = true;
    now_ = t;
    head_ = n;
    first_bucket_ = n;
    last_sweep_ = n;
  } else if (t > now_) {
    now_ = t;
    head_ = n;
  }
  if (n <= head_ - current_buckets_ - baseline_buckets_) {
    return absl::OutOfRangeError("event time is older than the baseline window");
  }
  first_bucket_ = std::min(first_bucket_, n);
  if (head_ - last_sweep_ >= current_buckets_) Sweep();

  auto it = topics_.find(AsKey(topic));
  if (it == topics_.end()) it = topics_.try_emplace(std::string(topic)).first;
  TopicState& state = it->second;
  // Insert the count keeping bucket order; events nearly always land in the newest bucket.
  auto pos = state.buckets.end();
  while (pos != state.buckets.begin() && std::prev(pos)->first > n) --pos;
  if (pos != state.buckets.begin() && std::prev(pos)->first == n) {
    std::prev(pos)->second += weight;
  } else {
    state.buckets.insert(pos, {n, weight});
  }
  Prune(&state);

  const SpikeStats stats = Evaluate(state);
  if (!stats.warmed_up || !stats.spiking) return std::optional<Alert>();
  if (state.last_alert.has_value() && now_ - *state.last_alert < options_.cooldown) {
    return std::optional<Alert>();
  }
  state.last_alert = now_;
  Alert alert;
  alert.topic = std::string(topic);
  alert.at = now_;
  alert.current = stats.current;
  alert.baseline = stats.baseline;
  alert.ratio = stats.ratio;
  alert.z = stats.z;
  return std::optional<Alert>(std::move(alert));
}

absl::Status SpikeDetector::Remove(std::string_view topic, EventTime t, int64_t weight) {
  if (!t.known()) return absl::InvalidArgumentError("event time is unknown");
  if (weight <= 0) return absl::InvalidArgumentError("weight must be positive");
  const int64_t n = BucketNumber(t);
  if (!started_ || n > head_ || n <= head_ - current_buckets_ - baseline_buckets_) {
    return absl::OutOfRangeError("event time is outside the windows");
  }
  auto it = topics_.find(AsKey(topic));
  if (it == topics_.end()) return absl::NotFoundError("topic has no counts");
  TopicState& state = it->second;
  auto bucket = std::find_if(state.buckets.begin(), state.buckets.end(),
                             [n](const auto& b) { return b.first == n; });
  if (bucket == state.buckets.end()) return absl::NotFoundError("topic has no count at this time");
  bucket->second -= weight;
  if (bucket->second <= 0) state.buckets.erase(bucket);
  if (state.buckets.empty() && !state.last_alert.has_value()) topics_.erase(it);
  return absl::OkStatus();
}

SpikeStats SpikeDetector::Stats(std::string_view topic) const {
  auto it = topics_.find(AsKey(topic));
  if (it == topics_.end()) return Evaluate(TopicState{});
  return Evaluate(it->second);
}

}  // namespace reach::analytics
