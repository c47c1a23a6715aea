// ArchiveLineReader: a LineReader over the records of a raw archive (src/archive/), so that an
// archive is one more input: `reach replay reach-archive/` and the replay a restart starts with run
// it through the same IngestPipeline as any file. Each record is one line; its position is
// {source: the archive directory, line: the record's sequence number, offset: total payload bytes
// before it}.
//
// The archive is read with CorruptionPolicy::kFail: damage (a bad checksum, a missing segment) is
// DataLoss naming the segment file and offset, after the records before it were returned; the
// torn tail of the newest plain segment simply ends the input (archive/segment_reader.h).
//
// Not thread-safe; one reader per thread.
#ifndef REACH_INGEST_ARCHIVE_LINE_READER_H_
#define REACH_INGEST_ARCHIVE_LINE_READER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "ingest/line_reader.h"

namespace reach::ingest {

// True when `path` is a directory holding archive segment files (*.seg, *.seg.zst).
[[nodiscard]] bool IsArchiveDirectory(const std::string& path);

// Reads the records of the archive in `dir` from `first_sequence` (0: the oldest) up to and
// including `last_sequence` (0: to the end). Records longer than max_line_bytes are returned as
// too long, as a file reader would.
absl::StatusOr<std::unique_ptr<LineReader>> OpenArchiveLineReader(const std::string& dir,
                                                                  uint64_t first_sequence = 0,
                                                                  uint64_t last_sequence = 0,
                                                                  LineReaderOptions options = {});

}  // namespace reach::ingest

#endif  // REACH_INGEST_ARCHIVE_LINE_READER_H_
