#include "engine/windowed_counters.h"

#include <algorithm>
#include <cassert>
#include <climits>
#include <cmath>
#include <functional>

#include "analytics/hyperloglog.h"

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

bool IsEngagement(Metric m) {
  return m == Metric::kReshares || m == Metric::kQuotes || m == Metric::kReplies ||
         m == Metric::kLikes;
}

}  // namespace

void MetricAccumulator::Apply(const Contribution& c, int64_t sign) {
  if (c.metric != Metric::kDepth) {
    sums[static_cast<int>(c.metric)] += sign * c.delta;
    if (c.metric == Metric::kReshares && c.post.valid()) {
      auto it = std::lower_bound(post_reshares.begin(), post_reshares.end(), c.post,
                                 [](const auto& p, PostId v) { return p.first < v; });
      if (it == post_reshares.end() || it->first != c.post) {
        it = post_reshares.insert(it, {c.post, 0});
      }
      it->second += sign * c.delta;
      if (it->second == 0) post_reshares.erase(it);
    }
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
  for (const auto& [post, count] : other.post_reshares) {
    auto it = std::lower_bound(post_reshares.begin(), post_reshares.end(), post,
                               [](const auto& p, PostId v) { return p.first < v; });
    if (it == post_reshares.end() || it->first != post) it = post_reshares.insert(it, {post, 0});
    it->second -= count;
    if (it->second == 0) post_reshares.erase(it);
  }
}

bool MetricAccumulator::empty() const {
  return depth_counts.empty() && post_reshares.empty() &&
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
  int64_t level_sum = 0;
  for (const auto& [level, count] : depth_counts) {
    m.cascade_nodes += count;
    level_sum += level * count;
    if (level >= 2) m.second_level += count;
  }
  if (m.cascade_nodes > 0) {
    m.depth_mean = static_cast<double>(level_sum) / static_cast<double>(m.cascade_nodes);
  }
  // h-index (Hirsch 2005) over the posts' reshare counts.
  std::vector<int64_t> counts;
  counts.reserve(post_reshares.size());
  for (const auto& [post, count] : post_reshares) {
    if (count > 0) counts.push_back(count);
  }
  std::sort(counts.begin(), counts.end(), std::greater<>());
  int32_t h = 0;
  while (static_cast<size_t>(h) < counts.size() && counts[static_cast<size_t>(h)] >= h + 1) ++h;
  m.h_index = h;
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
  if (sign > 0) {
    AddAudience(c);
  } else if (c.from.valid() && IsEngagement(c.metric)) {
    audience_stale_.insert(c.user);
  }
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
  // Once per 24 h bucket: drop the sketch entries no sliding window needs any more.
  const int64_t horizon = WindowStart(Window::k24h).micros;
  if (horizon > audience_horizon_) {
    audience_horizon_ = horizon;
    for (auto& [user, sketch] : audience_) sketch.ExpireBefore(horizon);
  }
}

EventTime WindowedCounters::WindowStart(Window w) const {
  if (w == Window::kAll) return EventTime{INT64_MIN};
  const Sliding& s = sliding_[static_cast<int>(w)];
  return EventTime{FirstLiveBucket(s) * s.bucket_micros};
}

int64_t WindowedCounters::Audience(UserId user, Window w) const {
  auto it = audience_.find(user);
  if (it == audience_.end()) return 0;
  return std::llround(it->second.Estimate(WindowStart(w).micros));
}

void WindowedCounters::AddAudience(const Contribution& c) {
  if (c.delta <= 0 || !c.from.valid() || c.from == c.user || !IsEngagement(c.metric)) return;
  auto it = audience_.try_emplace(c.user, kAudiencePrecision).first;
  it->second.Add(analytics::MixHash64(c.from.value), c.time.micros);
}

absl::flat_hash_set<UserId> WindowedCounters::TakeStaleAudience() {
  absl::flat_hash_set<UserId> out;
  out.swap(audience_stale_);
  return out;
}

void WindowedCounters::ClearAudience(UserId user) { audience_.erase(user); }

void WindowedCounters::FinishAudienceRebuild(const absl::flat_hash_set<UserId>& users) {
  for (UserId user : users) {
    if (auto it = audience_.find(user); it != audience_.end()) {
      it->second.ExpireBefore(audience_horizon_);
    }
  }
}

size_t WindowedCounters::audience_entries() const {
  size_t n = 0;
  for (const auto& [user, sketch] : audience_) n += sketch.entries();
  return n;
}

UserMetrics WindowedCounters::Get(UserId user, Window w) const {
  const auto& map = w == Window::kAll ? all_time_ : sliding_[static_cast<int>(w)].totals;
  auto it = map.find(user);
  UserMetrics m = it == map.end() ? UserMetrics{} : it->second.ToMetrics();
  m.audience = Audience(user, w);
  return m;
}

void WindowedCounters::ForEach(Window w,
                               const std::function<void(UserId, const UserMetrics&)>& fn) const {
  const auto& map = w == Window::kAll ? all_time_ : sliding_[static_cast<int>(w)].totals;
  const int64_t since = WindowStart(w).micros;
  for (const auto& [user, acc] : map) {
    UserMetrics m = acc.ToMetrics();
    if (auto a = audience_.find(user); a != audience_.end()) {
      m.audience = std::llround(a->second.Estimate(since));
    }
    fn(user, m);
  }
}

size_t WindowedCounters::users_in(Window w) const {
  return w == Window::kAll ? all_time_.size() : sliding_[static_cast<int>(w)].totals.size();
}

}  // namespace reach::engine
