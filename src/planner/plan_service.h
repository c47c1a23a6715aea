// PlanService: the planner behind POST /api/plans, GET /api/plans/{id} and GET /api/plans — plans
// computed from the live engine, saved plans kept in memory and recomputed as data arrives.
//
// A request is parsed (plan_request.h), its input extracted on the engine's writer thread through
// the QueryChannel (plan_input.h), and solved on the caller's thread (plan.h). Saving needs the
// configured API token as "Authorization: Bearer <token>": without a configured token saving is
// refused (PermissionDenied, 403), a missing header or a wrong token is Unauthenticated (401,
// common/bearer.h, as for POST /api/ingest). Refresh recomputes every saved plan whose data changed
// (a newer engine snapshot) and returns, for each plan whose choice or expected reach changed, the
// payload of an SSE "plan" event saying what changed and why.
//
// Thread safety: every method may be called from any thread; saved plans are guarded by a mutex,
// which is never held while a plan is computed. The QueryChannel and the Engine (only current() is
// used directly) must outlive the service.
// Errors: InvalidArgument (400) for a bad request, NotFound for an unknown plan id, Unavailable
// when the engine does not answer in time, ResourceExhausted when max_saved plans are kept.
#ifndef REACH_PLANNER_PLAN_SERVICE_H_
#define REACH_PLANNER_PLAN_SERVICE_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "planner/plan.h"

namespace reach::engine {
class Engine;
class QueryChannel;
}  // namespace reach::engine

namespace reach::planner {

struct PlanServiceOptions {
  std::string api_token;  // empty: saving is disabled
  std::chrono::milliseconds engine_timeout{5000};
  size_t max_saved = 100;
};

class PlanService {
 public:
  PlanService(const engine::Engine& engine, engine::QueryChannel& queries,
              PlanServiceOptions options);

  // POST /api/plans. `authorization` is the Authorization header ("" when absent).
  [[nodiscard]] absl::StatusOr<std::string> Create(std::string_view body,
                                                   std::string_view authorization);
  // GET /api/plans/{id}: the saved plan as last computed.
  [[nodiscard]] absl::StatusOr<std::string> Get(std::string_view id) const;
  // GET /api/plans: {"plans":[{id, name, created, sequence, expected_reach, spend, influencers}]}.
  [[nodiscard]] std::string List() const;
  // Recomputes the saved plans; returns the "plan" event payloads of those that changed.
  [[nodiscard]] std::vector<std::string> Refresh();

  // Computes one plan (no saving, no token): for `reach plan` and tests.
  [[nodiscard]] absl::StatusOr<PlanOutcome> Compute(const PlanRequest& request);

 private:
  struct Saved {
    std::string id;
    PlanRequest request;
    PlanOutcome outcome;
    // The plan as last announced (at creation or in the newest `plan` event): changes are measured
    // against it, so that many small steps between refreshes still add up to an announcement.
    PlanOutcome announced;
    std::string json;
    EventTime created;
    EventTime updated;
    int64_t revisions = 1;
  };

  absl::Status Authorize(std::string_view authorization) const;

  const engine::Engine& engine_;
  engine::QueryChannel& queries_;
  const PlanServiceOptions options_;

  mutable std::mutex mu_;
  uint64_t next_id_ = 1;                                    // guarded by mu_
  std::map<uint64_t, std::shared_ptr<const Saved>> saved_;  // guarded by mu_
};

// The payload of a "plan" event between two computations of the same saved plan; empty when
// nothing a user would see changed (same choice, expected reach within 0.5%).
[[nodiscard]] std::string PlanChangeJson(std::string_view id, const PlanOutcome& before,
                                         const PlanOutcome& after);

}  // namespace reach::planner

#endif  // REACH_PLANNER_PLAN_SERVICE_H_
