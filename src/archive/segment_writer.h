// ArchiveWriter: appends raw records (the accepted input lines) to the durable archive, a directory
// of segment files (format in segment_format.h and docs/archive.md). Each record gets a global
// sequence number, dense and increasing from 1, that a checkpoint can name: "applied up to N"
// resumes with ArchiveReader from N + 1.
//
//   REACH_ASSIGN_OR_RETURN(auto writer, ArchiveWriter::Open("/var/lib/reach/archive", {}));
//   for (each accepted line) { REACH_ASSIGN_OR_RETURN(uint64_t seq, writer->Append(line, now)); }
//   REACH_RETURN_IF_ERROR(writer->Flush());  // before the batch's events are handed on
//
// Rotation: the open segment is closed when the next record would take it past max_segment_bytes
// or when it is max_segment_age old (measured with the injected Clock from its creation, checked on
// Append and on Flush, so an idle writer closes its segment when Flush is called on a timer). The
// next segment is created by the next Append and named after its first sequence number. A closed
// segment is compressed with zstd, by default on a background thread the writer owns.
//
// Durability (FsyncPolicy): Append copies the record into a user-space buffer (written out when it
// reaches buffer_bytes); Flush writes the buffer to the file, then
//   kEveryBatch  fdatasync on every Flush that wrote something, and the directory is synced when a
//                segment is created: after Flush returns, the records survive a power failure.
//   kOnRotate    fsync of a segment (and the directory) when it is closed: a power failure can lose
//                the open segment's records written since it was opened (up to 5 MiB / 300 s).
//   kNever       no fsync: after Flush the records survive a crash of the process, not of the
//                machine (the kernel writes back within ~30 s, in no promised order).
// Under every policy, records appended since the last Flush are lost if the process dies.
//
// Recovery: Open scans the newest segment. A torn tail (a partial header, a short record, a bad
// checksum or an out-of-order sequence number, up to the end of the file) is truncated away and
// logged with the number of bytes dropped; numbering resumes after the last intact record. A
// record whose number was truncated away is given again to the next record appended, so a
// consumer must never act on a record before the Flush that made it durable (kEveryBatch).
// Open also finishes interrupted compressions (see segment_compressor.h).
//
// Thread safety: one writer per directory, used from one thread (Append, Flush, Rotate, Close are
// not synchronized); stats() may be called from that thread only. Readers may read the same
// directory concurrently, seeing what has been flushed. Errors: a failed write or fsync makes the
// writer unusable (every later call returns that error), as the state of the file is then
// unknown; reopening recovers. InvalidArgument for a record over kMaxRecordBytes (not sticky).
// Cost: an Append is a memcpy plus a CRC32C of the record (~10 GB/s with SSE4.2).
#ifndef REACH_ARCHIVE_SEGMENT_WRITER_H_
#define REACH_ARCHIVE_SEGMENT_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/time.h"

namespace reach::archive {

class SegmentCompressor;

enum class FsyncPolicy { kNever, kOnRotate, kEveryBatch };

// "never", "rotate", "batch" (for configuration files); InvalidArgument for any other name.
absl::StatusOr<FsyncPolicy> ParseFsyncPolicy(std::string_view name);
std::string_view FsyncPolicyName(FsyncPolicy policy);

struct WriterOptions {
  uint64_t max_segment_bytes = 5u << 20;  // 5 MiB, as the Firehose buffer it replaces
  Duration max_segment_age = Duration::Seconds(300);
  FsyncPolicy fsync = FsyncPolicy::kEveryBatch;
  bool compress_on_rotation = true;
  bool compress_in_background = true;  // false: Rotate compresses before it returns
  int zstd_level = 3;
  size_t buffer_bytes = 64u << 10;  // Append writes the buffer out once it holds this much
  const Clock* clock = nullptr;     // segment age; nullptr means SystemClock::Get(). Not owned.
};

struct WriterStats {
  uint64_t records_appended = 0;  // by this writer since Open
  uint64_t payload_bytes = 0;     // record bytes appended since Open
  uint64_t file_bytes_written = 0;
  uint64_t flushes = 0;     // Flush calls
  uint64_t file_syncs = 0;  // fdatasync/fsync of segment files (not counting compression)
  uint64_t dir_syncs = 0;   // fsync of the directory (not counting compression)
  uint64_t segments_created = 0;
  uint64_t segments_rotated = 0;
  uint64_t segments_compressed = 0;  // finished so far (background work may still be running)
  uint64_t compressed_bytes_in = 0;
  uint64_t compressed_bytes_out = 0;
  uint64_t torn_bytes_truncated = 0;  // by recovery in Open
  uint64_t recovered_records = 0;     // intact records found in the newest segment by Open
};

class ArchiveWriter {
 public:
  // Opens (creating it if needed) the archive directory `dir` and recovers its newest segment.
  // Errors: PermissionDenied/Internal for file-system failures; DataLoss when a segment other than
  // a torn newest one is unreadable (nothing is deleted then).
  static absl::StatusOr<std::unique_ptr<ArchiveWriter>> Open(std::string dir,
                                                             WriterOptions options = {});
  // Close(), logging an error if it fails.
  ~ArchiveWriter();
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;

  // Appends one record and returns its sequence number. `arrival` is stored with it (when the
  // record was received; informational). Rotates first when the open segment is full or old.
  [[nodiscard]] absl::StatusOr<uint64_t> Append(std::string_view record, EventTime arrival);
  // Writes buffered records to the file and syncs according to the policy; closes the segment if
  // it has reached max_segment_age.
  absl::Status Flush();
  // Closes the open segment now (flushing it; fsync under kOnRotate and kEveryBatch) and hands
  // it to compression. No-op without an open segment.
  absl::Status Rotate();
  // Flushes, syncs the open segment (unless kNever) and waits for pending compressions. The open
  // segment stays plain; the next Open continues it. Further calls except stats() fail.
  absl::Status Close();
  // Waits for the background compressions queued so far; returns the first compression error.
  absl::Status WaitForCompression();

  // The sequence number the next Append will return.
  [[nodiscard]] uint64_t next_sequence() const { return next_sequence_; }
  // The last sequence number written (appended) so far, 0 if none.
  [[nodiscard]] uint64_t last_sequence() const { return next_sequence_ - 1; }
  [[nodiscard]] const std::string& dir() const { return dir_; }
  [[nodiscard]] WriterStats stats() const;

 private:
  ArchiveWriter(std::string dir, WriterOptions options);
  absl::Status Recover();
  absl::Status OpenSegment();
  absl::Status WriteBuffer();
  absl::Status SyncFile();
  absl::Status Fail(absl::Status status);
  [[nodiscard]] bool SegmentTooOld() const;

  const std::string dir_;
  const WriterOptions options_;
  const Clock& clock_;
  std::unique_ptr<SegmentCompressor> compressor_;

  absl::Status sticky_error_;
  bool closed_ = false;
  uint64_t next_sequence_ = 1;

  // The open segment; fd_ < 0 when there is none (the next Append creates one).
  int fd_ = -1;
  uint64_t segment_first_sequence_ = 0;
  EventTime segment_created_;
  uint64_t segment_bytes_ = 0;  // including the buffered bytes
  uint64_t segment_records_ = 0;
  bool unsynced_ = false;  // bytes written to fd_ since its last sync
  std::string buffer_;

  WriterStats stats_;
};

}  // namespace reach::archive

#endif  // REACH_ARCHIVE_SEGMENT_WRITER_H_
