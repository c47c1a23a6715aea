#include "engine/windowed_counters.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "absl/container/flat_hash_set.h"

namespace reach::engine {
namespace {

const UserId kAnn{1};
const EventTime kT0 = EventTime::FromSeconds(1'700'000'000);

Contribution Reshare(UserId u, EventTime t) { return Contribution{u, Metric::kReshares, t, 1}; }

TEST(WindowedCountersTest, ContributionCountsInEveryWindowThenExpires) {
  WindowedCounters c;
  c.Apply(Reshare(kAnn, kT0));
  for (Window w : kAllWindows) EXPECT_EQ(c.Get(kAnn, w).reshares, 1) << WindowName(w);

  c.AdvanceTo(kT0 + Duration::Minutes(16));
  EXPECT_EQ(c.Get(kAnn, Window::k15m).reshares, 0);
  EXPECT_EQ(c.Get(kAnn, Window::k1h).reshares, 1);
  EXPECT_EQ(c.users_in(Window::k15m), 0u);

  c.AdvanceTo(kT0 + Duration::Hours(2));
  EXPECT_EQ(c.Get(kAnn, Window::k1h).reshares, 0);
  EXPECT_EQ(c.Get(kAnn, Window::k24h).reshares, 1);

  c.AdvanceTo(kT0 + Duration::Hours(25));
  EXPECT_EQ(c.Get(kAnn, Window::k24h).reshares, 0);
  EXPECT_EQ(c.Get(kAnn, Window::kAll).reshares, 1);
}

TEST(WindowedCountersTest, LateContributionOutsideWindowCountsOnlyAllTime) {
  WindowedCounters c;
  c.AdvanceTo(kT0 + Duration::Hours(3));
  c.Apply(Reshare(kAnn, kT0));
  EXPECT_EQ(c.Get(kAnn, Window::k1h).reshares, 0);
  EXPECT_EQ(c.Get(kAnn, Window::k24h).reshares, 1);
  EXPECT_EQ(c.Get(kAnn, Window::kAll).reshares, 1);
}

TEST(WindowedCountersTest, ReverseUndoesExactly) {
  WindowedCounters c;
  c.Apply(Reshare(kAnn, kT0));
  c.Apply(Reshare(kAnn, kT0 + Duration::Seconds(30)));
  c.Apply(Reshare(kAnn, kT0), -1);
  EXPECT_EQ(c.Get(kAnn, Window::k15m).reshares, 1);
  c.Apply(Reshare(kAnn, kT0 + Duration::Seconds(30)), -1);
  EXPECT_EQ(c.users_in(Window::k15m), 0u);
  EXPECT_EQ(c.users_in(Window::kAll), 0u);
}

TEST(WindowedCountersTest, DepthIsMaxOfLiveObservations) {
  WindowedCounters c;
  c.Apply(Contribution{kAnn, Metric::kDepth, kT0, 1, 3});
  c.Apply(Contribution{kAnn, Metric::kDepth, kT0 + Duration::Minutes(20), 1, 1});
  EXPECT_EQ(c.Get(kAnn, Window::k15m).depth, 1);  // the depth-3 node left the 15 min window
  EXPECT_EQ(c.Get(kAnn, Window::k1h).depth, 3);
  c.Apply(Contribution{kAnn, Metric::kDepth, kT0, 1, 3}, -1);
  EXPECT_EQ(c.Get(kAnn, Window::kAll).depth, 1);
}

TEST(WindowedCountersTest, ArrivalOrderDoesNotChangeTheResult) {
  std::vector<Contribution> cs;
  for (int i = 0; i < 200; ++i) {
    cs.push_back(Reshare(UserId{static_cast<uint64_t>(1 + i % 7)},
                         kT0 + Duration::Seconds((i * 7919) % 7200)));
  }
  WindowedCounters in_order, reversed;
  std::vector<Contribution> sorted = cs;
  std::sort(sorted.begin(), sorted.end(),
            [](const Contribution& a, const Contribution& b) { return a.time < b.time; });
  for (const auto& c : sorted) in_order.Apply(c);
  for (auto it = sorted.rbegin(); it != sorted.rend(); ++it) reversed.Apply(*it);
  for (Window w : kAllWindows) {
    for (uint64_t u = 1; u <= 7; ++u) {
      EXPECT_EQ(in_order.Get(UserId{u}, w).reshares, reversed.Get(UserId{u}, w).reshares)
          << WindowName(w) << " user " << u;
    }
  }
}

// Property test: random contributions (every metric, late and reversed ones included) and random
// advances; after every few steps each window's counters and audience must equal a brute-force
// recount of the contributions that are live and inside the window.
TEST(WindowedCountersTest, IncrementalEqualsBruteForceRecount) {
  std::mt19937_64 rng(2024);
  auto uniform = [&](int64_t lo, int64_t hi) {  // [lo, hi]
    return lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1));
  };
  const Metric kMetrics[] = {Metric::kPosts, Metric::kReshares, Metric::kQuotes, Metric::kReplies,
                             Metric::kLikes, Metric::kMentions, Metric::kDepth,  Metric::kReshares};
  const int64_t kUsers = 8;
  WindowedCounters counters;
  std::vector<Contribution> live;  // applied and not reversed
  EventTime end = kT0;
  counters.AdvanceTo(end);

