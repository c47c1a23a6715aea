#include "analytics/sliding_top_k.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace reach::analytics {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

absl::string_view AsKey(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::optional<double> Mean(double sum, int64_t weight) {
  if (weight <= 0) return std::nullopt;
  return sum / static_cast<double>(weight);
}

// One bucket's contribution to a series point.
struct Partial {
  int64_t count = 0;
  int64_t error = 0;
  double sentiment_sum = 0.0;
  int64_t sentiment_weight = 0;
};

}  // namespace

absl::StatusOr<SlidingTopK> SlidingTopK::Create(const SlidingTopKOptions& options) {
  if (options.bucket.micros <= 0) {
    return absl::InvalidArgumentError("SlidingTopK bucket width must be positive");
  }
  if (options.window.micros <= 0 || options.window.micros % options.bucket.micros != 0) {
    return absl::InvalidArgumentError(
        "SlidingTopK window must be a positive multiple of the bucket width");
  }
  const int64_t num_buckets = options.window.micros / options.bucket.micros;
  if (num_buckets > 100000) {
    return absl::InvalidArgumentError("SlidingTopK window has more than 100000 buckets");
  }
  std::vector<Bucket> buckets;
  buckets.reserve(static_cast<std::size_t>(num_buckets));
  for (int64_t i = 0; i < num_buckets; ++i) {
    REACH_ASSIGN_OR_RETURN(SpaceSaving summary, SpaceSaving::Create(options.bucket_capacity));
    buckets.emplace_back(std::move(summary));
  }
  return SlidingTopK(options, std::move(buckets));
}

SlidingTopK::SlidingTopK(const SlidingTopKOptions& options, std::vector<Bucket> buckets)
    : options_(options),
      num_buckets_(static_cast<int64_t>(buckets.size())),
      buckets_(std::move(buckets)) {}

int64_t SlidingTopK::BucketNumber(EventTime t) const {
  return FloorDiv(t.micros, options_.bucket.micros);
}

bool SlidingTopK::Live(const Bucket& b) const {
  return has_head_ && b.used && b.number <= head_ && b.number > head_ - num_buckets_;
}

SlidingTopK::Bucket& SlidingTopK::Slot(int64_t number) {
  return buckets_[static_cast<std::size_t>(FloorMod(number, num_buckets_))];
}

const SlidingTopK::Bucket* SlidingTopK::LiveBucket(int64_t number) const {
  const Bucket& b = buckets_[static_cast<std::size_t>(FloorMod(number, num_buckets_))];
  return (Live(b) && b.number == number) ? &b : nullptr;
}

void SlidingTopK::AdvanceTo(EventTime now) {
  if (!now.known()) return;
  const int64_t n = BucketNumber(now);
  if (has_head_ && n <= head_) return;
  head_ = n;
  has_head_ = true;
  for (Bucket& b : buckets_) {
    if (b.used && !Live(b)) {
      b.used = false;
      b.summary.Clear();
      b.sentiment_sum = 0.0;
      b.sentiment_weight = 0;
    }
  }
}

absl::StatusOr<SlidingTopK::Bucket*> SlidingTopK::BucketFor(EventTime t, int64_t weight,
                                                            bool create) {
  if (!t.known()) return absl::InvalidArgumentError("event time is unknown");
  if (weight <= 0) return absl::InvalidArgumentError("weight must be positive");
  const int64_t n = BucketNumber(t);
  if (create) AdvanceTo(t);
  if (!has_head_ || n > head_ || n <= head_ - num_buckets_) {
    return absl::OutOfRangeError("event time is outside the window");
  }
  Bucket& b = Slot(n);
  if (!b.used || b.number != n) {
    if (!create) return absl::NotFoundError("no events in the bucket of this time");
    b.summary.Clear();
    b.sentiment_sum = 0.0;
    b.sentiment_weight = 0;
    b.used = true;
    b.number = n;
  }
  return &b;
}

absl::Status SlidingTopK::Add(std::string_view topic, EventTime t, int64_t weight,
                              std::optional<double> sentiment) {
  REACH_ASSIGN_OR_RETURN(Bucket * b, BucketFor(t, weight, /*create=*/true));
  b->summary.Offer(topic, weight, sentiment);
  if (sentiment.has_value()) {
    b->sentiment_sum += *sentiment * static_cast<double>(weight);
    b->sentiment_weight += weight;
  }
  return absl::OkStatus();
}

absl::Status SlidingTopK::Remove(std::string_view topic, EventTime t, int64_t weight,
                                 std::optional<double> sentiment) {
  REACH_ASSIGN_OR_RETURN(Bucket * b, BucketFor(t, weight, /*create=*/false));
  if (sentiment.has_value()) {
    b->sentiment_sum -= *sentiment * static_cast<double>(weight);
    b->sentiment_weight -= weight;
    if (b->sentiment_weight <= 0) {
      b->sentiment_sum = 0.0;
      b->sentiment_weight = 0;
    }
  }
  return b->summary.Remove(topic, weight, sentiment);
}

