#include "planner/rate_card.h"

#include <gtest/gtest.h>

namespace reach::planner {
namespace {

TEST(ParseRateCard, ReadsIdsHandlesHeaderAndMaxPosts) {
  auto card = ParseRateCard(
      "user_id_or_handle,cost_per_post,max_posts\n"
      "12345, 250\n"
      "\n"
      "# a comment\n"
      "@Alice,1200.5,2\r\n");
  ASSERT_TRUE(card.ok()) << card.status();
  ASSERT_EQ(card->size(), 2u);
  EXPECT_EQ((*card)[0].user_id, 12345u);
  EXPECT_EQ((*card)[0].cost_per_post, 250);
  EXPECT_EQ((*card)[0].max_posts, kDefaultMaxPosts);
  EXPECT_EQ((*card)[0].line, 2);
  EXPECT_EQ((*card)[1].handle, "alice");
  EXPECT_EQ((*card)[1].cost_per_post, 1200.5);
  EXPECT_EQ((*card)[1].max_posts, 2);
  EXPECT_EQ((*card)[1].line, 5);
}

TEST(ParseRateCard, NamesTheLineOfAMalformedEntry) {
  struct Case {
    const char* csv;
    const char* message;
  } cases[] = {
      {"1,10\n2,abc\n", "rate card line 2: cost_per_post \"abc\" is not a number"},
      {"1,10\n2,-5\n", "rate card line 2: cost_per_post must be > 0, got -5"},
      {"1,10\n\n3\n",
       "rate card line 3: expected user_id_or_handle,cost_per_post[,max_posts], got 1 field"},
      {"1,10,0\n", "rate card line 1: max_posts must be an integer 1..100, got \"0\""},
      {"1,10,1,9\n",
       "rate card line 1: expected user_id_or_handle,cost_per_post[,max_posts], got 4 fields"},
      {"@bob,10\n@BOB,20\n", "rate card line 2: @BOB is listed twice"},
      {"1,10\n,20\n", "rate card line 2: the account is empty"},
      {"1,10\nx,nan\n", "rate card line 2: cost_per_post must be > 0, got nan"},
  };
  for (const Case& c : cases) {
    auto card = ParseRateCard(c.csv);
    ASSERT_FALSE(card.ok()) << c.csv;
    EXPECT_EQ(card.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(card.status().message(), c.message);
  }
  // Only the first content line may be a header.
  auto late_header = ParseRateCard("1,10\nhandle,cost\n");
  EXPECT_EQ(late_header.status().message(),
            "rate card line 2: cost_per_post \"cost\" is not a number");
}

TEST(Cpm, PricesByFollowerTier) {
  EXPECT_EQ(TierFor(500).name, "nano");
  EXPECT_EQ(TierFor(10'000).name, "micro");
  EXPECT_EQ(TierFor(2'500'000).name, "macro");
  EXPECT_EQ(TierFor(50'000'000).name, "mega");
  EXPECT_DOUBLE_EQ(CpmCostPerPost(100), kMinPostCost);         // 2.5 -> the minimum
  EXPECT_DOUBLE_EQ(CpmCostPerPost(50'000), 50 * 20.0);         // micro
  EXPECT_DOUBLE_EQ(CpmCostPerPost(2'000'000), 2000 * 10.0);    // macro
  EXPECT_DOUBLE_EQ(CpmCostPerPost(-1), CpmCostPerPost(1000));  // unknown = 1,000
}

}  // namespace
}  // namespace reach::planner
