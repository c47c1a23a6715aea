#include <utility>  // before Asio under C++20

#include "cli/plan_command.h"

#include <simdjson.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fstream>
#include <optional>
#include <sstream>

#include "cli/config.h"
#include "cli/runner.h"
#include "engine/engine.h"
#include "fmt/format.h"
#include "planner/plan.h"
#include "planner/plan_input.h"

namespace reach::cli {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using simdjson::dom::element;

using Field = simdjson::simdjson_result<element>;

// Field readers that give a default when the field is missing or of another type.
double D(Field f) {
  double v = 0;
  return f.get_double().get(v) == simdjson::SUCCESS ? v : 0.0;
}
int64_t I(Field f) {
  int64_t v = 0;
  return f.get_int64().get(v) == simdjson::SUCCESS ? v : 0;
}
std::string_view S(Field f) {
  std::string_view v;
  return f.get_string().get(v) == simdjson::SUCCESS ? v : std::string_view();
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(fmt::format("cannot read {}", path));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

absl::StatusOr<std::string> AskServer(const PlanCommand& c) {
  constexpr std::string_view kScheme = "http://";
  if (c.server.rfind(kScheme, 0) != 0) {
    return absl::InvalidArgumentError("--server must be an http://host:port URL");
  }
  std::string rest = c.server.substr(kScheme.size());
  if (size_t slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  std::string host = rest, port = "80";
  if (size_t colon = rest.rfind(':'); colon != std::string::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  std::string body = planner::PlanRequestJson(c.request);
  if (c.request.save) {
    // PlanRequestJson leaves "save" out: it describes the plan, not what to do with it.
    body.pop_back();
    body += R"(,"save":true})";
  }
  try {
    boost::asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(60));
    stream.connect(resolver.resolve(host, port));
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/plans", 11};
    req.set(bhttp::field::host, host);
    req.set(bhttp::field::content_type, "application/json");
    req.set(bhttp::field::user_agent, "reach-plan");
    if (!c.api_token.empty()) req.set(bhttp::field::authorization, "Bearer " + c.api_token);
    req.body() = std::move(body);
    req.prepare_payload();
    bhttp::write(stream, req);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buffer, res);
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    if (res.result_int() != 200) {
      std::string message = res.body();
      simdjson::dom::parser parser;
      element doc;
      std::string_view m;
      if (parser.parse(res.body()).get(doc) == simdjson::SUCCESS &&
          doc["error"]["message"].get_string().get(m) == simdjson::SUCCESS) {
        message = std::string(m);
      }
      const int status = res.result_int();
      std::string text = fmt::format("{} answered {}: {}", c.server, status, message);
      if (status == 400) return absl::InvalidArgumentError(text);
      if (status == 401) return absl::UnauthenticatedError(text);
      if (status == 403) return absl::PermissionDeniedError(text);
      return absl::UnavailableError(text);
    }
    return std::move(res.body());
  } catch (const std::exception& e) {
    return absl::UnavailableError(fmt::format("cannot reach {}: {}", c.server, e.what()));
  }
}

absl::StatusOr<std::string> PlanLocally(const PlanCommand& c) {
  Config config;
  config.source = c.source;
  config.format = c.input_format;
  config.data_dir = c.data_dir;
  config.store = "none";
  config.dead_letter.clear();
  config.serve = false;
  Runner runner(config);
  std::optional<absl::StatusOr<planner::PlanInput>> input;
  const planner::PlanRequest& request = c.request;
  runner.OnFinished(
      [&input, &request](const engine::Engine& e) { input = planner::BuildPlanInput(e, request); });
  std::atomic<bool> stop{false};
  REACH_RETURN_IF_ERROR(runner.Run(stop));
  if (!input) return absl::InternalError("the engine finished without planning");
  if (!input->ok()) return input->status();
  REACH_ASSIGN_OR_RETURN(planner::PlanOutcome outcome,
                         planner::SolvePlan(**std::move(input), request));
  return planner::PlanJson(outcome, request, "");
}

std::string Num(double v, int digits = 1) { return fmt::format("{:.{}f}", v, digits); }

// One chosen influencer of a plan's JSON, as the table and CSV renderings print it.
struct ChosenRow {
  std::string_view handle, id, source;
  int64_t posts = 0;
  double cost = 0, spend = 0, reach = 0;
};

ChosenRow ReadChosen(element inf) {
  ChosenRow c;
  c.handle = S(inf["handle"]);
  c.id = S(inf["user_id"]);
  c.source = S(inf["cost_source"]);
  c.posts = I(inf["posts"]);
  c.cost = D(inf["cost_per_post"]);
  c.spend = D(inf["spend"]);
  c.reach = D(inf["expected_reach"]);
  return c;
}

void TableSection(std::string& out, std::string_view title, element plan) {
  double reach = 0, spend = 0, budget = 0, overlap = 0;
  reach = D(plan["expected_reach"]);
  spend = D(plan["spend"]);
  budget = D(plan["budget"]);
  overlap = D(plan["overlap"]["share"]);
  double cpp = 0;
  const bool has_cpp = plan["cost_per_person"].get_double().get(cpp) == simdjson::SUCCESS;
  fmt::format_to(std::back_inserter(out),
                 "{}: expected unique reach {}, spend {} of {}, cost per reached person {}, "
                 "overlap {}%\n",
                 title, Num(reach), Num(spend, 2), Num(budget, 2), has_cpp ? Num(cpp, 2) : "-",
                 Num(overlap * 100));
  std::string regions;
  for (element r : plan["reach_by_region"].get_array()) {
    std::string_view country;
    double v = 0;
    country = S(r["country"]);
    v = D(r["expected_reach"]);
    regions += fmt::format("{}{} {}", regions.empty() ? "" : ", ", country, Num(v));
  }
  fmt::format_to(std::back_inserter(out), "  by region: {}\n", regions.empty() ? "-" : regions);
  fmt::format_to(std::back_inserter(out), "  {:<20} {:>14} {:>5} {:>10} {:>10} {:>10} {:>9}\n",
                 "influencer", "user_id", "posts", "per post", "spend", "reach", "source");
  for (element inf : plan["influencers"].get_array()) {
    const ChosenRow c = ReadChosen(inf);
    fmt::format_to(std::back_inserter(out), "  {:<20} {:>14} {:>5} {:>10} {:>10} {:>10} {:>9}\n",
                   c.handle.empty() ? "-" : "@" + std::string(c.handle).substr(0, 18), c.id,
                   c.posts, Num(c.cost, 2), Num(c.spend, 2), Num(c.reach), c.source);
  }
}

void CsvRows(std::string& out, std::string_view plan_name, element plan) {
  for (element inf : plan["influencers"].get_array()) {
    const ChosenRow c = ReadChosen(inf);
    std::string h(c.handle);
    for (char& ch : h) {
      if (ch == ',' || ch == '"' || ch == '\n') ch = '_';
    }
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{},{}\n", plan_name, c.id, h,
                   c.posts, c.cost, c.spend, c.reach, c.source);
  }
}

}  // namespace

