// PlanRequest: what a user asks the planner (the body of POST /api/plans, or the flags of
// `reach plan`), parsed and validated.
//
//   {"budget": 10000, "countries": ["US","GB"] | {"US": 2, "GB": 1}, "topics": ["coffee"],
//    "min_sentiment": 0.05, "rate_card": "user_id_or_handle,cost_per_post[,max_posts]\n...",
//    "pool": 2000 | ["12345", "@alice"], "window": "all", "exact": false, "save": false,
//    "name": "spring launch"}
//
// Only "budget" is required. Errors are InvalidArgument naming the field: a negative or non-numeric
// budget, a country that is not an ISO 3166-1 alpha-2 code, a negative country weight, a
// malformed rate-card line (with its line number), an empty pool, an unknown field.
//
// Pure; thread-compatible.
#ifndef REACH_PLANNER_PLAN_REQUEST_H_
#define REACH_PLANNER_PLAN_REQUEST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "engine/window.h"
#include "planner/rate_card.h"

namespace reach::planner {

inline constexpr int kDefaultPool = 2000;
inline constexpr int kMaxPool = 20000;
inline constexpr int kMaxExactPool = 40;

struct PlanRequest {
  double budget = 0;
  // Target countries with weights (upper-case ISO 3166-1 alpha-2); empty = every country (and
  // engagers of unknown country) with weight 1.
  std::vector<std::pair<std::string, double>> countries;
  std::vector<std::string> topics;  // case-folded, without '#'; empty = every engagement
  std::optional<double> min_sentiment;
  std::string rate_card_csv;  // as given, for saving and recomputation
  std::vector<RateCardEntry> rate_card;
  int pool_size = kDefaultPool;       // top N by score when pool_ids is empty
  std::vector<std::string> pool_ids;  // user ids or handles as given (no '@'), when a list
  engine::Window window = engine::Window::kAll;
  bool exact = false;
  bool save = false;
  std::string name;
};

// True for an officially assigned ISO 3166-1 alpha-2 code (upper case).
[[nodiscard]] bool IsIsoCountry(std::string_view code);

// Parses a JSON request body.
[[nodiscard]] absl::StatusOr<PlanRequest> ParsePlanRequest(std::string_view json);

// Parses "US,GB" or "US:2,GB:1" (the CLI's --countries).
[[nodiscard]] absl::StatusOr<std::vector<std::pair<std::string, double>>> ParseCountryList(
    std::string_view text);

// Checks the fields that do not come from JSON (the CLI builds requests directly).
[[nodiscard]] absl::Status ValidatePlanRequest(const PlanRequest& request);

// The request as JSON (for saved plans and the CLI's --server mode); the rate card as its CSV.
[[nodiscard]] std::string PlanRequestJson(const PlanRequest& request);

}  // namespace reach::planner

#endif  // REACH_PLANNER_PLAN_REQUEST_H_
