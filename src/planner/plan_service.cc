#include "planner/plan_service.h"

#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "common/bearer.h"
#include "common/clock.h"
#include "common/json_writer.h"
#include "engine/engine.h"
#include "engine/query_channel.h"
#include "fmt/format.h"

namespace reach::planner {
namespace {

absl::StatusOr<uint64_t> ParseId(std::string_view id) {
  uint64_t n = 0;
  if (id.empty() || id.size() > 19) return absl::NotFoundError("no such plan");
  for (char c : id) {
    if (c < '0' || c > '9') return absl::NotFoundError(fmt::format("no plan {}", id.substr(0, 40)));
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return n;
}

// Candidate id -> posts of the plan.
absl::flat_hash_map<uint64_t, int> Chosen(const PlanOutcome& o) {
  absl::flat_hash_map<uint64_t, int> out;
  for (const ChoiceFigures& c : o.plan.choices)
    out[o.input.problem.candidates[c.candidate].id] = c.posts;
  return out;
}

// Own expected reach of `id` with `posts` posts in outcome `o` (0 when not a candidate there).
double OwnReach(const PlanOutcome& o, uint64_t id, int posts) {
  for (const Candidate& c : o.input.problem.candidates) {
    if (c.id != id) continue;
    double r = 0;
    for (const Reach& x : c.reach) r += 1.0 - std::pow(1.0 - x.p, posts);
    return r;
  }
  return 0;
}

std::string HandleOf(const PlanOutcome& o, uint64_t id) {
  for (const Candidate& c : o.input.problem.candidates) {
    if (c.id == id) return c.handle.empty() ? std::to_string(id) : "@" + c.handle;
  }
  return std::to_string(id);
}

}  // namespace

PlanService::PlanService(const engine::Engine& engine, engine::QueryChannel& queries,
                         PlanServiceOptions options)
    : engine_(engine), queries_(queries), options_(std::move(options)) {}

absl::Status PlanService::Authorize(std::string_view authorization) const {
  if (options_.api_token.empty()) {
    return absl::PermissionDeniedError(
        "saving plans is disabled: no API token is configured (--api-token, REACH_API_TOKEN or "
        "[http] api_token)");
  }
  return CheckBearer(authorization, options_.api_token, "saving a plan");
}

absl::StatusOr<PlanOutcome> PlanService::Compute(const PlanRequest& request) {
  auto input = queries_.Ask<PlanInput>(
      [request](const engine::Engine& e) -> absl::StatusOr<PlanInput> {
        return BuildPlanInput(e, request);
      },
      options_.engine_timeout);
  if (!input.ok()) return input.status();
  return SolvePlan(*std::move(input), request);
}

absl::StatusOr<std::string> PlanService::Create(std::string_view body,
                                                std::string_view authorization) {
  REACH_ASSIGN_OR_RETURN(PlanRequest request, ParsePlanRequest(body));
  if (request.save) {
    REACH_RETURN_IF_ERROR(Authorize(authorization));
    std::lock_guard<std::mutex> lock(mu_);
    if (saved_.size() >= options_.max_saved) {
      return absl::ResourceExhaustedError(
          fmt::format("at most {} plans are kept", options_.max_saved));
    }
  }
  REACH_ASSIGN_OR_RETURN(PlanOutcome outcome, Compute(request));
  if (!request.save) return PlanJson(outcome, request, "");
  auto saved = std::make_shared<Saved>();
  {
    std::lock_guard<std::mutex> lock(mu_);
    saved->id = std::to_string(next_id_++);
  }
  saved->created = saved->updated = SystemClock::Get().Now();
  saved->json = PlanJson(outcome, request, saved->id);
  saved->request = std::move(request);
  saved->announced = outcome;
  saved->outcome = std::move(outcome);
  std::string json = saved->json;
  std::lock_guard<std::mutex> lock(mu_);
  saved_[std::stoull(saved->id)] = std::move(saved);
  return json;
}

absl::StatusOr<std::string> PlanService::Get(std::string_view id) const {
  REACH_ASSIGN_OR_RETURN(uint64_t n, ParseId(id));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = saved_.find(n);
  if (it == saved_.end()) return absl::NotFoundError(fmt::format("no plan {}", n));
  return it->second->json;
}

std::string PlanService::List() const {
  std::vector<std::shared_ptr<const Saved>> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [n, s] : saved_) all.push_back(s);
  }
  JsonWriter w;
  w.BeginObject();
  w.Key("plans");
  w.BeginArray();
  for (const auto& s : all) {
    w.BeginObject();
    w.Key("id");
    w.String(s->id);
    w.Key("name");
    w.String(s->request.name);
    w.Key("created");
    w.String(FormatIso8601(s->created));
    w.Key("updated");
    w.String(FormatIso8601(s->updated));
    w.Key("revisions");
    w.Int(s->revisions);
    w.Key("sequence");
    w.Uint(s->outcome.input.sequence);
    w.Key("budget");
    w.Double(s->request.budget);
    w.Key("spend");
    w.Double(s->outcome.plan.spend);
    w.Key("expected_reach");
    w.Double(s->outcome.plan.expected_reach);
    w.Key("influencers");
    w.Uint(s->outcome.plan.choices.size());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

std::vector<std::string> PlanService::Refresh() {
  std::vector<std::shared_ptr<const Saved>> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [n, s] : saved_) all.push_back(s);
  }
  std::vector<std::string> events;
  const uint64_t sequence = engine_.current()->sequence;
  for (const auto& s : all) {
    if (s->outcome.input.sequence == sequence) continue;  // nothing new to plan on
    auto outcome = Compute(s->request);
    if (!outcome.ok()) continue;  // e.g. the engine is busy: try again next time
    std::string change = PlanChangeJson(s->id, s->announced, *outcome);
    auto next = std::make_shared<Saved>(*s);
    next->outcome = *std::move(outcome);
    next->json = PlanJson(next->outcome, next->request, next->id);
    next->updated = SystemClock::Get().Now();
    if (!change.empty()) {
      next->announced = next->outcome;
      ++next->revisions;
      events.push_back(std::move(change));
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = saved_.find(std::stoull(s->id)); it != saved_.end()) it->second = std::move(next);
  }
  return events;
}

