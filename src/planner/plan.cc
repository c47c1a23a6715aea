#include "planner/plan.h"

#include <chrono>

#include "common/json_writer.h"
#include "common/time.h"
#include "fmt/format.h"

namespace reach::planner {
namespace {

void WriteFigures(JsonWriter& w, const PlanOutcome& o, const PlanFigures& f) {
  const Problem& p = o.input.problem;
  w.BeginObject();
  w.Key("value");
  w.Double(f.value);
  w.Key("expected_reach");
  w.Double(f.expected_reach);
  w.Key("spend");
  w.Double(f.spend);
  w.Key("budget");
  w.Double(p.budget);
  w.Key("cost_per_person");
  if (f.expected_reach > 0) {
    w.Double(f.cost_per_person);
  } else {
    w.Null();
  }
  w.Key("posts");
  int posts = 0;
  for (int k : f.posts) posts += k;
  w.Int(posts);
  w.Key("reach_by_region");
  w.BeginArray();
  for (size_t r = 0; r < p.regions.size(); ++r) {
    w.BeginObject();
    w.Key("country");
    w.String(p.regions[r]);
    w.Key("weight");
    w.Double(p.region_weight[r]);
    w.Key("expected_reach");
    w.Double(f.reach_by_region[r]);
    w.EndObject();
  }
  w.EndArray();
  w.Key("overlap");
  w.BeginObject();
  w.Key("sum_of_reaches");
  w.Double(f.sum_of_reaches);
  w.Key("duplicated");
  w.Double(f.sum_of_reaches - f.expected_reach);
  w.Key("share");
  w.Double(f.overlap_share);
  w.Key("pairs");
  w.BeginArray();
  for (const OverlapPair& pair : f.top_overlaps) {
    w.BeginObject();
    w.Key("a");
    w.String(std::to_string(p.candidates[pair.a].id));
    w.Key("b");
    w.String(std::to_string(p.candidates[pair.b].id));
    w.Key("shared");
    w.Double(pair.shared);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.Key("influencers");
  w.BeginArray();
  for (const ChoiceFigures& c : f.choices) {
    const Candidate& cand = p.candidates[c.candidate];
    w.BeginObject();
    w.Key("user_id");
    w.String(std::to_string(cand.id));
    w.Key("handle");
    w.String(cand.handle);
    w.Key("posts");
    w.Int(c.posts);
    w.Key("max_posts");
    w.Int(cand.max_posts);
    w.Key("cost_per_post");
    w.Double(cand.cost_per_post);
    w.Key("cost_source");
    w.String(o.input.cost_source[c.candidate]);
    w.Key("spend");
    w.Double(c.spend);
    w.Key("expected_reach");
    w.Double(c.expected_reach);
    w.Key("value");
    w.Double(c.value);
    w.Key("marginal_value");
    w.Double(c.marginal_value);
    w.Key("audience");
    w.Uint(cand.reach.size());
    w.Key("followers");
    w.Int(cand.followers);
    w.Key("score");
    w.Double(cand.score);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

absl::StatusOr<PlanOutcome> SolvePlan(PlanInput input, const PlanRequest& request) {
  if (request.exact && input.problem.candidates.size() > static_cast<size_t>(kMaxExactPool)) {
    return absl::InvalidArgumentError(
        fmt::format("exact: the exact solver takes pools of at most {} candidates, this one has {}",
                    kMaxExactPool, input.problem.candidates.size()));
  }
  REACH_RETURN_IF_ERROR(ValidateProblem(input.problem));
  const auto started = std::chrono::steady_clock::now();
  PlanOutcome o;
  o.input = std::move(input);
  const Problem& p = o.input.problem;
  o.greedy = SolveGreedy(p);
  o.plan = Evaluate(p, o.greedy.posts);
  o.by_followers = Evaluate(p, NaivePlan(p, OrderByFollowers(p)));
  o.by_score = Evaluate(p, NaivePlan(p, OrderByScore(p)));
  if (request.exact) {
    // A server thread waits for this: keep the exact solver to a few seconds.
    auto exact = SolveExact(p, ExactOptions{.time_limit_ms = 5000});
    if (exact.ok()) {
      o.exact = std::move(*exact);
      o.exact_plan = Evaluate(p, o.exact->posts);
    } else {
      o.exact_error = std::string(exact.status().message());
    }
  }
  o.solve_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return o;
}

std::string PlanJson(const PlanOutcome& o, const PlanRequest& request, std::string_view id) {
  JsonWriter w;
  w.BeginObject();
  w.Key("id");
  if (id.empty()) {
    w.Null();
  } else {
    w.String(id);
  }
  w.Key("request");
  w.Raw(PlanRequestJson(request));
  w.Key("as_of");
  w.String(o.input.as_of.known() ? FormatIso8601(o.input.as_of) : std::string());
  w.Key("sequence");
  w.Uint(o.input.sequence);
  w.Key("candidates");
  w.Uint(o.input.problem.candidates.size());
  w.Key("people");
  w.Uint(o.input.problem.persons());
  w.Key("engagements");
  w.Int(o.input.engagements);
  w.Key("plan");
  WriteFigures(w, o, o.plan);
  w.Key("naive");
  w.BeginObject();
  w.Key("most_followers");
  WriteFigures(w, o, o.by_followers);
  w.Key("highest_score");
  WriteFigures(w, o, o.by_score);
  w.EndObject();
  w.Key("solver");
  w.BeginObject();
  w.Key("algorithm");
  w.String("celf_cost_benefit_greedy_or_best_single");
  w.Key("guarantee");
  w.Double(kGreedyGuarantee);
  w.Key("greedy_value");
  w.Double(o.greedy.greedy_value);
  w.Key("best_single_value");
  w.Double(o.greedy.single_value);
  w.Key("best_single_chosen");
  w.Bool(o.greedy.single_won);
  w.Key("gain_evaluations");
  w.Int(o.greedy.gain_evaluations);
  w.Key("millis");
  w.Double(o.solve_ms);
  w.EndObject();
  w.Key("exact");
  if (o.exact) {
    w.BeginObject();
    w.Key("value");
    w.Double(o.exact->value);
    w.Key("upper_bound");
    w.Double(o.exact->upper_bound);
    w.Key("greedy_ratio");
    w.Double(o.exact->value > 0 ? o.plan.value / o.exact->value : 1.0);
    w.Key("rounds");
    w.Int(o.exact->rounds);
    w.Key("plan");
    WriteFigures(w, o, *o.exact_plan);
    w.EndObject();
  } else if (!o.exact_error.empty()) {
    w.BeginObject();
    w.Key("error");
    w.String(o.exact_error);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("warnings");
  w.BeginArray();
  for (const std::string& s : o.input.warnings) w.String(s);
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace reach::planner
