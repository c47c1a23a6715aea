#include "planner/problem.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "fmt/format.h"

namespace reach::planner {
namespace {

// Probability that k posts with per-post probability p reach a person: 1 - (1 - p)^k.
double ReachProb(double p, int k) { return k <= 0 ? 0.0 : 1.0 - std::pow(1.0 - p, k); }

}  // namespace

absl::Status ValidateProblem(const Problem& problem) {
  if (!(problem.budget >= 0) || !std::isfinite(problem.budget)) {
    return absl::InvalidArgumentError("budget must be a finite number >= 0");
  }
  if (problem.region_weight.size() != problem.regions.size()) {
    return absl::InvalidArgumentError("one weight per region is needed");
  }
  for (double w : problem.region_weight) {
    if (!(w >= 0) || !std::isfinite(w)) {
      return absl::InvalidArgumentError("region weights must be finite and >= 0");
    }
  }
  for (uint16_t r : problem.person_region) {
    if (r >= problem.regions.size())
      return absl::InvalidArgumentError("person region out of range");
  }
  for (const Candidate& c : problem.candidates) {
    if (!(c.cost_per_post > 0) || !std::isfinite(c.cost_per_post)) {
      return absl::InvalidArgumentError(
          fmt::format("candidate {}: cost per post must be > 0", c.id));
    }
    if (c.max_posts < 1) {
      return absl::InvalidArgumentError(fmt::format("candidate {}: max posts must be >= 1", c.id));
    }
    for (const Reach& r : c.reach) {
      if (r.person >= problem.persons() || !(r.p > 0) || r.p > 1) {
        return absl::InvalidArgumentError(
            fmt::format("candidate {}: reach entry out of range", c.id));
      }
    }
  }
  return absl::OkStatus();
}

double Spend(const Problem& problem, const Allocation& posts) {
  double spend = 0;
  for (size_t i = 0; i < posts.size(); ++i) spend += posts[i] * problem.candidates[i].cost_per_post;
  return spend;
}

double Value(const Problem& problem, const Allocation& posts) {
  std::vector<double> miss(problem.persons(), 1.0);
  std::vector<char> touched(problem.persons(), 0);
  for (size_t i = 0; i < posts.size(); ++i) {
    if (posts[i] <= 0) continue;
    for (const Reach& r : problem.candidates[i].reach) {
      miss[r.person] *= std::pow(1.0 - r.p, posts[i]);
      touched[r.person] = 1;
    }
  }
  double value = 0;
  for (size_t u = 0; u < miss.size(); ++u) {
    if (touched[u]) value += problem.weight(static_cast<uint32_t>(u)) * (1.0 - miss[u]);
  }
  return value;
}

PlanFigures Evaluate(const Problem& problem, const Allocation& posts, size_t max_pairs) {
  PlanFigures f;
  f.posts = posts;
  f.posts.resize(problem.candidates.size(), 0);
  f.reach_by_region.assign(problem.regions.size(), 0.0);
  // Per person: the product of the non-certain miss factors and how many choices reach it surely,
  // so that removing one choice is exact also when p = 1.
  std::vector<double> miss(problem.persons(), 1.0);
  std::vector<int> certain(problem.persons(), 0);
  std::vector<char> touched(problem.persons(), 0);
  for (size_t i = 0; i < f.posts.size(); ++i) {
    const int k = f.posts[i];
    if (k <= 0) continue;
    for (const Reach& r : problem.candidates[i].reach) {
      touched[r.person] = 1;
      if (r.p >= 1.0f) {
        ++certain[r.person];
      } else {
        miss[r.person] *= std::pow(1.0 - r.p, k);
      }
    }
  }
  auto person_miss = [&](uint32_t u) { return certain[u] > 0 ? 0.0 : miss[u]; };
  for (uint32_t u = 0; u < problem.persons(); ++u) {
    if (!touched[u]) continue;
    const double reached = 1.0 - person_miss(u);
    f.expected_reach += reached;
    f.value += problem.weight(u) * reached;
    f.reach_by_region[problem.person_region[u]] += reached;
  }
  f.spend = Spend(problem, f.posts);
  f.cost_per_person = f.expected_reach > 0 ? f.spend / f.expected_reach : 0.0;

  for (size_t i = 0; i < f.posts.size(); ++i) {
    const int k = f.posts[i];
    if (k <= 0) continue;
    ChoiceFigures c;
    c.candidate = i;
    c.posts = k;
    c.spend = k * problem.candidates[i].cost_per_post;
    for (const Reach& r : problem.candidates[i].reach) {
      const double own = ReachProb(r.p, k);
      const double w = problem.weight(r.person);
      c.expected_reach += own;
      c.value += w * own;
      // The person's miss probability without this candidate.
      double without;
      if (r.p >= 1.0f) {
        without = certain[r.person] > 1 ? 0.0 : miss[r.person];
      } else {
        without = certain[r.person] > 0 ? 0.0 : miss[r.person] / std::pow(1.0 - r.p, k);
      }
      c.marginal_value += w * (without - person_miss(r.person));
    }
    f.sum_of_reaches += c.expected_reach;
    f.choices.push_back(c);
  }
  std::sort(f.choices.begin(), f.choices.end(), [](const ChoiceFigures& a, const ChoiceFigures& b) {
    return a.value != b.value ? a.value > b.value : a.candidate < b.candidate;
  });
  f.overlap_share = f.sum_of_reaches > 0 ? 1.0 - f.expected_reach / f.sum_of_reaches : 0.0;
  if (f.overlap_share < 0) f.overlap_share = 0;

  // Pairwise shared audiences: expected people reached by both, summed over shared persons.
  if (max_pairs > 0 && f.choices.size() >= 2 && f.choices.size() <= 500) {
    struct Hit {
      uint32_t person;
      uint32_t candidate;
      float prob;
    };
    std::vector<Hit> hits;
    for (const ChoiceFigures& c : f.choices) {
      for (const Reach& r : problem.candidates[c.candidate].reach) {
        hits.push_back(Hit{r.person, static_cast<uint32_t>(c.candidate),
                           static_cast<float>(ReachProb(r.p, c.posts))});
      }
    }
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      return a.person != b.person ? a.person < b.person : a.candidate < b.candidate;
    });
    absl::flat_hash_map<uint64_t, double> shared;
    for (size_t begin = 0; begin < hits.size();) {
      size_t end = begin + 1;
      while (end < hits.size() && hits[end].person == hits[begin].person) ++end;
      for (size_t x = begin; x < end; ++x) {
        for (size_t y = x + 1; y < end; ++y) {
          const uint64_t key = (uint64_t{hits[x].candidate} << 32) | hits[y].candidate;
          shared[key] += double{hits[x].prob} * hits[y].prob;
        }
      }
      begin = end;
    }
    for (const auto& [key, s] : shared) {
      f.top_overlaps.push_back(OverlapPair{key >> 32, key & 0xffffffffu, s});
    }
    std::sort(f.top_overlaps.begin(), f.top_overlaps.end(),
              [](const OverlapPair& x, const OverlapPair& y) {
                if (x.shared != y.shared) return x.shared > y.shared;
                return x.a != y.a ? x.a < y.a : x.b < y.b;
              });
    if (f.top_overlaps.size() > max_pairs) f.top_overlaps.resize(max_pairs);
  }
  return f;
}

}  // namespace reach::planner
