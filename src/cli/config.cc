#include "cli/config.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iterator>
#include <utility>

#include <fmt/format.h>

#include <toml++/toml.h>

#include "engine/score.h"

namespace reach::cli {

absl::StatusOr<Duration> ParseDuration(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
  if (ec != std::errc() || value < 0) {
    return absl::InvalidArgumentError(
        fmt::format("bad duration '{}': want e.g. 250ms, 5s, 2m", text));
  }
  if (unit == "ms") return Duration::Millis(value);
  if (unit == "s") return Duration::Seconds(value);
  if (unit == "m") return Duration::Minutes(value);
  if (unit == "h") return Duration::Hours(value);
  return absl::InvalidArgumentError(
      fmt::format("bad duration '{}': unit must be ms, s, m or h", text));
}

namespace {

absl::Status ReadDuration(const toml::table& t, std::string_view key, Duration* out) {
  if (auto v = t[key].value<std::string>()) {
    auto d = ParseDuration(*v);
    if (!d.ok()) return d.status();
    *out = *d;
  }
  return absl::OkStatus();
}

void ReadString(const toml::table& t, std::string_view key, std::string* out) {
  if (auto v = t[key].value<std::string>()) *out = *v;
}

// A number (integer or float) under `key`, if present; InvalidArgument naming the key otherwise.
absl::Status ReadNumber(const toml::table& t, std::string_view section, std::string_view key,
                        double* out) {
  const toml::node* node = t.get(key);
  if (node == nullptr) return absl::OkStatus();
  if (auto v = node->value<double>(); v && (node->is_floating_point() || node->is_integer())) {
    *out = *v;
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(fmt::format("[{}] {} must be a number", section, key));
}

}  // namespace

std::string ResolveArchiveDir(const Config& config) {
  if (config.archive == "none") return "";
  if (!config.archive.empty()) return config.archive;
  std::string_view store = config.store;
  if (store == "none" || store.starts_with("postgres://") || store.starts_with("postgresql://")) {
    return "";
  }
  if (store.starts_with("sqlite:")) store.remove_prefix(7);
  std::filesystem::path path{std::string(store)};
  return (path.parent_path() / (path.stem().string() + "-archive")).string();
}

absl::Status LoadConfigFile(const std::string& path, Config* config) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return absl::InvalidArgumentError(fmt::format("{}:{}:{}: {}", path, e.source().begin.line,
                                                  e.source().begin.column, e.description()));
  }
  if (auto* score = root["score"].as_table()) {
    engine::ScoreWeights& w = config->weights;
    const std::pair<std::string_view, double*> keys[] = {
        {"reshares", &w.reshares}, {"likes", &w.likes},       {"followers", &w.followers},
        {"depth", &w.depth},       {"pagerank", &w.pagerank}, {"audience", &w.audience}};
    for (const auto& [key, node] : *score) {
      const bool known = std::any_of(std::begin(keys), std::end(keys),
                                     [&](const auto& k) { return k.first == key.str(); });
      if (!known) {
        return absl::InvalidArgumentError(fmt::format(
            "{}: [score] unknown key '{}': the weights are reshares, likes, followers, depth, "
            "pagerank, audience",
            path, key.str()));
      }
    }
    for (const auto& [key, field] : keys) {
      if (absl::Status st = ReadNumber(*score, "score", key, field); !st.ok()) {
        return absl::InvalidArgumentError(fmt::format("{}: {}", path, st.message()));
      }
    }
    if (absl::Status st = engine::ValidateWeights(w); !st.ok()) {
      return absl::InvalidArgumentError(fmt::format("{}: [score]: {}", path, st.message()));
    }
  }
  if (auto* store = root["store"].as_table()) {
    ReadString(*store, "path", &config->store);
    REACH_RETURN_IF_ERROR(ReadDuration(*store, "flush_interval", &config->flush_interval));
  }
  if (auto* http = root["http"].as_table()) {
    ReadString(*http, "listen", &config->listen);
    ReadString(*http, "web_root", &config->web_root);
    ReadString(*http, "api_token", &config->api_token);
  }
  if (auto* ingest = root["ingest"].as_table()) {
    ReadString(*ingest, "format", &config->format);
    ReadString(*ingest, "source", &config->source);
    ReadString(*ingest, "dead_letter", &config->dead_letter);
    ReadString(*ingest, "archive", &config->archive);
    ReadString(*ingest, "archive_fsync", &config->archive_fsync);
  }
  if (auto* eng = root["engine"].as_table()) {
    REACH_RETURN_IF_ERROR(ReadDuration(*eng, "publish_interval", &config->publish_interval));
    std::string clock = config->wall_clock_windows ? "wall" : "event";
    ReadString(*eng, "window_clock", &clock);
    if (clock != "wall" && clock != "event") {
      return absl::InvalidArgumentError(
          fmt::format("{}: [engine] window_clock must be \"event\" or \"wall\"", path));
    }
    config->wall_clock_windows = clock == "wall";
    ReadString(*eng, "follow_graph", &config->follow_graph);
  }
  return absl::OkStatus();
}

}  // namespace reach::cli
