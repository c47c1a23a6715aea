#include "analytics/pagerank.h"

#include <cmath>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reach::analytics {
namespace {

using Method = PageRankOptions::Method;

double L1(const std::vector<double>& a, const std::vector<double>& b) {
  EXPECT_EQ(a.size(), b.size());
  double sum = 0.0;
  for (size_t i = 0; i < a.size(); ++i) sum += std::abs(a[i] - b[i]);
  return sum;
}

CsrGraph Build(uint32_t n, const std::vector<WeightedEdge>& edges) {
  absl::StatusOr<CsrGraph> csr = CsrGraph::FromEdges(n, edges);
  EXPECT_TRUE(csr.ok()) << csr.status();
  return *std::move(csr);
}

std::vector<double> Solve(const CsrGraph& csr, Method method, double tolerance = 1e-12) {
  PageRank pagerank({.tolerance = tolerance, .method = method});
  EXPECT_TRUE(pagerank.Run(csr).ok());
  return pagerank.Scores();
}

// Engagement-like random edges: sources uniform, targets skewed towards low indices (hubs).
void AddRandomEdges(EngagementGraph& graph, std::mt19937_64& rng, uint32_t n, int count) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int i = 0; i < count; ++i) {
    const auto from = static_cast<uint32_t>(unit(rng) * n);
    const double u = unit(rng);
    const auto to = static_cast<uint32_t>(u * u * u * n);
    ASSERT_TRUE(graph.AddEdge(from, to, 1 + static_cast<int>(unit(rng) * 3)).ok());
  }
}

class BothMethods : public ::testing::TestWithParam<Method> {};
INSTANTIATE_TEST_SUITE_P(PageRankTest, BothMethods,
                         ::testing::Values(Method::kSccGaussSeidel, Method::kPowerIteration));

TEST_P(BothMethods, CycleIsUniform) {
  const CsrGraph csr = Build(3, {{0, 1, 1}, {1, 2, 1}, {2, 0, 1}});
  const std::vector<double> x = Solve(csr, GetParam());
  EXPECT_NEAR(x[0], 1.0 / 3, 1e-12);
  EXPECT_NEAR(x[1], 1.0 / 3, 1e-12);
  EXPECT_NEAR(x[2], 1.0 / 3, 1e-12);
}

TEST_P(BothMethods, StarIntoDanglingCentre) {
  // Leaves 1..3 -> centre 0; the centre is dangling and jumps uniformly.
  // leaf = (1 - d) / 4 + d centre / 4 and centre = 1 - 3 leaf give leaf = 1 / 6.55.
  const CsrGraph csr = Build(4, {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}});
  const std::vector<double> x = Solve(csr, GetParam());
  EXPECT_NEAR(x[1], 1 / 6.55, 1e-12);
  EXPECT_NEAR(x[2], 1 / 6.55, 1e-12);
  EXPECT_NEAR(x[3], 1 / 6.55, 1e-12);
  EXPECT_NEAR(x[0], 1 - 3 / 6.55, 1e-12);
}

TEST_P(BothMethods, MatchesIgraphWithWeightsSelfLoopsAndDanglingNodes) {
  // igraph 0.10.2: Graph(n=5, edges, directed=True).pagerank(weights=..., directed=True); the
  // repeated 0 -> 1 edge is passed to igraph as two edges (weights 1 and 2).
  const CsrGraph csr = Build(
      5, {{0, 1, 1}, {0, 2, 3}, {1, 2, 2}, {2, 0, 1}, {3, 3, 1}, {3, 0, 1}, {1, 4, 1}, {0, 1, 2}});
  const std::vector<double> x = Solve(csr, GetParam());
  EXPECT_NEAR(x[0], 0.3331950164240683, 1e-12);
  EXPECT_NEAR(x[1], 0.18870331534034118, 1e-12);
  EXPECT_NEAR(x[2], 0.2956351940332012, 1e-12);
  EXPECT_NEAR(x[3], 0.08190510149584729, 1e-12);
  EXPECT_NEAR(x[4], 0.10056137270654218, 1e-12);
}

TEST_P(BothMethods, IsolatedNodesGetTheTeleportShare) {
  // No edges at all: every node is dangling, so the scores are uniform.
  const CsrGraph csr = Build(4, {});
  EXPECT_THAT(Solve(csr, GetParam()), ::testing::Each(::testing::DoubleNear(0.25, 1e-15)));
}

