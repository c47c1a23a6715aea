// Budget planner benchmarks on a synthetic market: 10,000 candidates over a universe of 1,000,000
// people in 5 regions. Audience sizes are heavy-tailed (Pareto, 20 to 20,000 people before
// de-duplication; 922,788 reach entries in all), audiences overlap through shared "communities",
// per-post reach probabilities are 0.02..0.6, prices follow the CPM tiers with noise, max
// posts 1..3, and the budget buys a few hundred posts.
//   BM_PlanCelf        - planner::SolveGreedy (CELF lazy greedy + best single)
//   BM_PlanPlainGreedy - the same plan recomputing every gain at every step: the baseline
//   BM_PlanFull        - what POST /api/plans computes after extraction: CELF, the two naive plans
//                        and the figures of all three (Evaluate)
// Counters: candidates, people, reach entries, gain evaluations; speedup on BM_PlanCelf is the
// plain greedy time measured once in the same process divided by CELF's. Before timing, the CELF
// and plain plans are checked to have the same value (relative 1e-9); on mismatch the run skips.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "planner/greedy.h"
#include "planner/problem.h"
#include "planner/rate_card.h"

namespace reach::planner {
namespace {

constexpr int kCandidates = 10'000;
constexpr uint32_t kPeople = 1'000'000;

const Problem& Market() {
  static const Problem problem = [] {
    Problem p;
    std::mt19937_64 rng(2026);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    p.regions = {"US", "GB", "DE", "FR", "BR"};
    p.region_weight = {1.0, 1.0, 0.5, 0.5, 0.25};
    p.person_region.resize(kPeople);
    for (auto& r : p.person_region) {
      const double x = unit(rng);
      r = static_cast<uint16_t>(x < 0.4 ? 0 : x < 0.6 ? 1 : x < 0.75 ? 2 : x < 0.9 ? 3 : 4);
    }
    // People are grouped in 1,000 communities of 1,000; an audience is drawn mostly from a few
    // communities, so audiences overlap.
    p.candidates.reserve(kCandidates);
    for (int i = 0; i < kCandidates; ++i) {
      Candidate c;
      c.id = static_cast<uint64_t>(i + 1);
      const double size = std::min(20000.0, 20.0 / std::pow(1.0 - unit(rng), 1.0 / 1.15));
      const int n = static_cast<int>(size);
      const uint32_t home = static_cast<uint32_t>(rng() % 1000);
      std::vector<uint32_t> people;
      people.reserve(n);
      for (int j = 0; j < n; ++j) {
        const uint32_t community = unit(rng) < 0.7
                                       ? (home + static_cast<uint32_t>(rng() % 3)) % 1000
                                       : static_cast<uint32_t>(rng() % 1000);
        people.push_back(community * 1000 + static_cast<uint32_t>(rng() % 1000));
      }
      std::sort(people.begin(), people.end());
      people.erase(std::unique(people.begin(), people.end()), people.end());
      for (uint32_t u : people) {
        c.reach.push_back(Reach{u, static_cast<float>(0.02 + 0.58 * unit(rng) * unit(rng))});
      }
      c.followers = static_cast<int64_t>(size * (20 + 80 * unit(rng)));
      c.cost_per_post = CpmCostPerPost(c.followers) * (0.7 + 0.6 * unit(rng));
      c.max_posts = 1 + static_cast<int>(rng() % 3);
      c.score = unit(rng) * 100;
      p.candidates.push_back(std::move(c));
    }
    double one_each = 0;
    for (const Candidate& c : p.candidates) one_each += c.cost_per_post;
    p.budget = std::floor(one_each * 0.03);
    return p;
  }();
  return problem;
}

size_t ReachEntries(const Problem& p) {
  size_t n = 0;
  for (const Candidate& c : p.candidates) n += c.reach.size();
  return n;
}

bool Checked() {
  static const bool ok = [] {
    const Problem& p = Market();
    const GreedyResult lazy = SolveGreedy(p);
    const GreedyResult plain = SolvePlainGreedy(p);
    return std::abs(lazy.value - plain.value) <= 1e-9 * std::max(1.0, plain.value) &&
           Spend(p, lazy.posts) <= p.budget + 1e-6;
  }();
  return ok;
}

void Counters(benchmark::State& state, const Problem& p, const GreedyResult& g) {
  state.counters["candidates"] = static_cast<double>(p.candidates.size());
  state.counters["people"] = static_cast<double>(p.persons());
  state.counters["reach_entries"] = static_cast<double>(ReachEntries(p));
  state.counters["gain_evals"] = static_cast<double>(g.gain_evaluations);
  int posts = 0;
  for (int k : g.posts) posts += k;
  state.counters["posts_bought"] = posts;
  state.counters["value"] = g.value;
}

void BM_PlanCelf(benchmark::State& state) {
  const Problem& p = Market();
  if (!Checked()) {
    state.SkipWithError("CELF and plain greedy disagree");
    return;
  }
  // The baseline once per process, for the ratio.
  static const double plain_ms = [&p] {
    const auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(SolvePlainGreedy(p));
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }();
  GreedyResult g;
  double total_ms = 0;
  int64_t runs = 0;
  for (auto _ : state) {
    const auto s = std::chrono::steady_clock::now();
    g = SolveGreedy(p);
    total_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count();
    ++runs;
    benchmark::DoNotOptimize(g.value);
  }
  Counters(state, p, g);
  state.counters["plain_ms"] = plain_ms;
  state.counters["speedup"] = runs > 0 ? plain_ms / (total_ms / static_cast<double>(runs)) : 0;
}
BENCHMARK(BM_PlanCelf)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PlanPlainGreedy(benchmark::State& state) {
  const Problem& p = Market();
  if (!Checked()) {
    state.SkipWithError("CELF and plain greedy disagree");
    return;
  }
  GreedyResult g;
  for (auto _ : state) {
    g = SolvePlainGreedy(p);
    benchmark::DoNotOptimize(g.value);
  }
  Counters(state, p, g);
}
BENCHMARK(BM_PlanPlainGreedy)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

void BM_PlanFull(benchmark::State& state) {
  const Problem& p = Market();
  if (!Checked()) {
    state.SkipWithError("CELF and plain greedy disagree");
    return;
  }
  GreedyResult g;
  for (auto _ : state) {
    g = SolveGreedy(p);
    PlanFigures plan = Evaluate(p, g.posts);
    PlanFigures followers = Evaluate(p, NaivePlan(p, OrderByFollowers(p)));
    PlanFigures score = Evaluate(p, NaivePlan(p, OrderByScore(p)));
    benchmark::DoNotOptimize(plan.value + followers.value + score.value);
  }
  Counters(state, p, g);
}
BENCHMARK(BM_PlanFull)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace reach::planner

BENCHMARK_MAIN();
