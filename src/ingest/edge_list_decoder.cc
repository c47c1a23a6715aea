#include "ingest/edge_list_decoder.h"

#include <array>
#include <charconv>
#include <string>

#include "common/stable_hash.h"
#include "ingest/decode_util.h"

namespace reach::ingest {
namespace {

// Year 10000, in seconds since the epoch.
constexpr uint64_t kMaxSeconds = 253402300800ull;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string Quoted(std::string_view s) { return "\"" + std::string(s.substr(0, 32)) + "\""; }

}  // namespace

PostId EdgeListDecoder::RootPostId(UserId author, int64_t unix_seconds) {
  int64_t day = unix_seconds / kSecondsPerCascade;
  std::string key = "snap:root:" + std::to_string(author.value) + ":" + std::to_string(day);
  return PostId(StableHash64(key));
}

DecodeResult EdgeListDecoder::Decode(std::string_view record, std::vector<model::Event>* out) {
  size_t start = 0;
  while (start < record.size() && IsSpace(record[start])) ++start;
  if (start < record.size() && record[start] == '#') return DecodeResult::Control("comment");

  std::array<std::string_view, 4> fields;
  size_t n = 0;
  for (size_t i = start; i < record.size();) {
    if (IsSpace(record[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < record.size() && !IsSpace(record[end])) ++end;
    if (n == fields.size()) {
      return DecodeResult::Reject(RejectReason::kUnknownFormat,
                                  "expected 4 fields \"userA userB unix_time RT|MT|RE\", got more");
    }
    fields[n++] = record.substr(i, end - i);
    i = end;
  }
  if (n < fields.size()) {
    return DecodeResult::Reject(
        RejectReason::kMissingField,
        "expected 4 fields \"userA userB unix_time RT|MT|RE\", got " + std::to_string(n));
  }
  uint64_t a = 0, b = 0, seconds = 0;
  if (!ParseUint(fields[0], &a) || a == 0) {
    return DecodeResult::Reject(RejectReason::kWrongType,
                                "userA: expected a positive numeric id, got " + Quoted(fields[0]));
  }
  if (!ParseUint(fields[1], &b) || b == 0) {
    return DecodeResult::Reject(RejectReason::kWrongType,
                                "userB: expected a positive numeric id, got " + Quoted(fields[1]));
  }
  if (!ParseUint(fields[2], &seconds) || seconds == 0 || seconds >= kMaxSeconds) {
    return DecodeResult::Reject(RejectReason::kBadTimestamp,
                                "unix_time: expected seconds since 1970, got " + Quoted(fields[2]));
  }
  const std::string_view action = fields[3];
  model::PostKind kind;
  if (action == "RT") {
    kind = model::PostKind::kReshare;
  } else if (action == "MT") {
    kind = model::PostKind::kOriginal;
  } else if (action == "RE") {
    kind = model::PostKind::kReply;
  } else {
    return DecodeResult::Reject(RejectReason::kUnknownFormat,
                                "action: expected RT, MT or RE, got " + Quoted(action));
  }

  model::Post post;
  post.id = PostId(StableHash64("snap:" + std::to_string(a) + " " + std::to_string(b) + " " +
                                std::to_string(seconds) + " " + std::string(action)));
  post.platform = model::Platform::kDataset;
  post.kind = kind;
  post.author = UserId(a);
  post.time = EventTime::FromSeconds(static_cast<int64_t>(seconds));
  const UserId target(b);
  switch (kind) {
    case model::PostKind::kReshare:
      post.parent = RootPostId(target, static_cast<int64_t>(seconds));
      post.parent_author = target;
      break;
    case model::PostKind::kReply:
      post.in_reply_to_user = target;
      break;
    default:
      post.mentions.push_back(model::Mention{target, std::string()});
      break;
  }
  out->emplace_back(std::move(post));
  return DecodeResult::Accept();
}

}  // namespace reach::ingest
