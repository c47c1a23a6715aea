#include "analytics/node_index.h"

#include "gtest/gtest.h"

namespace reach::analytics {
namespace {

TEST(NodeIndexTest, AssignsDenseIndicesInOrderOfFirstAppearance) {
  NodeIndex index;
  EXPECT_EQ(*index.GetOrAdd(9'000'000'000ULL), 0u);
  EXPECT_EQ(*index.GetOrAdd(42), 1u);
  EXPECT_EQ(*index.GetOrAdd(9'000'000'000ULL), 0u);
  EXPECT_EQ(*index.GetOrAdd(7), 2u);
  EXPECT_EQ(index.size(), 3u);
  EXPECT_EQ(index.IdOf(1), 42u);
  EXPECT_EQ(index.ids(), (std::vector<uint64_t>{9'000'000'000ULL, 42, 7}));
  EXPECT_GT(index.BytesUsed(), 3 * sizeof(uint64_t));
}

TEST(NodeIndexTest, FindDoesNotAdd) {
  NodeIndex index;
  EXPECT_EQ(index.Find(5), std::nullopt);
  ASSERT_TRUE(index.GetOrAdd(5).ok());
  EXPECT_EQ(index.Find(5), 0u);
  EXPECT_EQ(index.Find(6), std::nullopt);
  EXPECT_EQ(index.size(), 1u);
}

}  // namespace
}  // namespace reach::analytics
