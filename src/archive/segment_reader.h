// ArchiveReader: reads the archive's records in sequence order, from a given sequence number,
// across plain and zstd-compressed segments (decompressed as a stream). This is what `reach
// replay` and the restart-from-checkpoint path read.
//
//   REACH_ASSIGN_OR_RETURN(auto reader, ArchiveReader::Open(dir, {.start_sequence = ckpt + 1}));
//   while (true) {
//     REACH_ASSIGN_OR_RETURN(std::optional<ArchiveRecord> rec, reader->Next());
//     if (!rec) break;
//     Process(rec->sequence, rec->data);
//   }
//
// What counts as damage: a bad record (checksum, length, sequence) or a gap in the sequence
// numbers between segments. With CorruptionPolicy::kFail, Next returns DataLoss naming the segment
// file and the (uncompressed) offset, and keeps returning it. With kSkip it resynchronises on the
// next intact record (scanning byte by byte for a header whose checksum matches), counts what it
// skipped in stats() and goes on. The newest segment, when still plain, is the one the writer may
// have been writing: from its first bad record to its end is a torn tail, which ends the iteration
// without an error and is counted in stats().torn_tail_bytes (the writer's recovery would truncate
// the same bytes).
//
// The list of segments is taken at Open; a segment the writer compresses meanwhile is found under
// its new name. Not thread-safe (one reader per thread); several readers may read one directory.
// Errors: NotFound when the directory does not exist; DataLoss as above; Internal for I/O errors.
// Memory: one 256 KiB read buffer plus the record being returned.
#ifndef REACH_ARCHIVE_SEGMENT_READER_H_
#define REACH_ARCHIVE_SEGMENT_READER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "archive/segment_format.h"
#include "common/time.h"

namespace reach::archive {

class SegmentScanner;

enum class CorruptionPolicy { kFail, kSkip };

struct ReaderOptions {
  // The first sequence number wanted; 0 means from the oldest record present. Records before it
  // are read and passed over. A start below the oldest segment's first record is a gap (damage).
  uint64_t start_sequence = 0;
  CorruptionPolicy on_corruption = CorruptionPolicy::kFail;
};

struct ArchiveRecord {
  uint64_t sequence = 0;
  EventTime arrival;      // as given to ArchiveWriter::Append
  std::string_view data;  // valid until the next call to Next
};

struct ReaderStats {
  uint64_t records_read = 0;           // returned by Next
  uint64_t records_before_start = 0;   // read and passed over (below start_sequence)
  uint64_t segments_read = 0;          // segments opened
  uint64_t corrupt_regions = 0;        // kSkip: damaged places skipped
  uint64_t corrupt_bytes_skipped = 0;  // kSkip: bytes passed over while resynchronising
  uint64_t records_skipped = 0;        // kSkip: sequence numbers missing after resyncs and gaps
  uint64_t torn_tail_bytes = 0;        // ignored at the end of the newest plain segment
};

class ArchiveReader {
 public:
  static absl::StatusOr<std::unique_ptr<ArchiveReader>> Open(std::string dir,
                                                             ReaderOptions options = {});
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  // The next record, nullopt at the end of the archive, or an error (see the header comment).
  [[nodiscard]] absl::StatusOr<std::optional<ArchiveRecord>> Next();

  [[nodiscard]] const ReaderStats& stats() const { return stats_; }
  // For a progress line: file bytes (compressed bytes for .zst) read so far, of total_bytes().
  // total_bytes() counts the segments from the one holding start_sequence, as listed at Open.
  [[nodiscard]] uint64_t bytes_consumed() const;
  [[nodiscard]] uint64_t total_bytes() const { return total_bytes_; }
  // The sequence number the next record should carry.
  [[nodiscard]] uint64_t expected_sequence() const { return expected_; }

 private:
  struct Segment {
    uint64_t first_sequence = 0;
    bool compressed = false;
    uint64_t file_bytes = 0;
  };

  ArchiveReader(std::string dir, ReaderOptions options);
  absl::Status OpenNextSegment();
  absl::Status Damage(absl::Status status);
  [[nodiscard]] std::string PathOf(const Segment& segment) const;

  const std::string dir_;
  const ReaderOptions options_;
  std::vector<Segment> segments_;
  size_t index_ = 0;  // segment being read (or next to open)
  std::unique_ptr<SegmentScanner> scanner_;
  std::string current_path_;
  bool current_is_tail_ = false;  // newest segment and plain
  uint64_t expected_ = 0;
  bool started_ = false;  // a segment has been opened
  absl::Status failed_;
  uint64_t total_bytes_ = 0;
  uint64_t consumed_before_ = 0;  // bytes of segments finished
  ReaderStats stats_;
};

}  // namespace reach::archive

#endif  // REACH_ARCHIVE_SEGMENT_READER_H_
