#include "ingest/seismic_decoder.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace reach::ingest {
namespace {

bool ParseU64(std::string_view s, uint64_t* v) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool ParseDouble(std::string_view s, double* v) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(*v) && *v >= 0;
}

// Splits on spaces and tabs, dropping empty pieces.
std::vector<std::string_view> Fields(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != '\r') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

constexpr uint64_t kMaxRows = (uint64_t{1} << 24) - 2;

}  // namespace

DecodeResult SeismicDecoder::Decode(std::string_view record, std::vector<model::Event>* out) {
  std::vector<std::string_view> f = Fields(record);
  if (f.size() != 2) {
    return DecodeResult::Reject(RejectReason::kMissingField,
                                fmt::format("{} fields, need 2", f.size()));
  }
  uint64_t followers = 0;
  const bool row_shaped = ParseU64(f[1], &followers);
  if (remaining_ == 0 || !row_shaped) {
    uint64_t n = 0;
    double days = 0;
    if (!ParseU64(f[0], &n) || !ParseDouble(f[1], &days) || days > 1e6) {
      return DecodeResult::Reject(RejectReason::kWrongType,
                                  "header is not \"<retweets> <start days>\"");
    }
    if (n >= kMaxRows) return DecodeResult::Reject(RejectReason::kTooLarge, "too many retweets");
    ++cascade_;
    remaining_ = n + 1;
    row_ = 0;
    start_ = EventTime::FromSeconds(kEpochSeconds) +
             Duration{static_cast<int64_t>(std::llround(days * 86400.0 * 1e6))};
    return DecodeResult::Control("header");
  }
  double seconds = 0;
  if (!ParseDouble(f[0], &seconds) || seconds > 1e10) {
    return DecodeResult::Reject(RejectReason::kWrongType, "time is not non-negative seconds");
  }
  const uint64_t id = NodeId(cascade_, row_);
  const EventTime t = start_ + Duration{static_cast<int64_t>(std::llround(seconds * 1e6))};
  model::UserSnapshot u;
  u.id = UserId{id};
  u.platform = model::Platform::kDataset;
  u.followers = static_cast<int64_t>(std::min<uint64_t>(followers, INT64_MAX));
  u.observed = t;
  out->push_back(std::move(u));
  model::Post p;
  p.id = PostId{id};
  p.platform = model::Platform::kDataset;
  p.author = UserId{id};
  p.time = t;
  if (row_ == 0) {
    p.kind = model::PostKind::kOriginal;
  } else {
    p.kind = model::PostKind::kReshare;
    p.parent = PostId{NodeId(cascade_, 0)};
    p.parent_author = UserId{NodeId(cascade_, 0)};
  }
  out->push_back(std::move(p));
  ++row_;
  --remaining_;
  return DecodeResult::Accept();
}

}  // namespace reach::ingest
