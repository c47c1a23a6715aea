// Plan: solves a PlanInput — the greedy plan, the two naive plans under the same budget, and (when
// asked) the exact optimum — and writes the result as the JSON that POST /api/plans returns
// (docs/planner.md documents every field).
//
// Thread safety: pure functions of their arguments; run on any thread (not the engine's).
// Cost: dominated by SolveGreedy; the exact solver only runs for pools of up to kMaxExactPool.
#ifndef REACH_PLANNER_PLAN_H_
#define REACH_PLANNER_PLAN_H_

#include <optional>
#include <string>
#include <string_view>

#include "planner/exact.h"
#include "planner/greedy.h"
#include "planner/plan_input.h"
#include "planner/plan_request.h"

namespace reach::planner {

struct PlanOutcome {
  PlanInput input;
  GreedyResult greedy;
  PlanFigures plan;
  PlanFigures by_followers;  // naive: most followers first
  PlanFigures by_score;      // naive: highest influence score first
  std::optional<ExactResult> exact;
  std::optional<PlanFigures> exact_plan;
  std::string exact_error;  // why the exact solver gave no answer (time limit, ...)
  double solve_ms = 0;
};

// InvalidArgument when the request asks for exact with a pool larger than kMaxExactPool.
[[nodiscard]] absl::StatusOr<PlanOutcome> SolvePlan(PlanInput input, const PlanRequest& request);

// The response body. `id` is the saved plan's id (empty when not saved).
[[nodiscard]] std::string PlanJson(const PlanOutcome& outcome, const PlanRequest& request,
                                   std::string_view id);

}  // namespace reach::planner

#endif  // REACH_PLANNER_PLAN_H_
