// ArchiveLog: the RecordLog (ingest/record_log.h) of a running Reach — every accepted raw record
// goes to the durable archive (archive::ArchiveWriter) before its events count — and the input
// checkpoint that lets a restart go on without losing or repeating anything.
//
// Recovery design (docs/archive.md, "Restart"). The engine's state lives in memory; the archive is
// the record of what it has counted. On start:
//   1. ArchiveLog::Open opens the writer (which truncates a torn tail) and reads the checkpoint
//      file `CHECKPOINT` in the archive directory: the configured source, the position of the last
//      input record read, and the archive sequence number committed with it.
//   2. The caller replays records 1..last_sequence() through the pipeline into a fresh engine
//      (OpenArchiveLineReader), which rebuilds exactly the state the engine had counted.
//   3. When the source is the one checkpointed (a file or directory, not stdin), the caller wraps
//      its reader in ResumeReader, which skips the lines up to the checkpointed position. Records
//      archived after the checkpoint was saved (a crash between the archive flush and the
//      checkpoint write) are recognised as the next accepted input lines by their fingerprint
//      (length and CRC32C) and Append answers "already logged", so their events are not applied a
//      second time. Records of other inputs between them (lines posted to /api/ingest, whose
//      position source is kPostedSource and which never move the checkpoint's position) are
//      passed over.
// Commit flushes the writer (fsync per its policy) and then replaces the checkpoint file
// (write to CHECKPOINT.tmp, rename; not synced: a checkpoint that is stale or lost after a power
// failure only makes the restart match more records by fingerprint, and a damaged one is ignored
// the same way). The checkpoint is never ahead of the archive under the `batch` policy. A
// checkpoint naming a sequence the archive no longer has (possible only after a power failure under
// `rotate` or `never`) is logged as an unclean restart; ingest resumes after it.
//
// Threading: Open, Append, Commit and ResumeReader on the ingest thread; stats() from any thread.
#ifndef REACH_INGEST_ARCHIVE_LOG_H_
#define REACH_INGEST_ARCHIVE_LOG_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "archive/segment_writer.h"
#include "ingest/line_reader.h"
#include "ingest/record_log.h"

namespace reach::ingest {

// The position source of lines posted over HTTP (ingest/posted_lines.h).
inline constexpr std::string_view kPostedSource = "http";

// What a restart resumes after.
struct ArchiveCheckpoint {
  uint64_t sequence = 0;    // the last archive record committed
  std::string source;       // the source as configured (--source)
  SourcePosition position;  // the last input record read from it

  friend bool operator==(const ArchiveCheckpoint&, const ArchiveCheckpoint&) = default;
};

// Reads `dir`/CHECKPOINT; nullopt when there is none. InvalidArgument for a malformed file.
absl::StatusOr<std::optional<ArchiveCheckpoint>> LoadArchiveCheckpoint(const std::string& dir);
// Replaces `dir`/CHECKPOINT atomically (temporary file and rename; fsync when `sync`).
absl::Status SaveArchiveCheckpoint(const std::string& dir, const ArchiveCheckpoint& checkpoint,
                                   bool sync);

// Counters for /metrics; written by the ingest thread, read by any.
struct ArchiveLogStats {
  std::atomic<uint64_t> records{0};  // records in the archive (last sequence number)
  std::atomic<uint64_t> bytes{0};    // file bytes written since start
  std::atomic<uint64_t> segments{0};
  std::atomic<uint64_t> fsyncs{0};  // segment and directory syncs since start
  // Commit calls and their wall time (flush, fsync per policy, checkpoint): the time each batch of
  // accepted records waits before its events go to the engine.
  std::atomic<uint64_t> commits{0};
  std::atomic<int64_t> commit_us_sum{0};
  std::atomic<int64_t> commit_us_max{0};
  std::atomic<uint64_t> torn_bytes_truncated{0};
  std::atomic<uint64_t> resume_skipped_lines{0};  // input lines skipped up to the checkpoint
};

class ArchiveLog final : public RecordLog {
 public:
  // Opens (creating) the archive in `dir` for input from `source` (as configured; "-" is stdin).
  static absl::StatusOr<std::unique_ptr<ArchiveLog>> Open(const std::string& dir,
                                                          const std::string& source,
                                                          archive::WriterOptions options = {});
  ~ArchiveLog() override;

  // The archive's newest record at Open: the caller replays 1..last_sequence().
  [[nodiscard]] uint64_t replay_last_sequence() const { return replay_last_; }
  [[nodiscard]] const std::optional<ArchiveCheckpoint>& checkpoint() const { return checkpoint_; }
  // True when the source is the checkpointed one and can be resumed (not stdin).
  [[nodiscard]] bool resumes_source() const { return resume_; }

  // Wraps the source's reader so that it starts after the checkpointed position (when
  // resumes_source(); otherwise returns `reader` as it is).
  std::unique_ptr<LineReader> ResumeReader(std::unique_ptr<LineReader> reader);

  absl::StatusOr<bool> Append(const Line& line) override;
  absl::Status Commit(const SourcePosition& last) override;
  // Flushes and closes the archive (also done by the destructor).
  absl::Status Close();

  [[nodiscard]] const ArchiveLogStats& stats() const { return stats_; }
  [[nodiscard]] const std::string& dir() const { return dir_; }

 private:
  ArchiveLog(std::string dir, std::string source, std::unique_ptr<archive::ArchiveWriter> writer);
  absl::Status LoadPending();
  void PublishStats();

  std::string dir_;
  std::string source_;
  std::unique_ptr<archive::ArchiveWriter> writer_;
  std::optional<ArchiveCheckpoint> checkpoint_;
  uint64_t replay_last_ = 0;
  bool resume_ = false;
  // Fingerprints of the records archived after the checkpoint, expected as the next accepted
  // input records; next_pending_ indexes the next one.
  std::vector<uint64_t> pending_;
  size_t next_pending_ = 0;
  uint64_t segments_at_open_ = 0;
  ArchiveLogStats stats_;
};

}  // namespace reach::ingest

#endif  // REACH_INGEST_ARCHIVE_LOG_H_
