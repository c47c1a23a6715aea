// SegmentScanner: reads the records of one segment file (plain or zstd-compressed) in order,
// checking each record's checksum and sequence number. The building block of ArchiveReader and of
// the writer's recovery scan; most callers want ArchiveReader instead.
//
// Offsets are positions in the segment's uncompressed bytes (the segment header starts at 0), so
// they are file offsets for a plain segment and the same numbers for its compressed form.
// The .zst form is decompressed as a stream (one read buffer of 256 KiB plus the records in
// flight), never loaded whole.
//
// Not thread-safe; owns its file descriptor. Errors: NotFound when the file is gone, Internal for
// I/O errors, DataLoss for a bad segment header or a corrupt zstd stream. A bad record is not an
// error but a kCorrupt step, so the caller decides between a torn tail, a failure and skipping.
#ifndef REACH_ARCHIVE_SEGMENT_SCANNER_H_
#define REACH_ARCHIVE_SEGMENT_SCANNER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "archive/segment_format.h"

namespace reach::archive {

class ByteSource;

class SegmentScanner {
 public:
  enum class Step { kRecord, kEnd, kCorrupt };

  struct Result {
    Step step = Step::kEnd;
    // kRecord: the record (data valid until the next call).
    uint64_t sequence = 0;
    EventTime arrival;
    std::string_view data;
    // kRecord: where the record starts; kCorrupt: where the bad record starts (every byte before
    // it belongs to good records).
    uint64_t offset = 0;
    // kCorrupt: what is wrong, e.g. "checksum mismatch".
    std::string what;
  };

  // Opens `path`; `compressed` selects zstd decoding. Reads and checks the segment header. A plain
  // file shorter than the header is DataLoss (code) with "short segment header" in the message.
  static absl::StatusOr<std::unique_ptr<SegmentScanner>> Open(const std::string& path,
                                                              bool compressed);
  ~SegmentScanner();
  SegmentScanner(const SegmentScanner&) = delete;
  SegmentScanner& operator=(const SegmentScanner&) = delete;

  [[nodiscard]] const SegmentHeader& header() const { return header_; }
  [[nodiscard]] const std::string& path() const { return path_; }

  // The next record, the end of the segment, or the first bad record. After kCorrupt, call Resync
  // to go on past it; calling Next again without it returns the same kCorrupt.
  [[nodiscard]] absl::StatusOr<Result> Next();

  // After kCorrupt: moves to the first later offset holding a well-formed record with a matching
  // checksum and a sequence number >= min_sequence. Returns false (and stays at the end) when
  // there is none. The skipped byte count is bytes_skipped().
  [[nodiscard]] absl::StatusOr<bool> Resync(uint64_t min_sequence);

  // Uncompressed offset of the next unread record.
  [[nodiscard]] uint64_t offset() const { return base_offset_ + pos_; }
  // The sequence number the next record should carry.
  [[nodiscard]] uint64_t expected_sequence() const { return expected_sequence_; }
  // Bytes of the file (compressed bytes for .zst) read so far; for progress reporting.
  [[nodiscard]] uint64_t file_bytes_read() const;
  [[nodiscard]] uint64_t bytes_skipped() const { return bytes_skipped_; }

 private:
  SegmentScanner(std::string path, std::unique_ptr<ByteSource> source);
  // Makes at least `n` bytes available from pos_; returns fewer only at the end of the data.
  absl::StatusOr<size_t> Fill(size_t n);
  // Checks for a valid record at pos_ (after Fill); fills `result` when valid.
  absl::StatusOr<bool> ValidRecordAt(uint64_t min_sequence, Result* result, std::string* what);

  std::string path_;
  std::unique_ptr<ByteSource> source_;
  SegmentHeader header_;
  std::string buf_;
  size_t pos_ = 0;            // next unread byte in buf_
  size_t end_ = 0;            // end of valid bytes in buf_
  uint64_t base_offset_ = 0;  // segment offset of buf_[0]
  bool eof_ = false;
  uint64_t expected_sequence_ = 0;
  uint64_t bytes_skipped_ = 0;
  bool corrupt_ = false;
  Result corrupt_result_;
};

}  // namespace reach::archive

#endif  // REACH_ARCHIVE_SEGMENT_SCANNER_H_