TEST(PageRankTest, MethodsAgreeOnARandomGraph) {
  EngagementGraph graph;
  std::mt19937_64 rng(7);
  AddRandomEdges(graph, rng, 5000, 30000);
  const CsrGraph csr = graph.BuildCsr();
  const std::vector<double> scc = Solve(csr, Method::kSccGaussSeidel);
  const std::vector<double> power = Solve(csr, Method::kPowerIteration);
  double sum = 0.0;
  for (double v : scc) sum += v;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_LT(L1(scc, power), 2e-12);
}

TEST(PageRankTest, ToleranceBoundsTheError) {
  EngagementGraph graph;
  std::mt19937_64 rng(11);
  AddRandomEdges(graph, rng, 3000, 12000);
  const CsrGraph csr = graph.BuildCsr();
  const std::vector<double> exact = Solve(csr, Method::kPowerIteration, 1e-14);
  for (double tolerance : {1e-3, 1e-6}) {
    EXPECT_LT(L1(Solve(csr, Method::kSccGaussSeidel, tolerance), exact), tolerance);
    EXPECT_LT(L1(Solve(csr, Method::kPowerIteration, tolerance), exact), tolerance);
  }
}

// The product requirement: after 1,000 new edges, Update equals a from-scratch Run (L1 < 1e-6).
TEST(PageRankTest, UpdateAfterThousandNewEdgesMatchesFreshRun) {
  EngagementGraph graph({.record_changes = true});
  std::mt19937_64 rng(2024);
  AddRandomEdges(graph, rng, 20000, 100000);
  PageRank pagerank;
  ASSERT_TRUE(pagerank.Run(graph.BuildCsr()).ok());
  (void)graph.TakeChanges();

  AddRandomEdges(graph, rng, 20500, 1000);  // also reaches up to 500 new nodes
  const CsrGraph csr = graph.BuildCsr();
  const std::vector<EdgeChange> changes = graph.TakeChanges();
  ASSERT_EQ(changes.size(), 1000u);
  ASSERT_TRUE(pagerank.Update(csr, changes).ok());
  EXPECT_EQ(pagerank.num_nodes(), csr.num_nodes);

  PageRank fresh;
  ASSERT_TRUE(fresh.Run(csr).ok());
  EXPECT_LT(L1(pagerank.Scores(), fresh.Scores()), 1e-6);
  EXPECT_LT(L1(pagerank.Scores(), fresh.Scores()), 2e-9);  // both within 1e-9 of exact
}

TEST(PageRankTest, UpdateLeavesUnreachedNodesAlone) {
  // Two components; changes in the small one must not touch the large one's unnormalised values,
  // so ratios of scores inside the large one stay exactly the same.
  EngagementGraph graph({.record_changes = true});
  std::mt19937_64 rng(17);
  AddRandomEdges(graph, rng, 100, 400);  // nodes 0..99
  for (uint32_t u = 100; u < 5100; ++u) {
    ASSERT_TRUE(graph.AddEdge(u, 100 + (u * 7919) % 5000, 1).ok());
    ASSERT_TRUE(graph.AddEdge(u, 100 + (u * 104729) % 5000, 2).ok());
  }
  PageRank pagerank;
  ASSERT_TRUE(pagerank.Run(graph.BuildCsr()).ok());
  (void)graph.TakeChanges();
  const double ratio = pagerank.Score(100) / pagerank.Score(4321);
  AddRandomEdges(graph, rng, 100, 50);
  const CsrGraph csr = graph.BuildCsr();
  ASSERT_TRUE(pagerank.Update(csr, graph.TakeChanges()).ok());
  EXPECT_GT(pagerank.last_stats().pushes, 0u);
  EXPECT_DOUBLE_EQ(pagerank.Score(100) / pagerank.Score(4321), ratio);
  PageRank fresh;
  ASSERT_TRUE(fresh.Run(csr).ok());
  EXPECT_LT(L1(pagerank.Scores(), fresh.Scores()), 2e-9);
}

