#include "planner/exact.h"

#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

#include "fmt/format.h"

namespace reach::planner {
namespace {

constexpr double kMinMiss = 1e-12;  // 1 - p is at least this inside the program

struct ProbDeleter {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};

// The people that matter (positive weight, reached by someone) and, per person, the candidates
// reaching it with log(1 - p).
struct PersonTerms {
  std::vector<uint32_t> persons;                           // original person index
  std::vector<std::vector<std::pair<int, double>>> terms;  // (candidate, log(1 - p))
};

PersonTerms Collect(const Problem& problem) {
  std::vector<int> slot(problem.persons(), -1);
  PersonTerms t;
  for (size_t i = 0; i < problem.candidates.size(); ++i) {
    for (const Reach& r : problem.candidates[i].reach) {
      if (problem.weight(r.person) <= 0) continue;
      if (slot[r.person] < 0) {
        slot[r.person] = static_cast<int>(t.persons.size());
        t.persons.push_back(r.person);
        t.terms.emplace_back();
      }
      t.terms[slot[r.person]].push_back(
          {static_cast<int>(i), std::log(std::max<double>(1.0 - r.p, kMinMiss))});
    }
  }
  return t;
}

}  // namespace

absl::StatusOr<ExactResult> SolveExact(const Problem& problem, const ExactOptions& options) {
  REACH_RETURN_IF_ERROR(ValidateProblem(problem));
  const auto started = std::chrono::steady_clock::now();
  const int n = static_cast<int>(problem.candidates.size());
  ExactResult best;
  best.posts.assign(n, 0);
  if (n == 0) return best;
  const PersonTerms pt = Collect(problem);
  const int m = static_cast<int>(pt.persons.size());

  glp_term_out(GLP_OFF);
  std::unique_ptr<glp_prob, ProbDeleter> lp(glp_create_prob());
  glp_set_obj_dir(lp.get(), GLP_MAX);
  // Columns 1..n: k_i; n+1..n+m: z_u.
  glp_add_cols(lp.get(), n + m);
  for (int i = 0; i < n; ++i) {
    const Candidate& c = problem.candidates[i];
    const int cap = static_cast<int>(
        std::min<double>(c.max_posts, std::floor(problem.budget / c.cost_per_post + 1e-9)));
    glp_set_col_kind(lp.get(), i + 1, GLP_IV);
    if (cap <= 0) {
      glp_set_col_bnds(lp.get(), i + 1, GLP_FX, 0, 0);
    } else {
      glp_set_col_bnds(lp.get(), i + 1, GLP_DB, 0, cap);
    }
  }
  for (int u = 0; u < m; ++u) {
    glp_set_col_bnds(lp.get(), n + u + 1, GLP_DB, 0, 1);
    glp_set_obj_coef(lp.get(), n + u + 1, problem.weight(pt.persons[u]));
  }
  // Budget row.
  {
    const int row = glp_add_rows(lp.get(), 1);
    std::vector<int> idx(n + 1);
    std::vector<double> val(n + 1);
    for (int i = 0; i < n; ++i) {
      idx[i + 1] = i + 1;
      val[i + 1] = problem.candidates[i].cost_per_post;
    }
    glp_set_mat_row(lp.get(), row, n, idx.data(), val.data());
    glp_set_row_bnds(lp.get(), row, GLP_UP, 0, problem.budget + 1e-9);
  }
  // Tangent cut at a: z_u + e^a * sum_i k_i l_iu <= 1 - e^a + a e^a.
  std::vector<int> idx;
  std::vector<double> val;
  auto add_cut = [&](int u, double a) {
    const double ea = std::exp(a);
    idx.assign(1, 0);
    val.assign(1, 0);
    idx.push_back(n + u + 1);
    val.push_back(1.0);
    for (const auto& [i, l] : pt.terms[u]) {
      const double coef = ea * l;
      if (coef > -1e-13) continue;  // numerically nothing
      idx.push_back(i + 1);
      val.push_back(coef);
    }
    const int row = glp_add_rows(lp.get(), 1);
    glp_set_mat_row(lp.get(), row, static_cast<int>(idx.size()) - 1, idx.data(), val.data());
    glp_set_row_bnds(lp.get(), row, GLP_UP, 0, 1.0 - ea + a * ea);
    ++best.cuts;
  };
  for (int u = 0; u < m; ++u) {
    for (double a : {0.0, -0.1, -0.25, -0.5, -1.0, -2.0, -4.0}) add_cut(u, a);
  }

  double best_value = -1;
  for (int round = 1;; ++round) {
    if (round > options.max_rounds) {
      return absl::DeadlineExceededError(
          fmt::format("exact solver stopped after {} rounds", options.max_rounds));
    }
    const auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
    if (spent >= options.time_limit_ms) {
      return absl::DeadlineExceededError(
          fmt::format("exact solver ran out of time ({} ms)", options.time_limit_ms));
    }
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_ON;
    parm.msg_lev = GLP_MSG_OFF;
    parm.tm_lim = static_cast<int>(options.time_limit_ms - spent);
    const int ret = glp_intopt(lp.get(), &parm);
    best.rounds = round;
    if (ret == GLP_ETMLIM) {
      return absl::DeadlineExceededError(
          fmt::format("exact solver ran out of time ({} ms)", options.time_limit_ms));
    }
    if (ret != 0 || glp_mip_status(lp.get()) != GLP_OPT) {
      return absl::InternalError(
          fmt::format("GLPK failed (code {}, status {})", ret, glp_mip_status(lp.get())));
    }
    Allocation k(n, 0);
    for (int i = 0; i < n; ++i) {
      k[i] = static_cast<int>(std::lround(glp_mip_col_val(lp.get(), i + 1)));
    }
    const double bound = glp_mip_obj_val(lp.get());
    const double value = Value(problem, k);
    if (value > best_value) {
      best_value = value;
      best.posts = k;
      best.value = value;
    }
    best.upper_bound = bound;
    if (bound - best_value <= options.tolerance * std::max(1.0, std::abs(bound))) break;
    int added = 0;
    for (int u = 0; u < m; ++u) {
      double L = 0;
      for (const auto& [i, l] : pt.terms[u]) L += k[i] * l;
      const double z = glp_mip_col_val(lp.get(), n + u + 1);
      const double truth = 1.0 - std::exp(L);
      if (z > truth + 1e-10) {
        add_cut(u, L);
        ++added;
      }
    }
    if (added == 0) break;  // the bound is the value of k up to rounding
  }
  return best;
}

absl::StatusOr<ExactResult> SolveBruteForce(const Problem& problem, int64_t max_allocations) {
  REACH_RETURN_IF_ERROR(ValidateProblem(problem));
  const size_t n = problem.candidates.size();
  double combos = 1;
  std::vector<int> cap(n);
  for (size_t i = 0; i < n; ++i) {
    const Candidate& c = problem.candidates[i];
    cap[i] = static_cast<int>(
        std::min<double>(c.max_posts, std::floor(problem.budget / c.cost_per_post + 1e-9)));
    combos *= cap[i] + 1;
  }
  if (combos > static_cast<double>(max_allocations)) {
    return absl::InvalidArgumentError(fmt::format(
        "brute force would try {:.0f} allocations (limit {})", combos, max_allocations));
  }
  ExactResult best;
  best.posts.assign(n, 0);
  Allocation k(n, 0);
  // Odometer over k, pruning allocations over the budget.
  for (;;) {
    if (Spend(problem, k) <= problem.budget + 1e-9) {
      const double v = Value(problem, k);
      if (v > best.value) {
        best.value = v;
        best.posts = k;
      }
    }
    size_t i = 0;
    while (i < n && k[i] == cap[i]) k[i++] = 0;
    if (i == n) break;
    ++k[i];
  }
  best.upper_bound = best.value;
  return best;
}

}  // namespace reach::planner
