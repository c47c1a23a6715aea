#include "planner/plan_request.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>

#include "common/json_writer.h"
#include "fmt/format.h"

namespace reach::planner {
namespace {

// Every officially assigned ISO 3166-1 alpha-2 code, sorted (249 codes, from Debian's iso-codes).
constexpr std::string_view kIsoCodes =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICK"
    "CLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGS"
    "GTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULV"
    "LYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPM"
    "PNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTR"
    "TTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

std::string Clip(std::string_view s) {
  return std::string(s.substr(0, 40)) + (s.size() > 40 ? "..." : "");
}

absl::Status Bad(std::string_view field, const std::string& message) {
  return absl::InvalidArgumentError(fmt::format("{}: {}", field, message));
}

absl::StatusOr<std::string> NormalizeCountry(std::string_view code) {
  std::string up(code);
  for (char& c : up) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (!IsIsoCountry(up)) {
    return Bad("countries",
               fmt::format("unknown country code \"{}\" (expected ISO 3166-1 alpha-2, e.g. US)",
                           Clip(code)));
  }
  return up;
}

absl::Status AddCountry(std::vector<std::pair<std::string, double>>& out, std::string_view code,
                        double weight) {
  REACH_ASSIGN_OR_RETURN(std::string c, NormalizeCountry(code));
  if (!(weight >= 0) || !std::isfinite(weight)) {
    return Bad("countries", fmt::format("the weight of {} must be a number >= 0", c));
  }
  for (const auto& [have, w] : out) {
    if (have == c) return Bad("countries", fmt::format("{} is listed twice", c));
  }
  out.emplace_back(std::move(c), weight);
  return absl::OkStatus();
}

std::string Topic(std::string_view t) {
  while (!t.empty() && t.front() == '#') t.remove_prefix(1);
  std::string out(t);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

absl::StatusOr<double> Number(simdjson::dom::element v, std::string_view field) {
  double d = 0;
  if (v.get_double().get(d) != simdjson::SUCCESS) return Bad(field, "must be a number");
  return d;
}

}  // namespace

bool IsIsoCountry(std::string_view code) {
  if (code.size() != 2) return false;
  for (size_t i = 0; i + 1 < kIsoCodes.size(); i += 2) {
    if (kIsoCodes.substr(i, 2) == code) return true;
  }
  return false;
}

absl::StatusOr<std::vector<std::pair<std::string, double>>> ParseCountryList(
    std::string_view text) {
  std::vector<std::pair<std::string, double>> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) continue;
    double weight = 1;
    if (size_t colon = item.find(':'); colon != std::string_view::npos) {
      std::string w(item.substr(colon + 1));
      char* end = nullptr;
      weight = std::strtod(w.c_str(), &end);
      if (w.empty() || end != w.c_str() + w.size()) {
        return Bad("countries", fmt::format("bad weight \"{}\"", Clip(w)));
      }
      item = item.substr(0, colon);
    }
    REACH_RETURN_IF_ERROR(AddCountry(out, item, weight));
  }
  return out;
}

absl::Status ValidatePlanRequest(const PlanRequest& r) {
  if (!std::isfinite(r.budget)) return Bad("budget", "must be a finite number");
  if (r.budget < 0) return Bad("budget", fmt::format("must be >= 0, got {}", r.budget));
  for (const auto& [code, weight] : r.countries) {
    if (!IsIsoCountry(code)) {
      return Bad("countries", fmt::format("unknown country code \"{}\"", Clip(code)));
    }
    if (!(weight >= 0)) return Bad("countries", "weights must be >= 0");
  }
  if (!r.countries.empty() && std::all_of(r.countries.begin(), r.countries.end(),
                                          [](const auto& c) { return c.second == 0; })) {
    return Bad("countries", "at least one country needs a weight > 0");
  }
  if (r.min_sentiment && !(*r.min_sentiment >= -1 && *r.min_sentiment <= 1)) {
    return Bad("min_sentiment", "must be in [-1, 1]");
  }
  if (r.pool_ids.empty() && (r.pool_size < 1 || r.pool_size > kMaxPool)) {
    return Bad("pool", r.pool_size < 1 ? std::string("the pool is empty")
                                       : fmt::format("at most {} candidates", kMaxPool));
  }
  if (r.pool_ids.size() > static_cast<size_t>(kMaxPool)) {
    return Bad("pool", fmt::format("at most {} candidates", kMaxPool));
  }
  return absl::OkStatus();
}

