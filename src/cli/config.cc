#include "cli/config.h"

#include <charconv>
#include <filesystem>

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

void ReadDouble(const toml::table& t, std::string_view key, double* out) {
  if (auto v = t[key].value<double>()) *out = *v;
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
    ReadDouble(*score, "reshares", &config->weights.reshares);
    ReadDouble(*score, "likes", &config->weights.likes);
    ReadDouble(*score, "followers", &config->weights.followers);
    ReadDouble(*score, "depth", &config->weights.depth);
    if (absl::Status st = engine::ValidateWeights(config->weights); !st.ok()) {
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
  }
  return absl::OkStatus();
}

}  // namespace reach::cli
