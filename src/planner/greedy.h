// Greedy solvers for the budgeted expected-coverage problem of problem.h, and the naive plans they
// are compared with.
//
// SolveGreedy is the cost-benefit greedy of Khuller, Moss & Naor ("The budgeted maximum coverage
// problem", IPL 70(1), 1999) evaluated lazily as in CELF (Leskovec et al., "Cost-effective outbreak
// detection in networks", KDD 2007). The ground set is the post slots: buying the j-th post of
// candidate i costs its price and gains sum_u w(u) * miss(u) * p(i,u), where miss(u) is the chance
// that u is not yet reached. Each step buys the affordable slot with the largest gain per unit of
// cost (a candidate's next slot becomes available once its previous one is bought; a slot that no
// longer fits the remaining budget is dropped and the search goes on). Because F is monotone and
// submodular, a stored gain is an upper bound of the current one, so CELF recomputes only the top
// of its priority queue until the top is fresh. Separately it takes the best single candidate with
// as many posts as it may buy within the budget, and returns the better of the two plans. For a
// monotone submodular objective under a budget (knapsack) constraint that choice is at least
// (1 - 1/e) / 2 ~ 0.316 of the optimum (Khuller, Moss & Naor 1999 for coverage; Krause & Guestrin,
// "A note on the budgeted maximization of submodular functions", CMU-CALD-05-103, 2005, for
// submodular objectives; Leskovec et al. 2007, Theorem 2).
//
// SolvePlainGreedy gives the same plan without laziness (every gain recomputed every step): the
// baseline of bench/planner_bench.cc and a cross-check in the tests.
//
// Cost: CELF is O(R) to seed plus O(|reach_i|) per recomputation; plain greedy is O(steps * R),
// R = total reach entries. Pure functions; thread-compatible.
#ifndef REACH_PLANNER_GREEDY_H_
#define REACH_PLANNER_GREEDY_H_

#include <cstdint>
#include <vector>

#include "planner/problem.h"

namespace reach::planner {

struct GreedyResult {
  Allocation posts;         // the returned plan (the better of the two)
  double value = 0;         // F(posts)
  double greedy_value = 0;  // the cost-benefit greedy plan's value
  double single_value = 0;  // the best single candidate's value
  bool single_won = false;
  int64_t gain_evaluations = 0;  // marginal gains computed (CELF saves most of them)
};

[[nodiscard]] GreedyResult SolveGreedy(const Problem& problem);
[[nodiscard]] GreedyResult SolvePlainGreedy(const Problem& problem);

// The naive plans: walk `order` buying one post of each candidate that still fits the budget; when
// the list is exhausted and money is left, walk it again buying a further post of each (up to its
// max_posts), until nothing more fits.
[[nodiscard]] Allocation NaivePlan(const Problem& problem, const std::vector<size_t>& order);
// Candidate indices by followers (descending; unknown last), ties by index.
[[nodiscard]] std::vector<size_t> OrderByFollowers(const Problem& problem);
// Candidate indices by influence score (descending), ties by index.
[[nodiscard]] std::vector<size_t> OrderByScore(const Problem& problem);

// (1 - 1/e) / 2: the guarantee of SolveGreedy relative to the optimum.
inline constexpr double kGreedyGuarantee = 0.31606027941427883;

}  // namespace reach::planner

#endif  // REACH_PLANNER_GREEDY_H_
