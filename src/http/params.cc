#include "http/params.h"

#include <charconv>

#include <fmt/format.h>

#include "analytics/terms.h"
#include "common/json_writer.h"
#include "http/status_mapping.h"

namespace reach::http {

absl::Status CheckKnownParams(const QueryParams& q,
                              std::initializer_list<std::string_view> allowed) {
  for (const auto& [name, value] : q.params) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == name;
    if (!known) {
      return InvalidParameterError(name.substr(0, 64),
                                   fmt::format("unknown query parameter '{}'", name.substr(0, 64)));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ParseIntParam(std::string_view name, std::string_view text, int64_t min,
                                      int64_t max) {
  int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  bool digits_only = !text.empty() && text.front() != '-' && text.front() != '+';
  if (ec != std::errc() || ptr != end || !digits_only || v < min || v > max) {
    return InvalidParameterError(
        name, fmt::format("{} must be an integer between {} and {}", name, min, max));
  }
  return v;
}

absl::StatusOr<engine::Window> ParseWindowParam(const QueryParams& q, std::string_view name,
                                                engine::Window fallback) {
  const std::string* text = q.Find(name);
  if (text == nullptr) return fallback;
  std::optional<engine::Window> window = engine::ParseWindow(*text);
  if (!window) {
    return InvalidParameterError(name, fmt::format("{} must be one of 15m, 1h, 24h, all", name));
  }
  return *window;
}

absl::StatusOr<Duration> ParseDurationParam(std::string_view name, std::string_view text) {
  auto bad = [&] {
    return InvalidParameterError(
        name, fmt::format("{} must be a positive duration of at most 366d, such as 300 (seconds), "
                          "1m, 15m, 1h or 1d",
                          name));
  };
  int64_t unit_seconds = 1;
  std::string_view digits = text;
  if (!text.empty()) {
    switch (text.back()) {
      case 's':
        unit_seconds = 1;
        break;
      case 'm':
        unit_seconds = 60;
        break;
      case 'h':
        unit_seconds = 3600;
        break;
      case 'd':
        unit_seconds = 86400;
        break;
      default:
        unit_seconds = 0;
        break;
    }
    if (unit_seconds != 0) {
      digits.remove_suffix(1);
    } else {
      unit_seconds = 1;
    }
  }
  if (digits.empty() || digits.front() < '0' || digits.front() > '9') return bad();
  int64_t count = 0;
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, count);
  const int64_t max_count = kMaxDurationParam.micros / 1'000'000 / unit_seconds;
  if (ec != std::errc() || ptr != end || count <= 0 || count > max_count) return bad();
  return Duration::Seconds(count * unit_seconds);
}

absl::StatusOr<std::string> ParseCountryParam(std::string_view name, std::string_view text) {
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (text.size() != 2 || !letter(text[0]) || !letter(text[1])) {
    return InvalidParameterError(
        name, fmt::format("{} must be an ISO 3166-1 alpha-2 country code such as US or GB", name));
  }
  std::string code(text);
  for (char& c : code) c = static_cast<char>(c & ~0x20);  // ASCII upper case
  return code;
}

absl::StatusOr<std::string> ParseTopic(std::string_view name, std::string_view decoded) {
  if (decoded.size() > 4 * kMaxTopicBytes) {
    // Case folding at most thirds a text's length, so this cannot fit: refuse before folding.
    return InvalidParameterError(name,
                                 fmt::format("{} must be at most {} bytes", name, kMaxTopicBytes));
  }
  if (!JsonWriter::IsValidUtf8(decoded)) {
    return InvalidParameterError(name, fmt::format("{} is not valid UTF-8", name));
  }
  std::string topic = analytics::NormalizeHashtag(decoded);
  if (topic.empty()) {
    return InvalidParameterError(name, fmt::format("{} must not be empty", name));
  }
  if (topic.size() > kMaxTopicBytes) {
    return InvalidParameterError(name,
                                 fmt::format("{} must be at most {} bytes", name, kMaxTopicBytes));
  }
  return topic;
}

}  // namespace reach::http
