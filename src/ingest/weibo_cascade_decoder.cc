#include "ingest/weibo_cascade_decoder.h"

#include <charconv>
#include <string>

#include <fmt/format.h>

#include "absl/container/flat_hash_map.h"

namespace reach::ingest {
namespace {

constexpr uint64_t kMaxCascadeId = uint64_t{1} << 39;
constexpr size_t kMaxParticipants = (size_t{1} << 24) - 2;

bool ParseU64(std::string_view s, uint64_t* v) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.push_back(
        s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

struct Entry {
  std::string_view path;
  uint64_t user = 0;
  uint64_t offset = 0;  // seconds after publication
};

}  // namespace

DecodeResult WeiboCascadeDecoder::Decode(std::string_view record, std::vector<model::Event>* out) {
  while (!record.empty() && (record.back() == '\n' || record.back() == '\r')) {
    record.remove_suffix(1);
  }
  std::vector<std::string_view> fields = Split(record, '\t');
  if (fields.size() < 5) {
    return DecodeResult::Reject(RejectReason::kMissingField,
                                fmt::format("{} tab-separated fields, need 5", fields.size()));
  }
  uint64_t cascade = 0, root_user = 0, publish = 0;
  if (!ParseU64(fields[0], &cascade) || cascade >= kMaxCascadeId) {
    return DecodeResult::Reject(RejectReason::kWrongType, "cascade id is not a decimal below 2^39");
  }
  if (!ParseU64(fields[1], &root_user) || root_user == 0) {
    return DecodeResult::Reject(RejectReason::kWrongType, "root user is not a positive decimal");
  }
  if (!ParseU64(fields[2], &publish) || publish > 253'402'300'799ull) {
    return DecodeResult::Reject(RejectReason::kBadTimestamp, "publish time is not Unix seconds");
  }
  std::vector<Entry> entries;
  for (std::string_view part : Split(fields[4], ' ')) {
    if (part.empty()) continue;
    size_t colon = part.rfind(':');
    Entry e;
    if (colon == std::string_view::npos || !ParseU64(part.substr(colon + 1), &e.offset) ||
        e.offset > 100ull * 365 * 86400) {
      return DecodeResult::Reject(RejectReason::kBadTimestamp,
                                  fmt::format("participant {}: no \":seconds\"", entries.size()));
    }
    e.path = part.substr(0, colon);
    size_t slash = e.path.rfind('/');
    std::string_view last = slash == std::string_view::npos ? e.path : e.path.substr(slash + 1);
    for (std::string_view u : Split(e.path, '/')) {
      uint64_t id = 0;
      if (!ParseU64(u, &id) || id == 0) {
        return DecodeResult::Reject(RejectReason::kWrongType,
                                    fmt::format("participant {}: bad path", entries.size()));
      }
    }
    ParseU64(last, &e.user);
    entries.push_back(e);
    if (entries.size() > kMaxParticipants) {
      return DecodeResult::Reject(RejectReason::kTooLarge, "too many participants");
    }
  }
  if (entries.empty()) return DecodeResult::Reject(RejectReason::kMissingField, "no participants");

  // The root: the entry whose path is the root user alone (the dataset lists it first as "u:0").
  const std::string root_path = std::to_string(root_user);
  size_t root_pos = entries.size();
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].path == root_path) {
      root_pos = i;
      break;
    }
  }
  // Earliest occurrence of each path (ties: first in the line).
  absl::flat_hash_map<std::string_view, size_t> first;
  for (size_t i = 0; i < entries.size(); ++i) {
    auto [it, inserted] = first.try_emplace(entries[i].path, i);
    if (!inserted && entries[i].offset < entries[it->second].offset) it->second = i;
  }
  // Without a root entry the root takes a position of its own after the participants.
  const PostId root_id = NodeId(cascade, root_pos);
  const EventTime t0 = EventTime::FromSeconds(static_cast<int64_t>(publish));
  model::Post root;
  root.id = root_id;
  root.platform = model::Platform::kDataset;
  root.kind = model::PostKind::kOriginal;
  root.author = UserId{root_user};
  root.time = t0;
  out->push_back(std::move(root));
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i == root_pos) continue;
    const Entry& e = entries[i];
    // The parent: the longest proper prefix path that is listed, else the root.
    size_t parent_pos = root_pos;
    std::string_view prefix = e.path;
    while (true) {
      size_t slash = prefix.rfind('/');
      if (slash == std::string_view::npos) break;
      prefix = prefix.substr(0, slash);
      if (prefix == root_path) break;
      if (auto it = first.find(prefix); it != first.end() && it->second != i) {
        parent_pos = it->second;
        break;
      }
    }
    model::Post p;
    p.id = NodeId(cascade, i);
    p.platform = model::Platform::kDataset;
    p.kind = model::PostKind::kReshare;
    p.author = UserId{e.user};
    p.time = t0 + Duration::Seconds(static_cast<int64_t>(e.offset));
    p.parent = NodeId(cascade, parent_pos);
    p.parent_author = UserId{parent_pos == root_pos ? root_user : entries[parent_pos].user};
    p.parent_exact = true;
    out->push_back(std::move(p));
  }
  return DecodeResult::Accept();
}

}  // namespace reach::ingest