TEST(PageRankTest, UpdateHandlesDeletionsAndNodesTurningDangling) {
  EngagementGraph graph({.record_changes = true});
  std::mt19937_64 rng(5);
  AddRandomEdges(graph, rng, 2000, 8000);
  ASSERT_TRUE(graph.AddEdge(1999, 3, 1).ok());  // 1999's only out-edge below
  PageRank pagerank;
  ASSERT_TRUE(pagerank.Run(graph.BuildCsr()).ok());
  (void)graph.TakeChanges();

  const CsrGraph before = graph.BuildCsr();
  int removed = 0;
  for (uint32_t u = 0; u < 300; ++u) {  // drop or weaken the first out-edge of 300 nodes
    if (before.OutDegree(u) == 0) continue;
    const uint32_t v = before.out_targets[before.out_offsets[u]];
    if (u % 2 == 0) {
      ASSERT_TRUE(graph.RemoveEdge(u, v).ok());
    } else {
      ASSERT_TRUE(graph.DecrementEdge(u, v, 0.5).ok());
    }
    ++removed;
  }
  ASSERT_GT(removed, 100);
  for (uint32_t v : {3u, 10u}) {
    if (graph.Weight(1999, v) > 0) {
      ASSERT_TRUE(graph.RemoveEdge(1999, v).ok());
    }
  }
  ASSERT_TRUE(graph.AddEdge(1999, 1999, 2).ok());  // now only a self-loop
  ASSERT_TRUE(graph.RemoveEdge(1999, 1999).ok());  // and then dangling
  ASSERT_TRUE(graph.AddEdge(1998, 1998, 1).ok());
  const CsrGraph csr = graph.BuildCsr();
  ASSERT_TRUE(pagerank.Update(csr, graph.TakeChanges()).ok());
  PageRank fresh;
  ASSERT_TRUE(fresh.Run(csr).ok());
  EXPECT_LT(L1(pagerank.Scores(), fresh.Scores()), 2e-9);
}

TEST(PageRankTest, WarmUpdateWithoutChangesMatchesFreshRun) {
  EngagementGraph graph;
  std::mt19937_64 rng(3);
  AddRandomEdges(graph, rng, 5000, 20000);
  PageRank pagerank({.method = Method::kPowerIteration});
  ASSERT_TRUE(pagerank.Run(graph.BuildCsr()).ok());
  AddRandomEdges(graph, rng, 5100, 1000);
  ASSERT_TRUE(graph.RemoveEdge(graph.BuildCsr().in_sources[0], 0).ok());
  const CsrGraph csr = graph.BuildCsr();
  ASSERT_TRUE(pagerank.Update(csr).ok());
  PageRank fresh;
  ASSERT_TRUE(fresh.Run(csr).ok());
  EXPECT_LT(L1(pagerank.Scores(), fresh.Scores()), 2e-9);
}

TEST(PageRankTest, RepeatedUpdatesStayExact) {
  EngagementGraph graph({.record_changes = true});
  std::mt19937_64 rng(99);
  AddRandomEdges(graph, rng, 3000, 10000);
  PageRank pagerank;
  ASSERT_TRUE(pagerank.Run(graph.BuildCsr()).ok());
  (void)graph.TakeChanges();
  for (int round = 0; round < 20; ++round) {
    AddRandomEdges(graph, rng, 3000 + 10 * round, 200);
    ASSERT_TRUE(pagerank.Update(graph.BuildCsr(), graph.TakeChanges()).ok());
  }
  PageRank fresh;
  ASSERT_TRUE(fresh.Run(graph.BuildCsr()).ok());
  EXPECT_LT(L1(pagerank.Scores(), fresh.Scores()), 2e-9);
}

TEST(PageRankTest, RejectsMisuse) {
  const CsrGraph small = Build(3, {{0, 1, 1}});
  const CsrGraph smaller = Build(2, {{0, 1, 1}});
  PageRank pagerank;
  EXPECT_EQ(pagerank.Update(small).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(pagerank.Update(small, {}).code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(pagerank.Run(small).ok());
  EXPECT_EQ(pagerank.Update(smaller).code(), absl::StatusCode::kInvalidArgument);
  const std::vector<EdgeChange> outside = {{0, 7, 1.0}};
  EXPECT_EQ(pagerank.Update(small, outside).code(), absl::StatusCode::kInvalidArgument);

  PageRank bad_damping({.damping = 1.0});
  EXPECT_EQ(bad_damping.Run(small).code(), absl::StatusCode::kInvalidArgument);
  PageRank bad_tolerance({.tolerance = 0.0});
  EXPECT_EQ(bad_tolerance.Run(small).code(), absl::StatusCode::kInvalidArgument);
}

TEST(PageRankTest, EmptyGraph) {
  PageRank pagerank;
  ASSERT_TRUE(pagerank.Run(CsrGraph{}).ok());
  EXPECT_EQ(pagerank.num_nodes(), 0u);
  EXPECT_TRUE(pagerank.Scores().empty());
}

}  // namespace
}  // namespace reach::analytics
