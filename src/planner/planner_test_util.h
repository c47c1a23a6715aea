// Random planning instances for the planner tests and benchmark.
#ifndef REACH_PLANNER_PLANNER_TEST_UTIL_H_
#define REACH_PLANNER_PLANNER_TEST_UTIL_H_

#include <algorithm>
#include <random>

#include "planner/problem.h"

namespace reach::planner::testing {

struct RandomSpec {
  int candidates = 10;
  int persons = 100;
  int regions = 3;
  int max_reach = 40;         // people per candidate, uniform in [1, max_reach]
  int max_posts = 1;          // per candidate, uniform in [1, max_posts]
  double budget_share = 0.3;  // budget as a share of the cost of one post of everyone
};

inline Problem RandomProblem(std::mt19937_64& rng, const RandomSpec& spec) {
  Problem p;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int r = 0; r < spec.regions; ++r) {
    p.regions.push_back(std::string{static_cast<char>('A' + r), 'X'});
    p.region_weight.push_back(0.2 + unit(rng));
  }
  p.person_region.resize(spec.persons);
  for (auto& r : p.person_region) r = static_cast<uint16_t>(rng() % spec.regions);
  double total = 0;
  for (int i = 0; i < spec.candidates; ++i) {
    Candidate c;
    c.id = static_cast<uint64_t>(i + 1);
    c.cost_per_post = 10.0 + std::floor(unit(rng) * 90.0);
    c.max_posts = 1 + static_cast<int>(rng() % spec.max_posts);
    c.followers = static_cast<int64_t>(rng() % 100000);
    c.score = unit(rng) * 100;
    const int n = 1 + static_cast<int>(rng() % spec.max_reach);
    std::vector<uint32_t> people(spec.persons);
    for (int u = 0; u < spec.persons; ++u) people[u] = static_cast<uint32_t>(u);
    std::shuffle(people.begin(), people.end(), rng);
    for (int j = 0; j < std::min(n, spec.persons); ++j) {
      // Mostly small probabilities, some certain ones.
      double q = unit(rng);
      float pr = q < 0.1 ? 1.0f : static_cast<float>(0.02 + 0.6 * q * q);
      c.reach.push_back(Reach{people[j], pr});
    }
    total += c.cost_per_post;
    p.candidates.push_back(std::move(c));
  }
  p.budget = std::floor(total * spec.budget_share);
  return p;
}

}  // namespace reach::planner::testing

#endif  // REACH_PLANNER_PLANNER_TEST_UTIL_H_
