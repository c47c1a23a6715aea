#include "planner/exact.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "planner/greedy.h"
#include "planner/planner_test_util.h"

namespace reach::planner {
namespace {

// The acceptance test of the solver: on random instances with pools of up to 15 candidates the
// GLPK program and brute force agree on the optimum, and the greedy plan is never below
// (1 - 1/e)/2 of it. The mean and worst ratio are printed (docs/planner.md quotes them).
TEST(Exact, GlpkMatchesBruteForceAndGreedyKeepsItsGuarantee) {
  std::mt19937_64 rng(20261126);
  double sum_ratio = 0, worst = 1;
  int n = 0, optimal_hits = 0, single_won = 0;
  for (int t = 0; t < 300; ++t) {
    testing::RandomSpec spec;
    spec.candidates = 2 + static_cast<int>(rng() % 14);  // 2..15
    spec.max_posts = spec.candidates <= 8 ? 3 : (spec.candidates <= 11 ? 2 : 1);
    spec.persons = 20 + static_cast<int>(rng() % 80);
    spec.max_reach = 5 + static_cast<int>(rng() % 30);
    spec.regions = 1 + static_cast<int>(rng() % 3);
    spec.budget_share = 0.1 + 0.6 * static_cast<double>(rng() % 100) / 100.0;
    Problem p = testing::RandomProblem(rng, spec);
    auto brute = SolveBruteForce(p);
    ASSERT_TRUE(brute.ok()) << brute.status();
    auto exact = SolveExact(p, ExactOptions{.time_limit_ms = 120000});
    ASSERT_TRUE(exact.ok()) << "instance " << t << ": " << exact.status();
    EXPECT_NEAR(exact->value, brute->value, 1e-6 * (1 + brute->value)) << "instance " << t;
    EXPECT_LE(Spend(p, exact->posts), p.budget + 1e-9);
    EXPECT_GE(exact->upper_bound + 1e-6, brute->value);
    GreedyResult g = SolveGreedy(p);
    EXPECT_LE(g.value, brute->value + 1e-9);
    if (brute->value <= 0) continue;
    const double ratio = g.value / brute->value;
    EXPECT_GE(ratio, kGreedyGuarantee) << "instance " << t;
    sum_ratio += ratio;
    worst = std::min(worst, ratio);
    optimal_hits += ratio > 1 - 1e-9;
    single_won += g.single_won;
    ++n;
  }
  ASSERT_GT(n, 250);
  std::printf(
      "greedy/optimal over %d random instances (pools 2..15): mean %.4f, worst %.4f, optimal in "
      "%d, best single chosen in %d; guarantee %.4f\n",
      n, sum_ratio / n, worst, optimal_hits, single_won, kGreedyGuarantee);
}

TEST(Exact, RefusesAnInstanceTooLargeToEnumerate) {
  std::mt19937_64 rng(1);
  testing::RandomSpec spec{.candidates = 40, .persons = 50, .max_posts = 1, .budget_share = 1.0};
  Problem p = testing::RandomProblem(rng, spec);
  auto brute = SolveBruteForce(p, 1000);
  EXPECT_EQ(brute.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Exact, SolvesAPoolOfThirtyWithGlpk) {
  std::mt19937_64 rng(3);
  testing::RandomSpec spec{.candidates = 30, .persons = 200, .max_posts = 2, .budget_share = 0.2};
  Problem p = testing::RandomProblem(rng, spec);
  // A generous wall-clock limit: the machine running the tests may be busy.
  auto exact = SolveExact(p, ExactOptions{.time_limit_ms = 120000});
  ASSERT_TRUE(exact.ok()) << exact.status();
  GreedyResult g = SolveGreedy(p);
  EXPECT_GE(exact->value + 1e-9, g.value);
  EXPECT_LE(Spend(p, exact->posts), p.budget + 1e-9);
}

}  // namespace
}  // namespace reach::planner
