// RateCard: what each influencer charges per post, from a CSV the user supplies, and the CPM tier
// table that prices the influencers the card does not list.
//
//   user_id_or_handle,cost_per_post[,max_posts]
//   12345,250
//   @alice,1200,3
//
// A first line whose cost is not a number is a header and is skipped; blank lines and lines
// starting with '#' are ignored. An account is a user id (decimal digits) or a handle (a leading
// '@' is dropped; compared case-insensitively). cost_per_post is a finite number > 0; max_posts an
// integer 1..100 (absent: kDefaultMaxPosts). Errors are InvalidArgument naming the line: "rate card
// line 3: cost_per_post "abc" is not a number". The same account twice is an error too.
//
// CPM pricing (docs/planner.md): cost per post = max(kMinPostCost, followers / 1000 * CPM of the
// account's tier); unknown follower counts are priced as 1,000 followers.
#ifndef REACH_PLANNER_RATE_CARD_H_
#define REACH_PLANNER_RATE_CARD_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace reach::planner {

inline constexpr int kDefaultMaxPosts = 3;
inline constexpr int kMaxPostsLimit = 100;
inline constexpr double kMinPostCost = 10.0;

struct RateCardEntry {
  uint64_t user_id = 0;  // when the line named an id
  std::string handle;    // when it named a handle: lower case, without '@'
  double cost_per_post = 0;
  int max_posts = kDefaultMaxPosts;
  int line = 0;  // 1-based line in the CSV
};

[[nodiscard]] absl::StatusOr<std::vector<RateCardEntry>> ParseRateCard(std::string_view csv);

struct CpmTier {
  int64_t min_followers;
  double cpm;  // cost per 1,000 followers, per post
  std::string_view name;
};

// By ascending min_followers: nano, micro, mid, macro, mega.
inline constexpr std::array<CpmTier, 5> kCpmTiers{{
    {0, 25.0, "nano"},
    {10'000, 20.0, "micro"},
    {100'000, 15.0, "mid"},
    {1'000'000, 10.0, "macro"},
    {10'000'000, 8.0, "mega"},
}};

[[nodiscard]] const CpmTier& TierFor(int64_t followers);
[[nodiscard]] double CpmCostPerPost(int64_t followers);

}  // namespace reach::planner

#endif  // REACH_PLANNER_RATE_CARD_H_
