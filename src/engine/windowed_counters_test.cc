#include "engine/windowed_counters.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace reach::engine
