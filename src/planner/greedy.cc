#include "planner/greedy.h"

#include <algorithm>
#include <cmath>
#include <queue>

namespace reach::planner {
namespace {

constexpr double kBudgetSlack = 1e-9;  // tolerance for costs that add up to the budget exactly

bool Fits(double cost, double remaining) { return cost <= remaining + kBudgetSlack; }

// The best single candidate with as many posts as the budget and its max_posts allow.
std::pair<Allocation, double> BestSingle(const Problem& problem) {
  Allocation best(problem.candidates.size(), 0);
  double best_value = 0;
  size_t best_index = problem.candidates.size();
  for (size_t i = 0; i < problem.candidates.size(); ++i) {
    const Candidate& c = problem.candidates[i];
    const int k = static_cast<int>(
        std::min<double>(c.max_posts, std::floor(problem.budget / c.cost_per_post + kBudgetSlack)));
    if (k < 1) continue;
    double v = 0;
    for (const Reach& r : c.reach) v += problem.weight(r.person) * (1.0 - std::pow(1.0 - r.p, k));
    if (v > best_value) {
      best_value = v;
      best_index = i;
      best.assign(problem.candidates.size(), 0);
      best[i] = k;
    }
  }
  (void)best_index;
  return {best, best_value};
}

struct State {
  explicit State(const Problem& p)
      : problem(p), miss(p.persons(), 1.0), posts(p.candidates.size(), 0), remaining(p.budget) {}

  double Gain(size_t i) {
    ++evaluations;
    double g = 0;
    for (const Reach& r : problem.candidates[i].reach) {
      g += problem.weight(r.person) * miss[r.person] * r.p;
    }
    return g;
  }
  void Buy(size_t i) {
    for (const Reach& r : problem.candidates[i].reach) miss[r.person] *= 1.0 - r.p;
    ++posts[i];
    remaining -= problem.candidates[i].cost_per_post;
  }

  const Problem& problem;
  std::vector<double> miss;
  Allocation posts;
  double remaining;
  int64_t evaluations = 0;
};

GreedyResult Finish(const Problem& problem, State& s) {
  GreedyResult out;
  out.gain_evaluations = s.evaluations;
  out.greedy_value = Value(problem, s.posts);
  auto [single, single_value] = BestSingle(problem);
  out.single_value = single_value;
  if (single_value > out.greedy_value) {
    out.posts = std::move(single);
    out.value = single_value;
    out.single_won = true;
  } else {
    out.posts = std::move(s.posts);
    out.value = out.greedy_value;
  }
  return out;
}

}  // namespace

GreedyResult SolveGreedy(const Problem& problem) {
  State s(problem);
  struct Entry {
    double ratio;
    double gain;
    size_t i;
    int64_t round;  // the number of purchases when the gain was computed
  };
  auto less = [](const Entry& a, const Entry& b) {
    return a.ratio != b.ratio ? a.ratio < b.ratio : a.i > b.i;
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(less)> heap(less);
  for (size_t i = 0; i < problem.candidates.size(); ++i) {
    const double cost = problem.candidates[i].cost_per_post;
    if (!Fits(cost, s.remaining)) continue;
    const double g = s.Gain(i);
    if (g > 0) heap.push(Entry{g / cost, g, i, 0});
  }
  int64_t round = 0;
  while (!heap.empty()) {
    Entry top = heap.top();
    heap.pop();
    const Candidate& c = problem.candidates[top.i];
    if (!Fits(c.cost_per_post, s.remaining)) continue;  // never fits again: the budget only shrinks
    if (top.round != round) {
      top.gain = s.Gain(top.i);
      top.ratio = top.gain / c.cost_per_post;
      top.round = round;
      if (top.gain > 0) heap.push(top);
      continue;
    }
    s.Buy(top.i);
    ++round;
    if (s.posts[top.i] < c.max_posts && Fits(c.cost_per_post, s.remaining)) {
      const double g = s.Gain(top.i);
      if (g > 0) heap.push(Entry{g / c.cost_per_post, g, top.i, round});
    }
  }
  return Finish(problem, s);
}

GreedyResult SolvePlainGreedy(const Problem& problem) {
  State s(problem);
  for (;;) {
    double best_ratio = 0;
    size_t best = problem.candidates.size();
    for (size_t i = 0; i < problem.candidates.size(); ++i) {
      const Candidate& c = problem.candidates[i];
      if (s.posts[i] >= c.max_posts || !Fits(c.cost_per_post, s.remaining)) continue;
      const double ratio = s.Gain(i) / c.cost_per_post;
      if (ratio > best_ratio) {
        best_ratio = ratio;
        best = i;
      }
    }
    if (best == problem.candidates.size()) break;
    s.Buy(best);
  }
  return Finish(problem, s);
}

Allocation NaivePlan(const Problem& problem, const std::vector<size_t>& order) {
  Allocation posts(problem.candidates.size(), 0);
  double remaining = problem.budget;
  for (bool bought = true; bought;) {
    bought = false;
    for (size_t i : order) {
      const Candidate& c = problem.candidates[i];
      if (posts[i] >= c.max_posts || !Fits(c.cost_per_post, remaining)) continue;
      ++posts[i];
      remaining -= c.cost_per_post;
      bought = true;
    }
  }
  return posts;
}

std::vector<size_t> OrderByFollowers(const Problem& problem) {
  std::vector<size_t> order(problem.candidates.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return problem.candidates[a].followers > problem.candidates[b].followers;
  });
  return order;
}

std::vector<size_t> OrderByScore(const Problem& problem) {
  std::vector<size_t> order(problem.candidates.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return problem.candidates[a].score > problem.candidates[b].score;
  });
  return order;
}

}  // namespace reach::planner
