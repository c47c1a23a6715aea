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

}  // namespace

AutoDecoder::AutoDecoder() = default;
AutoDecoder::~AutoDecoder() = default;

std::string_view AutoDecoder::Sniff(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsSpace(s[i])) ++i;
  if (i == s.size() || s[i] != '{') return {};
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
