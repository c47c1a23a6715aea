#include "analytics/louvain.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reach::analytics {
namespace {

using ::testing::ElementsAre;

CsrGraph Build(uint32_t n, const std::vector<WeightedEdge>& edges) {
  absl::StatusOr<CsrGraph> csr = CsrGraph::FromEdges(n, edges);
  EXPECT_TRUE(csr.ok()) << csr.status();
  return *std::move(csr);
}

// `count` cliques of `size` nodes; clique c is joined to clique c + 1 by one edge (a ring if
// `ring`). Edges point from the lower to the higher node.
std::vector<WeightedEdge> Cliques(uint32_t count, uint32_t size, bool ring) {
  std::vector<WeightedEdge> edges;
  for (uint32_t c = 0; c < count; ++c) {
    for (uint32_t a = 0; a < size; ++a) {
      for (uint32_t b = a + 1; b < size; ++b) edges.push_back({c * size + a, c * size + b, 1});
    }
    if (c + 1 < count || ring) edges.push_back({c * size + size - 1, ((c + 1) % count) * size, 1});
  }
  return edges;
}

TEST(LouvainTest, TwoCliquesJoinedByOneEdge) {
  const CsrGraph csr = Build(8, Cliques(2, 4, /*ring=*/false));
  const std::vector<double> scores = {0.1, 0.3, 0.2, 0.4, 0.9, 0.05, 0.06, 0.07};
  absl::StatusOr<CommunityResult> result = Louvain({.top_k = 2}).Run(csr, scores);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(result->community, ElementsAre(0, 0, 0, 0, 1, 1, 1, 1));
  // m = 13; each side has 6 internal edges and strength 13: Q = 2 (12/26 - (13/26)^2) = 12/13 -
  // 1/2.
  EXPECT_NEAR(result->modularity, 12.0 / 13 - 0.5, 1e-12);
  ASSERT_EQ(result->communities.size(), 2u);
  for (const Community& c : result->communities) {
    EXPECT_EQ(c.size, 4u);
    EXPECT_EQ(c.internal_weight, 6.0);
    EXPECT_EQ(c.internal_edges, 6u);
    EXPECT_EQ(c.density, 1.0);
  }
  EXPECT_THAT(result->communities[0].leading, ElementsAre(3, 1));
  EXPECT_THAT(result->communities[1].leading, ElementsAre(4, 7));
}

TEST(LouvainTest, RingOfCliquesNeedsAggregation) {
  const CsrGraph csr = Build(60, Cliques(12, 5, /*ring=*/true));
  absl::StatusOr<CommunityResult> result = Louvain().Run(csr);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->communities.size(), 12u);
  for (uint32_t c = 0; c < 12; ++c) {
    for (uint32_t i = 1; i < 5; ++i) {
      EXPECT_EQ(result->community[c * 5 + i], result->community[c * 5]);
    }
  }
  // m = 12 x 11; each clique: 10 internal edges, strength 22.
  const double m = 12 * 11;
  EXPECT_NEAR(result->modularity, 12 * (20 / (2 * m) - (22 / (2 * m)) * (22 / (2 * m))), 1e-12);
  EXPECT_TRUE(result->communities[0].leading.empty());  // no scores given
}

TEST(LouvainTest, SumsBothDirectionsAndIsDeterministic) {
  // Reciprocal edges weigh double: {0, 1} and {2, 3} are strong pairs, 1 - 2 is weak.
  const CsrGraph csr = Build(4, {{0, 1, 3}, {1, 0, 3}, {2, 3, 3}, {3, 2, 3}, {1, 2, 1}});
  absl::StatusOr<CommunityResult> a = Louvain().Run(csr);
  absl::StatusOr<CommunityResult> b = Louvain().Run(csr);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_THAT(a->community, ElementsAre(0, 0, 1, 1));
  EXPECT_EQ(a->community, b->community);
  EXPECT_EQ(a->communities[0].internal_weight, 6.0);
  EXPECT_EQ(a->communities[0].internal_edges, 1u);  // one pair, two directions
  EXPECT_EQ(a->communities[0].density, 6.0);        // weighted density exceeds 1
}

TEST(LouvainTest, ModularityUsesIgraphConventionForSelfLoops) {
  // igraph 0.10.2: the undirected collapse (sum) of this graph; Graph.modularity(...) gives
  // 0.3671875 for [0, 0, 1, 1] and -0.0703125 for [0, 1, 1, 1].
  const CsrGraph csr = Build(4, {{0, 1, 1}, {1, 0, 2}, {1, 2, 1}, {2, 2, 3}, {2, 3, 1}});
  const std::vector<uint32_t> halves = {0, 0, 1, 1};
  const std::vector<uint32_t> lopsided = {0, 1, 1, 1};
  EXPECT_DOUBLE_EQ(*Modularity(csr, halves), 0.3671875);
  EXPECT_DOUBLE_EQ(*Modularity(csr, lopsided), -0.0703125);
  absl::StatusOr<CommunityResult> result = Louvain().Run(csr);
  ASSERT_TRUE(result.ok());
  EXPECT_GE(result->modularity, 0.3671875 - 1e-12);
}

TEST(LouvainTest, GraphWithoutEdgesKeepsSingletons) {
  absl::StatusOr<CommunityResult> result = Louvain().Run(Build(3, {}));
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->community, ElementsAre(0, 1, 2));
  EXPECT_EQ(result->modularity, 0.0);
  EXPECT_EQ(result->communities[2].density, 0.0);
}

TEST(LouvainTest, RejectsMismatchedInputs) {
  const CsrGraph csr = Build(3, {{0, 1, 1}});
  const std::vector<double> scores = {1.0};
  EXPECT_EQ(Louvain().Run(csr, scores).status().code(), absl::StatusCode::kInvalidArgument);
  const std::vector<uint32_t> community = {0, 0};
  EXPECT_EQ(Modularity(csr, community).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Louvain({.max_levels = 0}).Run(csr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace reach::analytics