absl::StatusOr<std::string> RenderPlan(std::string_view json, std::string_view format) {
  if (format == "json") return std::string(json) + "\n";
  if (format != "table" && format != "csv") {
    return absl::InvalidArgumentError("--format must be table, json or csv");
  }
  simdjson::dom::parser parser;
  element doc;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) {
    return absl::InternalError("the plan is not valid JSON");
  }
  std::string out;
  if (format == "csv") {
    out = "plan,user_id,handle,posts,cost_per_post,spend,expected_reach,cost_source\n";
    CsvRows(out, "plan", doc["plan"]);
    CsvRows(out, "most_followers", doc["naive"]["most_followers"]);
    CsvRows(out, "highest_score", doc["naive"]["highest_score"]);
    return out;
  }
  uint64_t candidates = 0, people = 0;
  candidates = static_cast<uint64_t>(I(doc["candidates"]));
  people = static_cast<uint64_t>(I(doc["people"]));
  std::string_view as_of;
  as_of = S(doc["as_of"]);
  fmt::format_to(std::back_inserter(out),
                 "{} candidates, {} people in their observed audiences (as of {})\n\n", candidates,
                 people, as_of.empty() ? "-" : as_of);
  TableSection(out, "plan (greedy)", doc["plan"]);
  out += "\n";
  TableSection(out, "naive: most followers", doc["naive"]["most_followers"]);
  out += "\n";
  TableSection(out, "naive: highest score", doc["naive"]["highest_score"]);
  element exact;
  if (doc["exact"].get(exact) == simdjson::SUCCESS && !exact.is_null()) {
    std::string_view error;
    double value = 0, ratio = 0;
    if (exact["error"].get_string().get(error) == simdjson::SUCCESS) {
      fmt::format_to(std::back_inserter(out), "\nexact: {}\n", error);
    } else {
      value = D(exact["value"]);
      ratio = D(exact["greedy_ratio"]);
      fmt::format_to(std::back_inserter(out),
                     "\nexact optimum (GLPK): value {}, greedy/optimal {}\n", Num(value, 2),
                     Num(ratio, 4));
    }
  }
  for (element w : doc["warnings"].get_array()) {
    std::string_view s;
    if (w.get_string().get(s) == simdjson::SUCCESS) {
      fmt::format_to(std::back_inserter(out), "warning: {}\n", s);
    }
  }
  return out;
}

absl::StatusOr<std::string> RunPlanCommand(PlanCommand c) {
  if (c.output != "table" && c.output != "json" && c.output != "csv") {
    return absl::InvalidArgumentError("--format must be table, json or csv");
  }
  if (!c.rate_card_path.empty()) {
    REACH_ASSIGN_OR_RETURN(c.request.rate_card_csv, ReadFile(c.rate_card_path));
    auto card = planner::ParseRateCard(c.request.rate_card_csv);
    if (!card.ok()) {
      return absl::InvalidArgumentError(
          fmt::format("{}: {}", c.rate_card_path, card.status().message()));
    }
    c.request.rate_card = *std::move(card);
  }
  REACH_RETURN_IF_ERROR(planner::ValidatePlanRequest(c.request));
  if (c.request.exact && !c.request.pool_ids.empty() &&
      c.request.pool_ids.size() > static_cast<size_t>(planner::kMaxExactPool)) {
    return absl::InvalidArgumentError(
        fmt::format("--exact takes pools of at most {} candidates", planner::kMaxExactPool));
  }
  std::string json;
  if (!c.server.empty()) {
    REACH_ASSIGN_OR_RETURN(json, AskServer(c));
  } else {
    if (c.request.save) {
      return absl::InvalidArgumentError(
          "--save needs --server (plans are saved by a running Reach)");
    }
    REACH_ASSIGN_OR_RETURN(json, PlanLocally(c));
  }
  return RenderPlan(json, c.output);
}

}  // namespace reach::cli
