#include "analytics/engagement_graph.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reach::analytics {
namespace {

using ::testing::ElementsAre;

TEST(EngagementGraphTest, AccumulatesWeightsIntoOneEdge) {
  EngagementGraph graph;
  ASSERT_TRUE(graph.AddEdge(0, 1).ok());
  ASSERT_TRUE(graph.AddEdge(0, 1, 2.5).ok());
  ASSERT_TRUE(graph.AddEdge(2, 1).ok());
  EXPECT_EQ(graph.Weight(0, 1), 3.5);
  EXPECT_EQ(graph.Weight(1, 0), 0.0);
  EXPECT_EQ(graph.num_edges(), 2u);
  EXPECT_EQ(graph.num_nodes(), 3u);
}

TEST(EngagementGraphTest, BuildsSortedOutAndInAdjacency) {
  EngagementGraph graph;
  ASSERT_TRUE(graph.AddEdge(0, 3, 1).ok());
  ASSERT_TRUE(graph.AddEdge(0, 1, 2).ok());
  ASSERT_TRUE(graph.AddEdge(2, 1, 4).ok());
  ASSERT_TRUE(graph.AddEdge(3, 3, 5).ok());  // self-loop kept
  ASSERT_TRUE(graph.AddEdge(0, 1, 1).ok());
  ASSERT_TRUE(graph.EnsureNodes(5).ok());
  const CsrGraph csr = graph.BuildCsr();
  EXPECT_EQ(csr.num_nodes, 5u);
  EXPECT_EQ(csr.num_edges(), 4u);
  EXPECT_THAT(csr.out_offsets, ElementsAre(0, 2, 2, 3, 4, 4));
  EXPECT_THAT(csr.out_targets, ElementsAre(1, 3, 1, 3));
  EXPECT_THAT(csr.out_weights, ElementsAre(3, 1, 4, 5));
  EXPECT_THAT(csr.in_offsets, ElementsAre(0, 0, 2, 2, 4, 4));
  EXPECT_THAT(csr.in_sources, ElementsAre(0, 2, 0, 3));
  EXPECT_THAT(csr.in_weights, ElementsAre(3, 4, 1, 5));
  EXPECT_THAT(csr.out_strength, ElementsAre(4, 0, 4, 5, 0));
  EXPECT_EQ(csr.OutDegree(0), 2u);
  EXPECT_EQ(csr.InDegree(3), 2u);
  // 4 edges x (4 + 4 + 4 + 4) + 2 x 6 offsets x 4 + 5 strengths x 8.
  EXPECT_EQ(csr.BytesUsed(), 4u * 16 + 2 * 6 * 4 + 5 * 8);
}

TEST(EngagementGraphTest, DecrementRemovesEdgeAtZero) {
  EngagementGraph graph;
  ASSERT_TRUE(graph.AddEdge(0, 1, 2).ok());
  ASSERT_TRUE(graph.DecrementEdge(0, 1, 1).ok());
  EXPECT_EQ(graph.Weight(0, 1), 1.0);
  ASSERT_TRUE(graph.DecrementEdge(0, 1, 1).ok());
  EXPECT_EQ(graph.num_edges(), 0u);
  EXPECT_EQ(graph.DecrementEdge(0, 1, 1).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(graph.num_nodes(), 2u);  // nodes stay
  EXPECT_EQ(graph.BuildCsr().num_edges(), 0u);
}

TEST(EngagementGraphTest, RemoveEdgeDropsWholeWeight) {
  EngagementGraph graph;
  ASSERT_TRUE(graph.AddEdge(1, 0, 7).ok());
  ASSERT_TRUE(graph.RemoveEdge(1, 0).ok());
  EXPECT_EQ(graph.Weight(1, 0), 0.0);
  EXPECT_EQ(graph.RemoveEdge(1, 0).code(), absl::StatusCode::kNotFound);
}

TEST(EngagementGraphTest, RejectsBadWeightsAndNodes) {
  EngagementGraph graph;
  EXPECT_EQ(graph.AddEdge(0, 1, 0).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(graph.AddEdge(0, 1, -1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(graph.AddEdge(0, 1, std::nan("")).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(graph.AddEdge(0, UINT32_MAX).code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(graph.AddEdge(0, 1).ok());
  EXPECT_EQ(graph.DecrementEdge(0, 1, -1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(graph.num_edges(), 1u);
}

TEST(EngagementGraphTest, RecordsChangesOnlyWhenAsked) {
  EngagementGraph quiet;
  ASSERT_TRUE(quiet.AddEdge(0, 1).ok());
  EXPECT_TRUE(quiet.TakeChanges().empty());

  EngagementGraph graph({.record_changes = true});
  ASSERT_TRUE(graph.AddEdge(0, 1, 2).ok());
  ASSERT_TRUE(graph.DecrementEdge(0, 1, 0.5).ok());
  ASSERT_TRUE(graph.RemoveEdge(0, 1).ok());
  const std::vector<EdgeChange> changes = graph.TakeChanges();
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].delta, 2.0);
  EXPECT_EQ(changes[1].delta, -0.5);
  EXPECT_EQ(changes[2].delta, -1.5);
  EXPECT_EQ(changes[2].from, 0u);
  EXPECT_EQ(changes[2].to, 1u);
  EXPECT_TRUE(graph.TakeChanges().empty());
}

TEST(CsrGraphTest, FromEdgesSumsRepeatedPairs) {
  const std::vector<WeightedEdge> edges = {{2, 0, 1}, {0, 1, 1}, {2, 0, 2}, {0, 2, 1}};
  absl::StatusOr<CsrGraph> csr = CsrGraph::FromEdges(3, edges);
  ASSERT_TRUE(csr.ok());
  EXPECT_THAT(csr->out_targets, ElementsAre(1, 2, 0));
  EXPECT_THAT(csr->out_weights, ElementsAre(1, 1, 3));
  EXPECT_THAT(csr->in_sources, ElementsAre(2, 0, 0));
  EXPECT_THAT(csr->out_strength, ElementsAre(2, 0, 3));
}

TEST(CsrGraphTest, FromEdgesRejectsBadInput) {
  const std::vector<WeightedEdge> out_of_range = {{0, 3, 1}};
  EXPECT_EQ(CsrGraph::FromEdges(3, out_of_range).status().code(),
            absl::StatusCode::kInvalidArgument);
  const std::vector<WeightedEdge> negative = {{0, 1, -1}};
  EXPECT_EQ(CsrGraph::FromEdges(3, negative).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace reach::analytics
