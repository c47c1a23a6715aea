// LineReader: yields the records (lines) of an input source, with their position.
//
// Sources: a file (plain, .gz, .bz2, .zst, by extension), a tar archive (.tar, .tar.gz/.tgz,
// .tar.bz2, .tar.zst: every regular member, each decompressed by its own extension, positions
// "ARCHIVE:MEMBER"), a directory (its regular files in name order,
// recursively not), a raw archive directory (its records in sequence order, ingest/
// archive_line_reader.h), or "-" for stdin. Lines longer than max_line_bytes are not buffered
// whole: they are skipped up to the next newline and reported as too long, so a 10 MB line cannot
// exhaust memory. A final line without '\n' is still a line. '\r' before '\n' is stripped. Empty
// lines are skipped.
//
// Lines are returned as views into one reusable buffer (no allocation per line); each read is one
// chunk of read_chunk_bytes. Memory stays below max_line_bytes + 2 chunks.
//
// A plain file can be followed as it grows (LineReaderOptions::follow, tail -f semantics).
//
// Not thread-safe: one reader per thread. Errors: NotFound / PermissionDenied when the source
// cannot be opened, DataLoss for a corrupt compressed stream or tar archive (the lines before it
// have been returned), InvalidArgument for follow on anything but a plain file.
#ifndef REACH_INGEST_LINE_READER_H_
#define REACH_INGEST_LINE_READER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/time.h"

namespace reach::ingest {

struct SourcePosition {
  std::string source;   // file path, or "stdin"
  uint64_t line = 0;    // 1-based line number within the source
  uint64_t offset = 0;  // byte offset of the line's start in the (decompressed) source

  friend bool operator==(const SourcePosition&, const SourcePosition&) = default;
};

struct Line {
  std::string_view text;  // valid until the next call to Next
  SourcePosition position;
  bool too_long = false;  // text is only the first max_line_bytes bytes; the rest was skipped
  uint64_t length = 0;    // full length of the line in bytes (even when too_long)
};

class LineReader {
 public:
  virtual ~LineReader() = default;
  // Returns true and fills *line, false at the end of all input, or an error.
  virtual absl::StatusOr<bool> Next(Line* line) = 0;
  // Bytes consumed from the underlying source(s) so far (compressed bytes for compressed files).
  [[nodiscard]] virtual uint64_t bytes_read() const = 0;
  // Total size of the input when known (files), else 0.
  [[nodiscard]] virtual uint64_t bytes_total() const = 0;
  // True when the next Next() can answer from what is already buffered, without waiting on the
  // source. A live source (stdin, a pipe) may block when it is false, so callers holding events
  // hand them on first.
  [[nodiscard]] virtual bool HasBufferedLine() const { return true; }
  // Waits at most `timeout` for the next Next() to be able to answer without waiting (a buffered
  // line, input to read, the end, or an error); returns false when the time ran out first. Readers
  // that cannot tell return false at once (a file or stdin read through a plain descriptor can).
  // The pipeline uses it to gather a steady stream's lines into one archive commit.
  virtual bool WaitForInput(Duration timeout) {
    (void)timeout;
    return false;
  }
};

struct LineReaderOptions {
  uint64_t max_line_bytes = 8 << 20;  // 8 MiB
  // Size of each read from the source (decompressed bytes for compressed files). The buffer grows
  // beyond it only while a line longer than one chunk (and within max_line_bytes) is being read.
  uint64_t read_chunk_bytes = 1 << 20;  // 1 MiB
  // tail -f: at the end of a plain file, wait for more (polling every follow_poll; a truncated or
  // rotated file is read again from its start) until *stop is true. Only for plain files.
  bool follow = false;
  const std::atomic<bool>* stop = nullptr;  // not owned
  Duration follow_poll = Duration::Millis(200);
};

// Opens a path (file or directory) or "-" for stdin.
absl::StatusOr<std::unique_ptr<LineReader>> OpenLineReader(const std::string& path,
                                                           LineReaderOptions options = {});

}  // namespace reach::ingest

#endif  // REACH_INGEST_LINE_READER_H_
