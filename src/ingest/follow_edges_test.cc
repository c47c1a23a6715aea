#include "ingest/follow_edges.h"

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

namespace reach::ingest {
namespace {

TEST(FollowEdgesTest, ReadsPairsSkipsCommentsAndCountsBadLines) {
  const std::string path = ::testing::TempDir() + "/follow_edges_test.txt";
  {
    std::ofstream f(path);
    f << "# follower followee\n1 2\n3\t4 17\n\n5 x\n6\n7 8 # trailing comment\n0 9\n";
  }
  auto edges = ReadFollowEdges(path);
  ASSERT_TRUE(edges.ok()) << edges.status();
  ASSERT_EQ(edges->edges.size(), 3u);
  EXPECT_EQ(edges->edges[0], std::make_pair(UserId{1}, UserId{2}));
  EXPECT_EQ(edges->edges[1], std::make_pair(UserId{3}, UserId{4}));
  EXPECT_EQ(edges->edges[2], std::make_pair(UserId{7}, UserId{8}));
  EXPECT_EQ(edges->bad_lines, 3u);
  EXPECT_NE(edges->first_bad.find(":5"), std::string::npos);
  std::remove(path.c_str());
}

TEST(FollowEdgesTest, ReadsTheGzippedHiggsEdgeList) {
  // The shipped Higgs retweet network has the same "a b weight" shape as the social network.
  auto edges =
      ReadFollowEdges(std::string(REACH_SHARED_DATA) + "/higgs/higgs-retweet_network.edgelist.gz");
  ASSERT_TRUE(edges.ok()) << edges.status();
  EXPECT_EQ(edges->bad_lines, 0u);
  EXPECT_EQ(edges->edges.size(), edges->lines);
  EXPECT_GT(edges->edges.size(), 300'000u);
}

TEST(FollowEdgesTest, MissingFileIsNotFound) {
  EXPECT_EQ(ReadFollowEdges("/nonexistent/edges.txt").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace reach::ingest