  auto window_start = [&](Window w) {
    if (w == Window::kAll) return EventTime{INT64_MIN};
    const int64_t width[] = {Duration::Seconds(15).micros, Duration::Minutes(1).micros,
                             Duration::Minutes(15).micros};
    const int64_t count[] = {60, 60, 96};
    const int i = static_cast<int>(w);
    const int64_t last = end.micros / width[i];  // times are positive: plain division floors
    return EventTime{(last - count[i] + 1) * width[i]};
  };
  auto check = [&](int step) {
    // What the engine does at publish: rebuild the audiences a reversal made stale from the live
    // engagements.
    const absl::flat_hash_set<UserId> stale = counters.TakeStaleAudience();
    for (UserId u : stale) counters.ClearAudience(u);
    for (const Contribution& c : live) {
      if (stale.contains(c.user)) counters.AddAudience(c);
    }
    counters.FinishAudienceRebuild(stale);
    for (Window w : kAllWindows) {
      const EventTime start = window_start(w);
      ASSERT_EQ(counters.WindowStart(w), start);
      size_t active = 0;
      for (int64_t u = 1; u <= kUsers; ++u) {
        const UserId user{static_cast<uint64_t>(u)};
        UserMetrics want;
        std::map<PostId, int64_t> per_post;
        std::map<int32_t, int64_t> levels;
        bool any = false;
        for (const Contribution& c : live) {
          if (c.user != user || c.time < start) continue;
          any = true;
          switch (c.metric) {
            case Metric::kPosts:
              want.posts += c.delta;
              break;
            case Metric::kReshares:
              want.reshares += c.delta;
              per_post[c.post] += c.delta;
              break;
            case Metric::kQuotes:
              want.quotes += c.delta;
              break;
            case Metric::kReplies:
              want.replies += c.delta;
              break;
            case Metric::kLikes:
              want.likes += c.delta;
              break;
            case Metric::kMentions:
              want.mentions += c.delta;
              break;
            case Metric::kDepth:
              levels[c.value] += c.delta;
              break;
          }
        }
        active += any ? 1 : 0;
        int64_t level_sum = 0;
        for (const auto& [level, n] : levels) {
          want.depth = std::max(want.depth, level);
          want.cascade_nodes += n;
          level_sum += level * n;
          if (level >= 2) want.second_level += n;
        }
        std::vector<int64_t> counts;
        for (const auto& [post, n] : per_post) counts.push_back(n);
        std::sort(counts.rbegin(), counts.rend());
        while (want.h_index < static_cast<int32_t>(counts.size()) &&
               counts[static_cast<size_t>(want.h_index)] >= want.h_index + 1) {
          ++want.h_index;
        }
        absl::flat_hash_set<uint64_t> engagers;
        for (const Contribution& c : live) {
          if (c.user == user && c.time >= start && c.from.valid() &&
              c.metric != Metric::kMentions) {
            engagers.insert(c.from.value);
          }
        }
        const UserMetrics got = counters.Get(user, w);
        const std::string where = std::string(WindowName(w)) + " user " + std::to_string(u) +
                                  " step " + std::to_string(step);
        EXPECT_EQ(got.posts, want.posts) << where;
        EXPECT_EQ(got.reshares, want.reshares) << where;
        EXPECT_EQ(got.quotes, want.quotes) << where;
        EXPECT_EQ(got.replies, want.replies) << where;
        EXPECT_EQ(got.likes, want.likes) << where;
        EXPECT_EQ(got.mentions, want.mentions) << where;
        EXPECT_EQ(got.depth, want.depth) << where;
        EXPECT_EQ(got.cascade_nodes, want.cascade_nodes) << where;
        EXPECT_EQ(got.second_level, want.second_level) << where;
        EXPECT_NEAR(got.depth_mean,
                    want.cascade_nodes ? static_cast<double>(level_sum) / want.cascade_nodes : 0,
                    1e-12)
            << where;
        EXPECT_EQ(got.h_index, want.h_index) << where;
        // HyperLogLog: within 3 standard errors (1.04 / sqrt(1024)), and exact-ish when tiny.
        const double exact = static_cast<double>(engagers.size());
        EXPECT_NEAR(static_cast<double>(got.audience), exact, std::max(2.0, 3 * 0.0325 * exact))
            << where;
      }
      EXPECT_EQ(counters.users_in(w), active) << WindowName(w) << " step " << step;
    }
  };

  for (int step = 1; step <= 4000; ++step) {
    const int64_t action = uniform(0, 99);
    if (action < 75) {
      Contribution c;
      c.user = UserId{static_cast<uint64_t>(uniform(1, kUsers))};
      c.metric = kMetrics[uniform(0, 7)];
      // Mostly recent (some a little in the future, advancing the end), some late by up to 30 h.
      const int64_t back = uniform(0, 99) < 75 ? uniform(-60, 20 * 60) : uniform(0, 30 * 3600);
      c.time = end - Duration::Seconds(back);
      c.delta = 1;
      if (c.metric == Metric::kDepth) c.value = static_cast<int32_t>(uniform(1, 5));
      if (c.metric == Metric::kReshares) c.post = PostId{static_cast<uint64_t>(uniform(1, 12))};
      if (c.metric != Metric::kPosts && c.metric != Metric::kDepth) {
        c.from = UserId{static_cast<uint64_t>(uniform(100, 1500))};
      }
      counters.Apply(c, +1);
      if (c.time > end) end = c.time;
      live.push_back(c);
    } else if (action < 90) {
      if (live.empty()) continue;
      const size_t i = static_cast<size_t>(uniform(0, static_cast<int64_t>(live.size()) - 1));
      counters.Apply(live[i], -1);
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      end = end + Duration::Seconds(uniform(0, 40 * 60));
      counters.AdvanceTo(end);
    }
    if (step % 250 == 0) {
      check(step);
      if (HasFailure()) return;
    }
  }
  check(4000);
}

}  // namespace
}  // namespace reach::engine
