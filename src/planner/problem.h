// Problem: one budget-planning instance — candidate influencers with a price per post, how many
// posts each may buy, and the people each one reaches with a per-post engagement probability — and
// the figures of an allocation (posts per candidate) under the expected-coverage objective.
//
// The objective (docs/planner.md). Person u, in region r(u) with weight w(r), is reached by one
// post of candidate i with probability p(i,u), independently across posts and candidates. An
// allocation k (k_i posts of candidate i) reaches u with probability 1 - prod_i (1 - p(i,u))^k_i,
// and is worth
//     F(k) = sum_u w(r(u)) * (1 - prod_i (1 - p(i,u))^k_i),
// the expected weighted number of distinct people reached: audience overlap is counted once. As a
// set function over "post slots" (i, j) F is monotone and submodular, so the greedy solvers in
// greedy.h carry the budgeted-submodular guarantee.
//
// Pure values, no I/O; thread-compatible (const access from any number of threads).
#ifndef REACH_PLANNER_PROBLEM_H_
#define REACH_PLANNER_PROBLEM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace reach::planner {

// One person a candidate reaches: a dense person index and the per-post probability.
struct Reach {
  uint32_t person = 0;
  float p = 0;  // in (0, 1]
};

struct Candidate {
  uint64_t id = 0;  // the account's user id
  std::string handle;
  double cost_per_post = 0;  // > 0
  int max_posts = 1;         // >= 1
  int64_t followers = -1;    // platform-reported, -1 unknown (for the naive plan and the CPM table)
  double score = 0;          // influence score (for the naive plan)
  bool cost_from_rate_card = false;
  std::vector<Reach> reach;  // distinct persons
};

struct Problem {
  double budget = 0;
  std::vector<Candidate> candidates;
  std::vector<uint16_t> person_region;  // per person: index into regions
  std::vector<std::string> regions;     // region names (ISO 3166-1 alpha-2, or "??" unknown)
  std::vector<double> region_weight;    // per region, >= 0

  [[nodiscard]] size_t persons() const { return person_region.size(); }
  [[nodiscard]] double weight(uint32_t person) const {
    return region_weight[person_region[person]];
  }
};

// InvalidArgument naming the first inconsistency (bad cost, probability, person or region index).
absl::Status ValidateProblem(const Problem& problem);

// Posts bought per candidate (same order as Problem::candidates).
using Allocation = std::vector<int>;

struct ChoiceFigures {
  size_t candidate = 0;  // index into Problem::candidates
  int posts = 0;
  double spend = 0;
  double expected_reach = 0;  // this candidate alone: expected distinct people (unweighted)
  double value = 0;           // this candidate alone: weighted
  double marginal_value = 0;  // what removing it would lose (weighted)
};

struct OverlapPair {
  size_t a = 0;
  size_t b = 0;       // candidate indices
  double shared = 0;  // expected people reached by both
};

struct PlanFigures {
  Allocation posts;
  std::vector<ChoiceFigures> choices;  // candidates with posts > 0, by value descending
  double spend = 0;
  double value = 0;                     // F(k): weighted expected distinct people
  double expected_reach = 0;            // unweighted expected distinct people in the target regions
  std::vector<double> reach_by_region;  // per Problem::regions
  double cost_per_person = 0;           // spend / expected_reach (0 when nothing is reached)
  double sum_of_reaches = 0;            // sum of the choices' own expected reach
  double overlap_share = 0;  // 1 - expected_reach / sum_of_reaches: the part counted twice
  std::vector<OverlapPair> top_overlaps;  // largest shared audiences between two choices
};

// F(k) only.
[[nodiscard]] double Value(const Problem& problem, const Allocation& posts);
[[nodiscard]] double Spend(const Problem& problem, const Allocation& posts);
// Every figure of the allocation; `max_pairs` bounds top_overlaps.
[[nodiscard]] PlanFigures Evaluate(const Problem& problem, const Allocation& posts,
                                   size_t max_pairs = 10);

}  // namespace reach::planner

#endif  // REACH_PLANNER_PROBLEM_H_
