#include "planner/plan_input.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "engine/engine.h"
#include "fmt/format.h"

namespace reach::planner {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

absl::StatusOr<PlanInput> BuildPlanInput(const engine::Engine& engine, const PlanRequest& request) {
  PlanInput in;
  const std::shared_ptr<const engine::Snapshot> snap = engine.current();
  const engine::WindowBoard& board = snap->board(request.window);
  in.sequence = snap->sequence;
  in.as_of = snap->as_of;

  // Handles (lower case) of every account the snapshot knows, only when something names one.
  absl::flat_hash_map<std::string, UserId> by_handle;
  auto need_handles = [&] {
    if (!by_handle.empty()) return;
    for (const auto& [id, info] : snap->users) {
      if (info && !info->handle.empty()) by_handle.emplace(Lower(info->handle), id);
    }
  };

  // The pool.
  std::vector<UserId> pool;
  if (!request.pool_ids.empty()) {
    absl::flat_hash_set<UserId> seen;
    for (const std::string& entry : request.pool_ids) {
      UserId id;
      if (AllDigits(entry)) {
        id = UserId{std::strtoull(entry.c_str(), nullptr, 10)};
      } else {
        need_handles();
        auto it = by_handle.find(Lower(entry));
        if (it == by_handle.end()) {
          return absl::InvalidArgumentError(fmt::format(
              "pool: no account with handle \"@{}\" has been seen", entry.substr(0, 64)));
        }
        id = it->second;
      }
      if (!id.valid()) return absl::InvalidArgumentError("pool: user id 0 is not valid");
      if (seen.insert(id).second) pool.push_back(id);
    }
  } else {
    const size_t n = std::min<size_t>(board.rows.size(), static_cast<size_t>(request.pool_size));
    for (size_t i = 0; i < n; ++i) pool.push_back(board.rows[i].user);
  }
  if (pool.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("pool: the candidate pool is empty (no influencer has been ranked in window "
                    "{} yet)",
                    engine::WindowName(request.window)));
  }

  // Prices from the rate card.
  absl::flat_hash_map<UserId, const RateCardEntry*> card;
  for (const RateCardEntry& e : request.rate_card) {
    UserId id{e.user_id};
    if (!e.handle.empty()) {
      need_handles();
      auto it = by_handle.find(e.handle);
      if (it == by_handle.end()) {
        in.warnings.push_back(
            fmt::format("rate card line {}: no account @{} has been seen", e.line, e.handle));
        continue;
      }
      id = it->second;
    }
    card[id] = &e;
  }

  // Regions.
  Problem& p = in.problem;
  p.budget = request.budget;
  absl::flat_hash_map<engine::CountryKey, uint16_t> region_of;
  const bool all_countries = request.countries.empty();
  for (const auto& [code, weight] : request.countries) {
    region_of[engine::MakeCountryKey(code)] = static_cast<uint16_t>(p.regions.size());
    p.regions.push_back(code);
    p.region_weight.push_back(weight);
  }
  // Topics asked for, as AudienceSets ids (a topic never seen matches nothing).
  const engine::AudienceSets& sets = engine.audience_sets();
  std::vector<uint32_t> topics;
  for (const std::string& t : request.topics) {
    if (auto id = sets.Topic(t)) topics.push_back(*id);
  }
  const Duration length = engine::WindowLength(request.window);
  const bool windowed = request.window != engine::Window::kAll;
  const EventTime since = windowed ? EventTime{snap->as_of.micros - length.micros} : EventTime{};

  absl::flat_hash_map<UserId, uint32_t> person_of;
  absl::flat_hash_map<uint32_t, int> counts;  // person -> engagements with the current candidate
  absl::flat_hash_set<UserId> in_pool;
  for (UserId id : pool) in_pool.insert(id);
  for (const auto& [id, entry] : card) {
    if (!in_pool.contains(id)) {
      in.warnings.push_back(
          fmt::format("rate card line {}: account {} is not in the pool", entry->line, id.value));
    }
  }

  for (UserId id : pool) {
    Candidate c;
    c.id = id.value;
    const engine::UserInfo* info = nullptr;
    if (auto u = snap->users.find(id); u != snap->users.end() && u->second) {
      info = u->second.get();
      c.handle = u->second->handle;
      c.followers = u->second->followers;
    }
    // Where the platform withholds the account its posts are not shown: engagers there do not
    // count (an unknown country counts unless the account is withheld everywhere).
    const bool withheld = info != nullptr && !info->withheld_in.empty();
    int64_t withheld_skipped = 0;
    if (auto r = board.index.find(id); r != board.index.end()) {
      const engine::InfluencerRow& row = board.rows[r->second];
      c.score = row.score;
      if (c.followers < 0) c.followers = row.followers;
      if (c.handle.empty()) c.handle = row.handle;
    }
    std::string source;
    if (auto e = card.find(id); e != card.end()) {
      c.cost_per_post = e->second->cost_per_post;
      c.max_posts = e->second->max_posts;
      c.cost_from_rate_card = true;
      source = "rate_card";
    } else {
      c.cost_per_post = CpmCostPerPost(c.followers);
      c.max_posts = kDefaultMaxPosts;
      source = fmt::format("cpm:{}", TierFor(c.followers).name);
    }
    counts.clear();
    if (const auto* list = sets.Of(id)) {
      for (const engine::AudienceSets::Entry& e : *list) {
        if (windowed && e.time < since) continue;
        if (withheld &&
            (e.country == 0 ? engine::WithheldIn(*info, "XX")
                            : engine::WithheldIn(*info, engine::CountryName(e.country)))) {
          ++withheld_skipped;
          continue;
        }
        if (request.min_sentiment && (!e.has_sentiment || e.sentiment < *request.min_sentiment)) {
          continue;
        }
        if (!request.topics.empty()) {
          bool match = false;
          for (uint32_t t : e.topics) {
            if (t != 0 && std::find(topics.begin(), topics.end(), t) != topics.end()) match = true;
          }
          if (!match) continue;
        }
        uint16_t region = 0;
        if (all_countries) {
          auto [it, added] =
              region_of.try_emplace(e.country, static_cast<uint16_t>(p.regions.size()));
          if (added) {
            p.regions.push_back(e.country == 0 ? std::string("??")
                                               : engine::CountryName(e.country));
            p.region_weight.push_back(1.0);
          }
          region = it->second;
        } else {
          auto it = region_of.find(e.country);
          if (it == region_of.end()) continue;
          region = it->second;
        }
        auto [pit, added] = person_of.try_emplace(e.engager, static_cast<uint32_t>(p.persons()));
        if (added) p.person_region.push_back(region);
        ++counts[pit->second];
        ++in.engagements;
      }
    }
    if (withheld_skipped > 0) {
      in.warnings.push_back(
          fmt::format("{} is withheld in {}: {} engagements from there do not count",
                      c.handle.empty() ? fmt::format("account {}", id.value) : "@" + c.handle,
                      fmt::join(info->withheld_in, ", "), withheld_skipped));
    }
    const int64_t posts = std::max<int64_t>(engine.Metrics(id, request.window).posts, 0);
    for (const auto& [person, n] : counts) {
      const double denom = static_cast<double>(std::max<int64_t>(posts, n));
      c.reach.push_back(Reach{person, static_cast<float>(n / denom)});
    }
    std::sort(c.reach.begin(), c.reach.end(),
              [](const Reach& a, const Reach& b) { return a.person < b.person; });
    p.candidates.push_back(std::move(c));
    in.cost_source.push_back(std::move(source));
  }
  return in;
}

}  // namespace reach::planner