std::string PlanChangeJson(std::string_view id, const PlanOutcome& before,
                           const PlanOutcome& after) {
  const auto old_choice = Chosen(before);
  const auto new_choice = Chosen(after);
  const double r0 = before.plan.expected_reach;
  const double r1 = after.plan.expected_reach;
  const bool reach_moved = std::abs(r1 - r0) > 0.005 * std::max(1.0, r0);
  if (old_choice == new_choice && !reach_moved) return std::string();

  JsonWriter w;
  w.BeginObject();
  w.Key("id");
  w.String(id);
  w.Key("sequence");
  w.Uint(after.input.sequence);
  w.Key("as_of");
  w.String(after.input.as_of.known() ? FormatIso8601(after.input.as_of) : std::string());
  std::vector<std::string> reasons;
  auto write_list = [&](std::string_view key, const auto& from, const auto& other,
                        const PlanOutcome& side, bool added) {
    w.Key(key);
    w.BeginArray();
    for (const auto& [user, posts] : from) {
      if (other.contains(user)) continue;
      const double own_then = OwnReach(before, user, posts);
      const double own_now = OwnReach(after, user, posts);
      w.BeginObject();
      w.Key("user_id");
      w.String(std::to_string(user));
      w.Key("handle");
      w.String(HandleOf(side, user));
      w.Key("posts");
      w.Int(posts);
      w.Key("expected_reach_before");
      w.Double(own_then);
      w.Key("expected_reach_now");
      w.Double(own_now);
      w.EndObject();
      reasons.push_back(fmt::format("{} {} (own expected reach {:.1f} -> {:.1f})",
                                    added ? "added" : "removed", HandleOf(side, user), own_then,
                                    own_now));
    }
    w.EndArray();
  };
  write_list("added", new_choice, old_choice, after, true);
  write_list("removed", old_choice, new_choice, before, false);
  w.Key("posts_changed");
  w.BeginArray();
  for (const auto& [user, posts] : new_choice) {
    auto it = old_choice.find(user);
    if (it == old_choice.end() || it->second == posts) continue;
    w.BeginObject();
    w.Key("user_id");
    w.String(std::to_string(user));
    w.Key("from");
    w.Int(it->second);
    w.Key("to");
    w.Int(posts);
    w.EndObject();
    reasons.push_back(fmt::format("{} posts for {}: {} -> {}", "changed", HandleOf(after, user),
                                  it->second, posts));
  }
  w.EndArray();
  w.Key("expected_reach_before");
  w.Double(r0);
  w.Key("expected_reach_after");
  w.Double(r1);
  w.Key("reach_delta");
  w.Double(r1 - r0);
  w.Key("spend_before");
  w.Double(before.plan.spend);
  w.Key("spend_after");
  w.Double(after.plan.spend);
  std::string why =
      fmt::format("new data (snapshot {} -> {}; matching engagements in the pool {} -> {})",
                  before.input.sequence, after.input.sequence, before.input.engagements,
                  after.input.engagements);
  constexpr size_t kReasonsShown = 6;  // the arrays above hold every change
  for (size_t i = 0; i < reasons.size() && i < kReasonsShown; ++i) why += "; " + reasons[i];
  if (reasons.size() > kReasonsShown) {
    why += fmt::format("; and {} more changes", reasons.size() - kReasonsShown);
  }
  if (reasons.empty()) why += fmt::format("; expected reach {:.1f} -> {:.1f}", r0, r1);
  w.Key("reason");
  w.String(why);
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace reach::planner
