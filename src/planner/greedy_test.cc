#include "planner/greedy.h"

#include <gtest/gtest.h>

#include <random>

#include "planner/planner_test_util.h"

namespace reach::planner {
namespace {

Problem TwoRegions() {
  // Persons 0..5 in region "US", 6..9 in "GB".
  Problem p;
  p.regions = {"US", "GB"};
  p.region_weight = {1.0, 1.0};
  p.person_region = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
  p.budget = 100;
  return p;
}

TEST(Evaluate, CountsOverlapOnceAndSplitsByRegion) {
  Problem p = TwoRegions();
  Candidate a{.id = 1, .cost_per_post = 40, .max_posts = 2};
  a.reach = {{0, 1.0f}, {1, 1.0f}, {6, 0.5f}};
  Candidate b{.id = 2, .cost_per_post = 50, .max_posts = 1};
  b.reach = {{1, 1.0f}, {6, 0.5f}, {7, 1.0f}};
  p.candidates = {a, b};
  PlanFigures f = Evaluate(p, {1, 1});
  // Person 0,1,7 surely; person 6 with 1 - 0.5 * 0.5.
  EXPECT_DOUBLE_EQ(f.expected_reach, 3.75);
  EXPECT_DOUBLE_EQ(f.reach_by_region[0], 2.0);
  EXPECT_DOUBLE_EQ(f.reach_by_region[1], 1.75);
  EXPECT_DOUBLE_EQ(f.spend, 90);
  EXPECT_DOUBLE_EQ(f.sum_of_reaches, 5.0);
  EXPECT_DOUBLE_EQ(f.overlap_share, 1.0 - 3.75 / 5.0);
  ASSERT_EQ(f.top_overlaps.size(), 1u);
  EXPECT_DOUBLE_EQ(f.top_overlaps[0].shared, 1.0 + 0.25);
  // Removing b loses person 7 and a quarter of person 6.
  for (const ChoiceFigures& c : f.choices) {
    EXPECT_DOUBLE_EQ(c.marginal_value, 1.25) << "candidate " << c.candidate;
  }
  // A second post of a: person 6 is missed with 0.5^2 * 0.5.
  EXPECT_DOUBLE_EQ(Value(p, {2, 1}), 3.0 + 1.0 - 0.125);
}

TEST(SolveGreedy, PrefersUniquePeopleOverOverlap) {
  Problem p = TwoRegions();
  Candidate big{.id = 1, .cost_per_post = 50, .max_posts = 1, .followers = 1000000};
  big.reach = {{0, 1.0f}, {1, 1.0f}, {2, 1.0f}, {3, 1.0f}};
  Candidate twin{.id = 2, .cost_per_post = 50, .max_posts = 1, .followers = 900000};
  twin.reach = big.reach;  // the same audience
  Candidate small{.id = 3, .cost_per_post = 50, .max_posts = 1, .followers = 10};
  small.reach = {{6, 1.0f}, {7, 1.0f}, {8, 1.0f}};
  p.candidates = {big, twin, small};
  GreedyResult g = SolveGreedy(p);
  EXPECT_EQ(g.posts, (Allocation{1, 0, 1}));
  EXPECT_DOUBLE_EQ(g.value, 7.0);
  // The most-followers plan buys the twins and reaches 4.
  Allocation naive = NaivePlan(p, OrderByFollowers(p));
  EXPECT_EQ(naive, (Allocation{1, 1, 0}));
  EXPECT_DOUBLE_EQ(Value(p, naive), 4.0);
}

TEST(SolveGreedy, TakesTheBestSingleWhenRatioGreedyIsTrapped) {
  // The classic trap: a cheap candidate with the best ratio eats the budget the big one needs.
  Problem p;
  p.regions = {"US"};
  p.region_weight = {1.0};
  p.person_region.assign(100, 0);
  p.budget = 100;
  Candidate cheap{.id = 1, .cost_per_post = 1, .max_posts = 1};
  cheap.reach = {{0, 1.0f}, {1, 1.0f}};
  Candidate big{.id = 2, .cost_per_post = 100, .max_posts = 1};
  for (uint32_t u = 10; u < 100; ++u) big.reach.push_back({u, 1.0f});
  p.candidates = {cheap, big};
  GreedyResult g = SolveGreedy(p);
  EXPECT_DOUBLE_EQ(g.greedy_value, 2.0);
  EXPECT_TRUE(g.single_won);
  EXPECT_EQ(g.posts, (Allocation{0, 1}));
  EXPECT_DOUBLE_EQ(g.value, 90.0);
}

TEST(SolveGreedy, BuysSeveralPostsWithDiminishingReturns) {
  Problem p;
  p.regions = {"US"};
  p.region_weight = {1.0};
  p.person_region.assign(20, 0);
  p.budget = 300;
  Candidate a{.id = 1, .cost_per_post = 100, .max_posts = 3};
  for (uint32_t u = 0; u < 10; ++u) a.reach.push_back({u, 0.5f});
  Candidate b{.id = 2, .cost_per_post = 100, .max_posts = 3};
  for (uint32_t u = 10; u < 14; ++u) b.reach.push_back({u, 0.5f});
  p.candidates = {a, b};
  // Gains: a1 5, a2 2.5, b1 2, a3 1.25 -> buys a, a, b.
  GreedyResult g = SolveGreedy(p);
  EXPECT_EQ(g.posts, (Allocation{2, 1}));
  EXPECT_DOUBLE_EQ(g.value, 7.5 + 2.0);
}

TEST(SolveGreedy, NeverExceedsTheBudgetAndMatchesPlainGreedy) {
  std::mt19937_64 rng(7);
  for (int t = 0; t < 200; ++t) {
    testing::RandomSpec spec{.candidates = 5 + static_cast<int>(rng() % 60),
                             .persons = 300,
                             .max_posts = 4,
                             .budget_share = 0.05 + 0.5 * (rng() % 100) / 100.0};
    Problem p = testing::RandomProblem(rng, spec);
    ASSERT_TRUE(ValidateProblem(p).ok());
    GreedyResult lazy = SolveGreedy(p);
    GreedyResult plain = SolvePlainGreedy(p);
    EXPECT_LE(Spend(p, lazy.posts), p.budget + 1e-9);
    for (size_t i = 0; i < p.candidates.size(); ++i) {
      EXPECT_LE(lazy.posts[i], p.candidates[i].max_posts);
    }
    EXPECT_NEAR(lazy.value, plain.value, 1e-9 * (1 + plain.value)) << "instance " << t;
    EXPECT_NEAR(lazy.value, Value(p, lazy.posts), 1e-9 * (1 + lazy.value));
    EXPECT_LE(lazy.gain_evaluations, plain.gain_evaluations);
  }
}

TEST(NaivePlan, WalksTheOrderAndRefillsWithFurtherPosts) {
  Problem p = TwoRegions();
  p.budget = 170;
  Candidate a{.id = 1, .cost_per_post = 60, .max_posts = 3, .followers = 5};
  Candidate b{.id = 2, .cost_per_post = 50, .max_posts = 1, .followers = 9};
  p.candidates = {a, b};
  // b (more followers) 50, a 60, then a second post of a 60: 170.
  EXPECT_EQ(NaivePlan(p, OrderByFollowers(p)), (Allocation{2, 1}));
}

}  // namespace
}  // namespace reach::planner
