#include "engine/windowed_counters.h"

#include <algorithm>
#include <cassert>

namespace reach::engine {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void ApplyTo(absl::flat_hash_map<UserId, MetricAccumulator>& map, const Contribution& c,
             int64_t sign) {
  auto it = map.try_emplace(c.user).first;
  it->second.Apply(c, sign);
  if (it->second.empty()) map.erase(it);
}

}  // namespace

void MetricAccumulator::Apply(const Contribution& c, int64_t sign) {
  if (c.metric != Metric::kDepth) {
    sums[static_cast<int>(c.metric)] += sign * c.delta;
    return;
  }
  auto it = std::lower_bound(depth_counts.begin(), depth_counts.end(), c.value,
                             [](const auto& p, int32_t v) { return p.first < v; });
  if (it == depth_counts.end() || it->first != c.value) {
    it = depth_counts.insert(it, {c.value, 0});
  }
  it->second += sign * c.delta;
  if (it->second == 0) depth_counts.erase(it);
}

void MetricAccumulator::Subtract(const MetricAccumulator& other) {
  for (size_t i = 0; i < sums.size(); ++i) sums[i] -= other.sums[i];
  for (const auto& [level, count] : other.depth_counts) {
    Apply(Contribution{UserId{}, Metric::kDepth, EventTime{}, count, level}, -1);
  }
}

bool MetricAccumulator::empty() const {
  return depth_counts.empty() &&
         std::all_of(sums.begin(), sums.end(), [](int64_t v) { return v == 0; });
}

int32_t MetricAccumulator::max_depth() const {
  return depth_counts.empty() ? 0 : depth_counts.back().first;
}

UserMetrics MetricAccumulator::ToMetrics() const {
  UserMetrics m;
  m.posts = sums[static_cast<int>(Metric::kPosts)];
  m.reshares = sums[static_cast<int>(Metric::kReshares)];
  m.quotes = sums[static_cast<int>(Metric::kQuotes)];
  m.replies = sums[static_cast<int>(Metric::kReplies)];
  m.likes = sums[static_cast<int>(Metric::kLikes)];
  m.mentions = sums[static_cast<int>(Metric::kMentions)];
  m.depth = max_depth();
  return m;
}

WindowedCounters::WindowedCounters() {
  sliding_[0].bucket_micros = Duration::Seconds(15).micros;
  sliding_[0].bucket_count = 60;
  sliding_[1].bucket_micros = Duration::Minutes(1).micros;
  sliding_[1].bucket_count = 60;
  sliding_[2].bucket_micros = Duration::Minutes(15).micros;
  sliding_[2].bucket_count = 96;
}

int64_t WindowedCounters::FirstLiveBucket(const Sliding& s) const {
  return FloorDiv(end_.micros, s.bucket_micros) - s.bucket_count + 1;
}

void WindowedCounters::Apply(const Contribution& c, int64_t sign) {
  ApplyTo(all_time_, c, sign);
  if (c.time > end_) AdvanceTo(c.time);
  for (Sliding& s : sliding_) {
    int64_t bucket = FloorDiv(c.time.micros, s.bucket_micros);
    if (bucket < FirstLiveBucket(s)) continue;  // already outside this window
    ApplyTo(s.buckets[bucket], c, sign);
    ApplyTo(s.totals, c, sign);
  }
}

void WindowedCounters::Expire(Sliding& s) {
  int64_t first = FirstLiveBucket(s);
  while (!s.buckets.empty() && s.buckets.begin()->first < first) {
    for (const auto& [user, acc] : s.buckets.begin()->second) {
      auto it = s.totals.find(user);
      assert(it != s.totals.end());
      it->second.Subtract(acc);
      if (it->second.empty()) s.totals.erase(it);
    }
    s.buckets.erase(s.buckets.begin());
  }
}

void WindowedCounters::AdvanceTo(EventTime end) {
  if (end <= end_) return;
  end_ = end;
  for (Sliding& s : sliding_) Expire(s);
}

UserMetrics WindowedCounters::Get(UserId user, Window w) const {
  const auto& map = w == Window::kAll ? all_time_ : sliding_[static_cast<int>(w)].totals;
  auto it = map.find(user);
  return it == map.end() ? UserMetrics{} : it->second.ToMetrics();
}

void WindowedCounters::ForEach(Window w,
                               const std::function<void(UserId, const UserMetrics&)>& fn) const {
  const auto& map = w == Window::kAll ? all_time_ : sliding_[static_cast<int>(w)].totals;
  for (const auto& [user, acc] : map) fn(user, acc.ToMetrics());
}

size_t WindowedCounters::users_in(Window w) const {
  return w == Window::kAll ? all_time_.size() : sliding_[static_cast<int>(w)].totals.size();
}

}  // namespace reach::engine
