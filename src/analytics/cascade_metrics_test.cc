#include "analytics/cascade_metrics.h"

#include <queue>
#include <random>

#include <gtest/gtest.h>

namespace reach::analytics {
namespace {

// Mean distance over all unordered pairs by a breadth-first search from every node.
double BruteForceMeanDistance(const std::vector<int32_t>& parent) {
  const size_t n = parent.size();
  std::vector<std::vector<size_t>> adj(n);
  for (size_t i = 1; i < n; ++i) {
    adj[i].push_back(static_cast<size_t>(parent[i]));
    adj[static_cast<size_t>(parent[i])].push_back(i);
  }
  double total = 0;
  for (size_t s = 0; s < n; ++s) {
    std::vector<int> dist(n, -1);
    std::queue<size_t> q;
    dist[s] = 0;
    q.push(s);
    while (!q.empty()) {
      size_t u = q.front();
      q.pop();
      for (size_t v : adj[u]) {
        if (dist[v] < 0) {
          dist[v] = dist[u] + 1;
          q.push(v);
        }
      }
    }
    for (size_t t = s + 1; t < n; ++t) total += dist[t];
  }
  return n > 1 ? total / (static_cast<double>(n) * static_cast<double>(n - 1) / 2) : 0;
}

TEST(CascadeMetrics, LoneRoot) {
  std::vector<int32_t> parent{-1};
  std::vector<int64_t> time{42};
  auto m = ComputeCascadeMetrics(parent, time);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->size, 1);
  EXPECT_EQ(m->depth, 0);
  EXPECT_EQ(m->max_breadth, 1);
  EXPECT_EQ(m->structural_virality, 0);
  EXPECT_EQ(m->t50_micros, 0);
  EXPECT_EQ(m->t90_micros, 0);
}

TEST(CascadeMetrics, StarIsBroadcast) {
  // A root with 9 direct reshares: mean distance 2(n-1)/n = 1.8.
  std::vector<int32_t> parent{-1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  std::vector<int64_t> time(10);
  for (size_t i = 0; i < time.size(); ++i) time[i] = static_cast<int64_t>(i) * 1'000'000;
  auto m = ComputeCascadeMetrics(parent, time);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->depth, 1);
  EXPECT_EQ(m->max_breadth, 9);
  EXPECT_DOUBLE_EQ(m->structural_virality, 1.8);
  EXPECT_EQ(m->t50_micros, 4'000'000);  // the 5th of 10 nodes
  EXPECT_EQ(m->t90_micros, 8'000'000);  // the 9th
}

TEST(CascadeMetrics, ChainIsViral) {
  // A chain of n nodes: mean distance (n+1)/3.
  const int n = 12;
  std::vector<int32_t> parent(n);
  std::vector<int64_t> time(n);
  for (int i = 0; i < n; ++i) {
    parent[static_cast<size_t>(i)] = i - 1;
    time[static_cast<size_t>(i)] = (n - i) * 10;  // unsorted times, earlier than the root too
  }
  time[0] = 0;
  auto m = ComputeCascadeMetrics(parent, time);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->depth, n - 1);
  EXPECT_EQ(m->max_breadth, 1);
  EXPECT_DOUBLE_EQ(m->structural_virality, (n + 1) / 3.0);
  EXPECT_EQ(m->node_depth.back(), n - 1);
}

TEST(CascadeMetrics, RandomTreesMatchAllPairsSearch) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 50; ++trial) {
    const size_t n = 1 + rng() % 300;
    std::vector<int32_t> parent(n, -1);
    std::vector<int64_t> time(n, 0);
    std::vector<int> level(n, 0);
    std::vector<int64_t> per_level(n, 0);
    per_level[0] = 1;
    for (size_t i = 1; i < n; ++i) {
      // Mix of broadcast (attach to the root) and chains (attach to a recent node).
      parent[i] = static_cast<int32_t>(rng() % 3 == 0 ? 0 : rng() % i);
      level[i] = level[static_cast<size_t>(parent[i])] + 1;
      ++per_level[static_cast<size_t>(level[i])];
      time[i] = static_cast<int64_t>(rng() % 1000);
    }
    auto m = ComputeCascadeMetrics(parent, time);
    ASSERT_TRUE(m.ok());
    EXPECT_NEAR(m->structural_virality, BruteForceMeanDistance(parent), 1e-9) << "n=" << n;
    EXPECT_EQ(m->depth, *std::max_element(level.begin(), level.end()));
    EXPECT_EQ(m->max_breadth, *std::max_element(per_level.begin(), per_level.end()));
    std::vector<int64_t> sorted(time.begin(), time.end());
    for (int64_t& t : sorted) t = std::max<int64_t>(0, t - time[0]);
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(m->t50_micros, sorted[(n + 1) / 2 - 1]);
  }
}

TEST(CascadeMetrics, RejectsMalformedTrees) {
  std::vector<int64_t> t2{0, 0};
  EXPECT_EQ(ComputeCascadeMetrics({}, {}).status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<int32_t> not_rooted{0, 0};
  EXPECT_EQ(ComputeCascadeMetrics(not_rooted, t2).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::vector<int32_t> forward{-1, 1};
  EXPECT_EQ(ComputeCascadeMetrics(forward, t2).status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<int32_t> ok{-1, 0};
  std::vector<int64_t> t1{0};
  EXPECT_EQ(ComputeCascadeMetrics(ok, t1).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace reach::analytics
