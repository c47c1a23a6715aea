// Exact solvers for small instances of the problem in problem.h, used to report how far the greedy
// plan is from the optimum.
//
// SolveExact (GLPK, Debian's libglpk-dev) solves the integer program
//     max  sum_u w(u) z(u)
//     s.t. sum_i cost_i k_i <= budget,   k_i integer in [0, max_posts_i],
//          z(u) <= 1 - exp(L_u(k)),  L_u(k) = sum_i k_i log(1 - p(i,u)),   0 <= z(u) <= 1,
// where the concave constraint is replaced by its tangent cuts z(u) <= 1 - e^a - e^a (L_u(k) - a)
// (outer approximation, Kelley's cutting-plane method): the MIP is solved, a cut is added at
// a = L_u(k*) for every person whose z overstates its true value at the MIP's solution k*, and the
// MIP is solved again, until the solution's true value meets the MIP bound (within `tolerance`).
// Each cut is exact at its point, so no allocation is overstated twice and the loop ends; the
// result is optimal for F. p = 1 is treated as 1 - 1e-12 inside the program (the reported value is
// F itself).
//
// SolveBruteForce enumerates every allocation within the budget: the tests' reference.
//
// Cost: exponential in the worst case; meant for pools of up to a few dozen candidates. SolveExact
// returns DeadlineExceeded when GLPK's time limit or the round limit ends it before optimality,
// InvalidArgument for a bad problem, Internal when GLPK fails. Thread-compatible.
#ifndef REACH_PLANNER_EXACT_H_
#define REACH_PLANNER_EXACT_H_

#include <cstdint>

#include "common/status.h"
#include "planner/problem.h"

namespace reach::planner {

struct ExactOptions {
  int time_limit_ms = 20000;  // for all rounds together
  int max_rounds = 1000;
  double tolerance = 1e-7;  // relative gap between the MIP bound and the true value
};

struct ExactResult {
  Allocation posts;
  double value = 0;        // F(posts)
  double upper_bound = 0;  // the last MIP objective (>= the optimum)
  int rounds = 0;          // MIPs solved
  int64_t cuts = 0;        // tangent cuts added
};

[[nodiscard]] absl::StatusOr<ExactResult> SolveExact(const Problem& problem,
                                                     const ExactOptions& options = {});

// InvalidArgument when the instance has more than `max_allocations` allocations to try.
[[nodiscard]] absl::StatusOr<ExactResult> SolveBruteForce(const Problem& problem,
                                                          int64_t max_allocations = 50'000'000);

}  // namespace reach::planner

#endif  // REACH_PLANNER_EXACT_H_
