// DeadLetterWriter: appends every rejected record, with its source position and reason, to an
// NDJSON file:
// {"source":..,"line":N,"offset":N,"reason":"..","detail":"..","length":N,"record":".."}. The
// record is stored as a JSON string; JSON text cannot carry bytes that are not UTF-8, so those are
// replaced by U+FFFD and "lossy":true is set. Records longer than 1 MiB are cut (at a character
// boundary) and "truncated":true is set, as it is when the reader already cut a too-long line
// (record shorter than full_length).
//
// Thread-safe (an internal mutex). An empty path disables it (Write does nothing).
#ifndef REACH_INGEST_DEAD_LETTER_H_
#define REACH_INGEST_DEAD_LETTER_H_

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "ingest/line_reader.h"
#include "ingest/reject_reason.h"

namespace reach::ingest {

class DeadLetterWriter {
 public:
  DeadLetterWriter() = default;
  ~DeadLetterWriter();
  DeadLetterWriter(const DeadLetterWriter&) = delete;
  DeadLetterWriter& operator=(const DeadLetterWriter&) = delete;

  // Opens (appends to) the file. An empty path leaves the writer disabled.
  absl::Status Open(const std::string& path);
  absl::Status Write(const SourcePosition& pos, RejectReason reason, std::string_view detail,
                     std::string_view record, uint64_t full_length);
  absl::Status Flush();
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::mutex mu_;
  std::string path_;
  FILE* file_ = nullptr;
};

}  // namespace reach::ingest

#endif  // REACH_INGEST_DEAD_LETTER_H_
