#include "ingest/archive_line_reader.h"

#include <sys/stat.h>

#include <optional>
#include <utility>

#include "archive/segment_format.h"
#include "archive/segment_reader.h"
#include "common/status.h"

namespace reach::ingest {
namespace {

class ArchiveLineReader final : public LineReader {
 public:
  ArchiveLineReader(std::unique_ptr<archive::ArchiveReader> reader, std::string dir,
                    uint64_t last_sequence, LineReaderOptions options)
      : reader_(std::move(reader)), dir_(std::move(dir)), last_(last_sequence), options_(options) {}

  absl::StatusOr<bool> Next(Line* line) override {
    if (done_) return false;
    REACH_ASSIGN_OR_RETURN(std::optional<archive::ArchiveRecord> rec, reader_->Next());
    if (!rec || (last_ != 0 && rec->sequence > last_)) {
      done_ = true;
      return false;
    }
    line->position.source = dir_;
    line->position.line = rec->sequence;
    line->position.offset = offset_;
    line->length = rec->data.size();
    offset_ += rec->data.size();
    line->too_long = rec->data.size() > options_.max_line_bytes;
    line->text = line->too_long ? rec->data.substr(0, options_.max_line_bytes) : rec->data;
    if (last_ != 0 && rec->sequence == last_) done_ = true;
    return true;
  }
  [[nodiscard]] uint64_t bytes_read() const override { return reader_->bytes_consumed(); }
  [[nodiscard]] uint64_t bytes_total() const override { return reader_->total_bytes(); }

 private:
  std::unique_ptr<archive::ArchiveReader> reader_;
  std::string dir_;
  uint64_t last_;
  LineReaderOptions options_;
  uint64_t offset_ = 0;
  bool done_ = false;
};

}  // namespace

bool IsArchiveDirectory(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  absl::StatusOr<std::vector<archive::SegmentEntry>> segments = archive::ListSegments(path);
  return segments.ok() && !segments->empty();
}

absl::StatusOr<std::unique_ptr<LineReader>> OpenArchiveLineReader(const std::string& dir,
                                                                  uint64_t first_sequence,
                                                                  uint64_t last_sequence,
                                                                  LineReaderOptions options) {
  archive::ReaderOptions reader_options;
  reader_options.start_sequence = first_sequence;
  REACH_ASSIGN_OR_RETURN(std::unique_ptr<archive::ArchiveReader> reader,
                         archive::ArchiveReader::Open(dir, reader_options));
  return std::unique_ptr<LineReader>(
      new ArchiveLineReader(std::move(reader), dir, last_sequence, options));
}

}  // namespace reach::ingest
