#include "engine/follow_graph.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace reach::engine {
namespace {

std::vector<uint64_t> Followees(const FollowGraph& g, uint64_t u) {
  std::vector<uint64_t> out;
  g.ForEachFollowee(UserId{u}, [&](UserId f) { out.push_back(f.value); });
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FollowGraphTest, BulkEdgesEventsAndUnfollows) {
  FollowGraph g;
  EXPECT_TRUE(g.empty());
  g.AddEdges({{UserId{1}, UserId{2}},
              {UserId{1}, UserId{3}},
              {UserId{1}, UserId{2}},
              {UserId{4}, UserId{4}},
              {UserId{0}, UserId{5}},
              {UserId{2}, UserId{1}}});
  EXPECT_EQ(g.size(), 3u);  // duplicates, self-loops and unknown ids dropped
  EXPECT_TRUE(g.Follows(UserId{1}, UserId{2}));
  EXPECT_FALSE(g.Follows(UserId{2}, UserId{3}));
  g.Follow(UserId{1}, UserId{9});
  g.Unfollow(UserId{1}, UserId{2});
  EXPECT_FALSE(g.Follows(UserId{1}, UserId{2}));
  EXPECT_TRUE(g.Follows(UserId{1}, UserId{9}));
  EXPECT_EQ(Followees(g, 1), (std::vector<uint64_t>{3, 9}));
  EXPECT_EQ(g.size(), 3u);
  g.Follow(UserId{1}, UserId{2});  // back again
  g.Unfollow(UserId{1}, UserId{9});
  EXPECT_EQ(Followees(g, 1), (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(g.FolloweeCount(UserId{1}), 2u);
  EXPECT_EQ(g.FolloweeCount(UserId{7}), 0u);
  // A later bulk load of an edge first added by an event keeps one copy.
  g.Follow(UserId{5}, UserId{6});
  g.AddEdges({{UserId{5}, UserId{6}}});
  EXPECT_EQ(Followees(g, 5), (std::vector<uint64_t>{6}));
}

}  // namespace
}  // namespace reach::engine
