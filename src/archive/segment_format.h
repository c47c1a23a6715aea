// The on-disk format of the raw archive: segment file names, the segment header and the record
// framing. Shared by ArchiveWriter, ArchiveReader and the recovery scan; see docs/archive.md.
//
// A segment is one file named after the sequence number of its first record, 20 decimal digits
// (`00000000000000001234.seg`); once closed it may be replaced by its zstd-compressed form
// (`00000000000000001234.seg.zst`, one zstd frame of the very same bytes). Sorting the names sorts
// the segments. A segment's bytes are:
//
//   segment header, 32 bytes:  magic "REACHSEG" | version u32 | first_sequence u64 |
//                              created_micros i64 | masked crc32c u32 of the 28 bytes before it
//   records, each:             masked crc32c u32 | length u32 | sequence u64 | arrival_micros i64 |
//                              payload (length bytes)
//
// All integers are little-endian. A record's CRC covers everything after the CRC field (length,
// sequence, arrival, payload), so a torn or corrupted length is caught as well. Sequence numbers
// are dense: each record's sequence is the previous one's plus one, across segments.
//
// Thread safety: pure functions and value types. Errors: DataLoss for a header that does not parse.
#ifndef REACH_ARCHIVE_SEGMENT_FORMAT_H_
#define REACH_ARCHIVE_SEGMENT_FORMAT_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/time.h"

namespace reach::archive {

static_assert(std::endian::native == std::endian::little, "the archive format is little-endian");

inline constexpr std::string_view kSegmentMagic = "REACHSEG";
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kSegmentHeaderBytes = 32;
inline constexpr size_t kRecordHeaderBytes = 24;
// Larger records are refused by the writer and taken for corruption by readers.
inline constexpr uint32_t kMaxRecordBytes = 64u << 20;
inline constexpr std::string_view kPlainSuffix = ".seg";
inline constexpr std::string_view kCompressedSuffix = ".seg.zst";
// A compressed segment is written under this suffix and renamed when complete.
inline constexpr std::string_view kTempSuffix = ".seg.zst.tmp";

struct SegmentHeader {
  uint64_t first_sequence = 0;
  EventTime created;  // when the writer created the segment, by its clock
};

struct RecordHeader {
  uint32_t masked_crc = 0;
  uint32_t length = 0;
  uint64_t sequence = 0;
  EventTime arrival;
};

// "00000000000000001234.seg" or "00000000000000001234.seg.zst" (no directory).
[[nodiscard]] std::string SegmentFileName(uint64_t first_sequence, bool compressed);

// The segment files of one directory, one entry per first sequence number.
struct SegmentEntry {
  uint64_t first_sequence = 0;
  bool has_plain = false;       // NNN.seg exists
  bool has_compressed = false;  // NNN.seg.zst exists (complete: it is renamed into place)
  uint64_t plain_bytes = 0;
  uint64_t compressed_bytes = 0;
};

// Lists the segments of `dir` in sequence order, ignoring other files. NotFound when `dir` does
// not exist; `temp_files`, when given, receives the paths of leftover *.seg.zst.tmp files.
[[nodiscard]] absl::StatusOr<std::vector<SegmentEntry>> ListSegments(
    const std::string& dir, std::vector<std::string>* temp_files = nullptr);

[[nodiscard]] std::string EncodeSegmentHeader(const SegmentHeader& header);
// DataLoss when the magic, version or checksum is wrong; `bytes` must be kSegmentHeaderBytes long.
[[nodiscard]] absl::StatusOr<SegmentHeader> DecodeSegmentHeader(std::string_view bytes);

// Appends one framed record to `out`.
void AppendRecord(std::string* out, uint64_t sequence, EventTime arrival, std::string_view payload);

// Decodes the fixed part of a record header (`bytes` holds at least kRecordHeaderBytes).
[[nodiscard]] RecordHeader DecodeRecordHeader(const char* bytes);
// Whether the checksum matches, given the header bytes and the payload that follows them.
[[nodiscard]] bool RecordChecksumMatches(const char* header_bytes, std::string_view payload);

}  // namespace reach::archive

#endif  // REACH_ARCHIVE_SEGMENT_FORMAT_H_
