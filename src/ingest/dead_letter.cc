#include "ingest/dead_letter.h"

#include <cerrno>
#include <cstring>

#include "common/json_writer.h"

namespace reach::ingest {
namespace {

constexpr size_t kMaxRecordBytes = 1 << 20;  // 1 MiB

// The longest prefix of s no longer than max bytes that does not end inside a UTF-8 sequence.
std::string_view CutAtCharBoundary(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max;
  // Step back over continuation bytes (10xxxxxx), at most 3, to the start of the cut sequence.
  for (int i = 0; i < 3 && cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80; ++i) {
    --cut;
  }
  return s.substr(0, cut);
}

absl::Status ErrnoStatus(int err, std::string_view what, const std::string& path) {
  std::string msg = std::string(what) + " " + path + ": " + std::strerror(err);
  if (err == ENOENT) return absl::NotFoundError(msg);
  if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(msg);
  return absl::InternalError(msg);
}

}  // namespace

DeadLetterWriter::~DeadLetterWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

absl::Status DeadLetterWriter::Open(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
  path_ = path;
  if (path.empty()) return absl::OkStatus();
  file_ = std::fopen(path.c_str(), "ae");
  if (file_ == nullptr) return ErrnoStatus(errno, "cannot open dead-letter file", path);
  return absl::OkStatus();
}

absl::Status DeadLetterWriter::Write(const SourcePosition& pos, RejectReason reason,
                                     std::string_view detail, std::string_view record,
                                     uint64_t full_length) {
  std::lock_guard<std::mutex> lock(mu_);
  if (file_ == nullptr) return absl::OkStatus();
  std::string_view kept = CutAtCharBoundary(record, kMaxRecordBytes);
  bool truncated = kept.size() < full_length;
  bool lossy = !JsonWriter::IsValidUtf8(kept);

  JsonWriter w;
  w.BeginObject();
  w.Key("source");
  w.String(pos.source);
  w.Key("line");
  w.Uint(pos.line);
  w.Key("offset");
  w.Uint(pos.offset);
  w.Key("reason");
  w.String(RejectReasonName(reason));
  w.Key("detail");
  w.String(detail);
  w.Key("length");
  w.Uint(full_length);
  if (lossy) {
    w.Key("lossy");
    w.Bool(true);
  }
  if (truncated) {
    w.Key("truncated");
    w.Bool(true);
  }
  w.Key("record");
  w.String(kept);
  w.EndObject();
  std::string line = std::move(w).Take();
  line.push_back('\n');
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) {
    return ErrnoStatus(errno, "cannot write dead-letter file", path_);
  }
  return absl::OkStatus();
}

absl::Status DeadLetterWriter::Flush() {
  std::lock_guard<std::mutex> lock(mu_);
  if (file_ == nullptr) return absl::OkStatus();
  if (std::fflush(file_) != 0) return ErrnoStatus(errno, "cannot flush dead-letter file", path_);
  return absl::OkStatus();
}

}  // namespace reach::ingest
