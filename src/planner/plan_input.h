// PlanInput: a planning Problem built from what the stream observed — the candidate pool from the
// published leaderboard, prices from the rate card or the CPM table, and each candidate's audience
// from the engine's AudienceSets.
//
// The audience model (docs/planner.md): in the request's window, engager u engaged n(i,u) times
// with candidate i, who authored m(i) posts in the window; one new post of i reaches u with
// probability p(i,u) = n(i,u) / max(m(i), n(i,u)) (so at most 1). Only engagements that pass the
// request's filters count: the engaged post carries one of the topics, its sentiment is at least
// min_sentiment, the engager's country is a target country. An engager's region is its country
// (or "??" when unknown and no countries were asked for).
//
// Thread safety: BuildPlanInput reads live engine state, so it runs on the engine's writer thread
// (as a QueryChannel question, or in a batch program after ingest ended). The PlanInput it returns
// owns all its data.
// Errors: InvalidArgument for a pool entry that names no known account and for an empty pool.
// Cost: O(users) to resolve handles, plus O(kept engagements of the pool).
#ifndef REACH_PLANNER_PLAN_INPUT_H_
#define REACH_PLANNER_PLAN_INPUT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "planner/plan_request.h"
#include "planner/problem.h"

namespace reach::engine {
class Engine;
}

namespace reach::planner {

struct PlanInput {
  Problem problem;
  std::vector<std::string> cost_source;  // per candidate: "rate_card" or "cpm:<tier>"
  uint64_t sequence = 0;                 // the snapshot the pool came from
  EventTime as_of;                       // its event-time watermark
  int64_t engagements = 0;               // engagements that passed the filters
  std::vector<std::string> warnings;     // e.g. rate-card accounts not in the pool
};

[[nodiscard]] absl::StatusOr<PlanInput> BuildPlanInput(const engine::Engine& engine,
                                                       const PlanRequest& request);

}  // namespace reach::planner

#endif  // REACH_PLANNER_PLAN_INPUT_H_
