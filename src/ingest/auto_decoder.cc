#include "ingest/auto_decoder.h"

#include <simdjson.h>

#include <string>
#include <utility>

namespace reach::ingest {
namespace {

// The format a top-level key names, or empty.
std::string_view FormatOfKey(std::string_view key) {
  static constexpr std::pair<std::string_view, std::string_view> kKeys[] = {
      {"did", "bluesky-jetstream"},
      {"time_us", "bluesky-jetstream"},
      {"kind", "bluesky-jetstream"},
      {"event", "mastodon"},
      {"payload", "mastodon"},
      {"_source_host", "mastodon"},
      {"account", "mastodon"},
      {"content", "mastodon"},
      {"uri", "mastodon"},
      {"reblog", "mastodon"},
      {"favourites_count", "mastodon"},
      {"in_reply_to_account_id", "mastodon"},
      {"id_str", "twitter-v1"},
      {"user", "twitter-v1"},
      {"text", "twitter-v1"},
      {"full_text", "twitter-v1"},
      {"retweeted_status", "twitter-v1"},
      {"timestamp_ms", "twitter-v1"},
      {"delete", "twitter-v1"},
      {"limit", "twitter-v1"},
      {"scrub_geo", "twitter-v1"},
      {"status_withheld", "twitter-v1"},
      {"user_withheld", "twitter-v1"},
      {"disconnect", "twitter-v1"},
      {"warning", "twitter-v1"},
      {"data", "twitter-v2"},
      {"includes", "twitter-v2"},
      {"matching_rules", "twitter-v2"},
  };
  for (const auto& [name, format] : kKeys) {
    if (key == name) return format;
  }
  return {};
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Splits `s` at runs of `separators`, up to `max` fields (the last one holding the rest).
size_t Fields(std::string_view s, std::string_view separators, std::string_view* out, size_t max) {
  size_t n = 0, i = 0;
  while (n < max) {
    while (i < s.size() && separators.find(s[i]) != std::string_view::npos) ++i;
    if (i == s.size()) break;
    size_t end = n + 1 == max ? s.size() : s.find_first_of(separators, i);
    if (end == std::string_view::npos) end = s.size();
    out[n++] = s.substr(i, end - i);
    i = end;
  }
  return n;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// The text formats: SNAP activity edge lists and Weibo cascade paths; empty for anything else.
std::string_view SniffText(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  if (!s.empty() && s.front() == '#') return "snap-activity";  // its header comments
  std::string_view f[5];
  if (s.find('\t') != std::string_view::npos && Fields(s, "\t", f, 5) == 5 && AllDigits(f[0]) &&
      AllDigits(f[1]) && AllDigits(f[2]) && f[4].find(':') != std::string_view::npos &&
      IsDigit(f[4].front())) {
    return "weibo-cascades";
  }
  if (Fields(s, " \t", f, 5) == 4 && AllDigits(f[0]) && AllDigits(f[1]) && AllDigits(f[2]) &&
      (f[3] == "RT" || f[3] == "MT" || f[3] == "RE")) {
    return "snap-activity";
  }
  return {};
}

}  // namespace

AutoDecoder::AutoDecoder() = default;
AutoDecoder::~AutoDecoder() = default;

std::string_view AutoDecoder::Sniff(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsSpace(s[i])) ++i;
  if (i == s.size()) return {};
  if (s[i] != '{') return SniffText(s);
  int depth = 0;
  bool expect_key = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') {
      size_t start = ++i;
      bool escaped = false;
      while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\') {
          escaped = true;
          ++i;
        }
        ++i;
      }
      if (i >= s.size()) return {};
      if (depth == 1 && expect_key) {
        // A key holding an escape never equals a known key.
        if (!escaped) {
          std::string_view format = FormatOfKey(s.substr(start, i - start));
          if (!format.empty()) return format;
        }
        expect_key = false;
      }
    } else if (c == '{' || c == '[') {
      if (++depth == 1) expect_key = true;
    } else if (c == '}' || c == ']') {
      if (--depth <= 0) return {};
    } else if (c == ',' && depth == 1) {
      expect_key = true;
    }
  }
  return {};
}

DecodeResult AutoDecoder::Decode(std::string_view record, std::vector<model::Event>* out) {
  last_format_ = {};
  std::string_view format = Sniff(record);
  if (format.empty()) {
    // Nothing names a format: say why, as precisely as the parser can.
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    simdjson::error_code e = parser.parse(record.data(), record.size()).get(doc);
    switch (e) {
      case simdjson::SUCCESS:
        return DecodeResult::Reject(
            RejectReason::kUnknownFormat,
            doc.is_object() ? "no key names a known format" : "not a JSON object");
      case simdjson::UTF8_ERROR:
        return DecodeResult::Reject(RejectReason::kInvalidUtf8, simdjson::error_message(e));
      case simdjson::DEPTH_ERROR:
        return DecodeResult::Reject(RejectReason::kTooDeep, simdjson::error_message(e));
      default:
        return DecodeResult::Reject(RejectReason::kMalformedJson, simdjson::error_message(e));
    }
  }
  size_t index = 0;
  while (kFormats[index] != format) ++index;
  if (decoders_[index] == nullptr) {
    absl::StatusOr<std::unique_ptr<Decoder>> made = MakeDecoder(format);
    if (!made.ok()) {
      return DecodeResult::Reject(
          RejectReason::kUnknownFormat,
          "looks like " + std::string(format) + ", which this build does not decode");
    }
    decoders_[index] = *std::move(made);
  }
  last_format_ = kFormats[index];
  return decoders_[index]->Decode(record, out);
}

}  // namespace reach::ingest