absl::StatusOr<PlanRequest> ParsePlanRequest(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto err = parser.parse(json.data(), json.size()).get(doc); err != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(
        fmt::format("the body is not valid JSON: {}", simdjson::error_message(err)));
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError("the body must be a JSON object");
  }
  PlanRequest r;
  bool has_budget = false;
  for (auto field : obj) {
    const std::string_view key = field.key;
    simdjson::dom::element v = field.value;
    if (key == "budget") {
      REACH_ASSIGN_OR_RETURN(r.budget, Number(v, "budget"));
      has_budget = true;
    } else if (key == "countries") {
      simdjson::dom::array arr;
      simdjson::dom::object map;
      if (v.get_array().get(arr) == simdjson::SUCCESS) {
        for (simdjson::dom::element c : arr) {
          std::string_view code;
          if (c.get_string().get(code) != simdjson::SUCCESS) {
            return Bad("countries", "a list of country codes must hold strings");
          }
          REACH_RETURN_IF_ERROR(AddCountry(r.countries, code, 1.0));
        }
      } else if (v.get_object().get(map) == simdjson::SUCCESS) {
        for (auto c : map) {
          REACH_ASSIGN_OR_RETURN(double w, Number(c.value, "countries"));
          REACH_RETURN_IF_ERROR(AddCountry(r.countries, c.key, w));
        }
      } else if (!v.is_null()) {
        return Bad("countries", "must be a list of codes or an object {code: weight}");
      }
    } else if (key == "topics") {
      simdjson::dom::array arr;
      if (v.is_null()) continue;
      if (v.get_array().get(arr) != simdjson::SUCCESS) return Bad("topics", "must be a list");
      for (simdjson::dom::element t : arr) {
        std::string_view s;
        if (t.get_string().get(s) != simdjson::SUCCESS) return Bad("topics", "must hold strings");
        std::string topic = Topic(s);
        if (topic.empty() || topic.size() > 140)
          return Bad("topics", "a topic is empty or too long");
        r.topics.push_back(std::move(topic));
      }
    } else if (key == "min_sentiment") {
      if (v.is_null()) continue;
      REACH_ASSIGN_OR_RETURN(double s, Number(v, "min_sentiment"));
      r.min_sentiment = s;
    } else if (key == "rate_card") {
      std::string_view csv;
      if (v.is_null()) continue;
      if (v.get_string().get(csv) != simdjson::SUCCESS) {
        return Bad("rate_card", "must be the CSV text as a string");
      }
      r.rate_card_csv = std::string(csv);
      auto card = ParseRateCard(csv);
      if (!card.ok()) return Bad("rate_card", std::string(card.status().message()));
      r.rate_card = std::move(*card);
    } else if (key == "pool") {
      simdjson::dom::array arr;
      if (v.is_null()) continue;
      if (v.get_array().get(arr) == simdjson::SUCCESS) {
        for (simdjson::dom::element id : arr) {
          std::string_view s;
          uint64_t n = 0;
          if (id.get_string().get(s) == simdjson::SUCCESS) {
            while (!s.empty() && s.front() == '@') s.remove_prefix(1);
            if (s.empty()) return Bad("pool", "an entry is empty");
            r.pool_ids.emplace_back(s);
          } else if (id.get_uint64().get(n) == simdjson::SUCCESS) {
            r.pool_ids.push_back(std::to_string(n));
          } else {
            return Bad("pool", "a list must hold user ids or handles");
          }
        }
        if (r.pool_ids.empty()) return Bad("pool", "the pool is empty");
      } else {
        REACH_ASSIGN_OR_RETURN(double n, Number(v, "pool"));
        if (n != std::floor(n)) return Bad("pool", "must be a whole number or a list");
        if (n < 1) return Bad("pool", "the pool is empty");
        r.pool_size = static_cast<int>(std::min<double>(n, kMaxPool + 1));
      }
    } else if (key == "window") {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS) return Bad("window", "must be a string");
      auto w = engine::ParseWindow(s);
      if (!w) return Bad("window", fmt::format("\"{}\" is not one of 15m, 1h, 24h, all", Clip(s)));
      r.window = *w;
    } else if (key == "exact" || key == "save") {
      bool b = false;
      if (v.get_bool().get(b) != simdjson::SUCCESS) return Bad(key, "must be true or false");
      (key == "exact" ? r.exact : r.save) = b;
    } else if (key == "name") {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS) return Bad("name", "must be a string");
      r.name = std::string(s.substr(0, 200));
    } else {
      return absl::InvalidArgumentError(fmt::format(
          "unknown field \"{}\" (known: budget, countries, topics, min_sentiment, rate_card, pool, "
          "window, exact, save, name)",
          Clip(key)));
    }
  }
  if (!has_budget) return Bad("budget", "is required");
  REACH_RETURN_IF_ERROR(ValidatePlanRequest(r));
  return r;
}

std::string PlanRequestJson(const PlanRequest& r) {
  JsonWriter w;
  w.BeginObject();
  w.Key("budget");
  w.Double(r.budget);
  w.Key("countries");
  w.BeginObject();
  for (const auto& [code, weight] : r.countries) {
    w.Key(code);
    w.Double(weight);
  }
  w.EndObject();
  w.Key("topics");
  w.BeginArray();
  for (const std::string& t : r.topics) w.String(t);
  w.EndArray();
  w.Key("min_sentiment");
  if (r.min_sentiment) {
    w.Double(*r.min_sentiment);
  } else {
    w.Null();
  }
  if (!r.rate_card_csv.empty()) {
    w.Key("rate_card");
    w.String(r.rate_card_csv);
  }
  w.Key("pool");
  if (r.pool_ids.empty()) {
    w.Int(r.pool_size);
  } else {
    w.BeginArray();
    for (const std::string& id : r.pool_ids) w.String(id);
    w.EndArray();
  }
  w.Key("window");
  w.String(engine::WindowName(r.window));
  w.Key("exact");
  w.Bool(r.exact);
  if (!r.name.empty()) {
    w.Key("name");
    w.String(r.name);
  }
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace reach::planner