std::vector<TopicCount> SlidingTopK::Top(std::size_t n) const {
  struct Acc {
    int64_t count = 0;
    int64_t error = 0;
    double sentiment_sum = 0.0;
    int64_t sentiment_weight = 0;
    // Sum of the unmonitored bounds of the buckets where the topic is monitored.
    int64_t bound_where_present = 0;
  };
  absl::flat_hash_map<absl::string_view, Acc> merged;
  int64_t bound_total = 0;
  for (const Bucket& b : buckets_) {
    if (!Live(b)) continue;
    const int64_t bound = b.summary.unmonitored_bound();
    bound_total += bound;
    for (const SpaceSaving::Entry& e : b.summary.entries()) {
      Acc& acc = merged[AsKey(e.key)];
      acc.count += e.count;
      acc.error += e.error;
      acc.sentiment_sum += e.value_sum;
      acc.sentiment_weight += e.value_weight;
      acc.bound_where_present += bound;
    }
  }
  std::vector<TopicCount> all;
  all.reserve(merged.size());
  for (const auto& [key, acc] : merged) {
    // In a bucket where the topic is not monitored it may still have up to that bucket's bound.
    const int64_t absent = bound_total - acc.bound_where_present;
    TopicCount tc;
    tc.topic = std::string(key.data(), key.size());
    tc.count = acc.count + absent;
    tc.error = acc.error + absent;
    tc.sentiment_mean = Mean(acc.sentiment_sum, acc.sentiment_weight);
    all.push_back(std::move(tc));
  }
  n = std::min(n, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(),
                    [](const TopicCount& a, const TopicCount& b) {
                      if (a.count != b.count) return a.count > b.count;
                      return a.topic < b.topic;
                    });
  all.resize(n);
  return all;
}

template <class PointFn>
absl::StatusOr<std::vector<SeriesPoint>> SlidingTopK::BuildSeries(Duration resolution,
                                                                  PointFn point) const {
  if (resolution.micros <= 0 || resolution.micros % options_.bucket.micros != 0) {
    return absl::InvalidArgumentError(
        "series resolution must be a positive multiple of the bucket width");
  }
  std::vector<SeriesPoint> out;
  if (!has_head_) return out;
  const int64_t per_point = resolution.micros / options_.bucket.micros;
  const int64_t first = head_ - num_buckets_ + 1;
  for (int64_t g = FloorDiv(first, per_point); g <= FloorDiv(head_, per_point); ++g) {
    Partial sum;
    const int64_t lo = std::max(first, g * per_point);
    const int64_t hi = std::min(head_, g * per_point + per_point - 1);
    for (int64_t number = lo; number <= hi; ++number) {
      const Bucket* b = LiveBucket(number);
      if (b == nullptr) continue;
      const Partial p = point(*b);
      sum.count += p.count;
      sum.error += p.error;
      sum.sentiment_sum += p.sentiment_sum;
      sum.sentiment_weight += p.sentiment_weight;
    }
    SeriesPoint sp;
    sp.start = EventTime::FromMicros(g * resolution.micros);
    sp.count = sum.count;
    sp.error = sum.error;
    sp.sentiment_mean = Mean(sum.sentiment_sum, sum.sentiment_weight);
    out.push_back(sp);
  }
  return out;
}

absl::StatusOr<std::vector<SeriesPoint>> SlidingTopK::Series(std::string_view topic,
                                                             Duration resolution) const {
  return BuildSeries(resolution, [topic](const Bucket& b) {
    Partial p;
    if (const SpaceSaving::Entry* e = b.summary.Find(topic); e != nullptr) {
      p.count = e->count;
      p.error = e->error;
      p.sentiment_sum = e->value_sum;
      p.sentiment_weight = e->value_weight;
    } else {
      p.count = p.error = b.summary.unmonitored_bound();
    }
    return p;
  });
}

absl::StatusOr<std::vector<SeriesPoint>> SlidingTopK::VolumeSeries(Duration resolution) const {
  return BuildSeries(resolution, [](const Bucket& b) {
    Partial p;
    p.count = b.summary.total();
    p.sentiment_sum = b.sentiment_sum;
    p.sentiment_weight = b.sentiment_weight;
    return p;
  });
}

int64_t SlidingTopK::total() const {
  int64_t sum = 0;
  for (const Bucket& b : buckets_) {
    if (Live(b)) sum += b.summary.total();
  }
  return sum;
}

EventTime SlidingTopK::window_start() const {
  if (!has_head_) return EventTime{};
  return EventTime::FromMicros((head_ - num_buckets_ + 1) * options_.bucket.micros);
}

EventTime SlidingTopK::window_end() const {
  if (!has_head_) return EventTime{};
  return EventTime::FromMicros((head_ + 1) * options_.bucket.micros);
}

}  // namespace reach::analytics
