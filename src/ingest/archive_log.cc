#include "ingest/archive_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>

#include <fmt/format.h>

#include "archive/crc32c.h"
#include "archive/segment_compressor.h"
#include "archive/segment_format.h"
#include "archive/segment_reader.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/status.h"

namespace reach::ingest {
namespace {

constexpr const char* kCheckpointName = "CHECKPOINT";

// Length and CRC32C of a record: equal records have equal fingerprints, and two different records
// read at the same place of the same input with the same fingerprint are not a practical concern.
uint64_t Fingerprint(std::string_view record) {
  return (static_cast<uint64_t>(record.size()) << 32) | archive::crc32c::Value(record);
}

absl::Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

// A line position as it sorts in a directory reader: by file name, then line.
bool AtOrBefore(const SourcePosition& pos, const SourcePosition& mark) {
  if (pos.source != mark.source) return pos.source < mark.source;
  return pos.line <= mark.line;
}

// Skips the lines at or before `after`, then passes everything through.
class ResumingLineReader final : public LineReader {
 public:
  ResumingLineReader(std::unique_ptr<LineReader> inner, SourcePosition after,
                     std::atomic<uint64_t>* skipped)
      : inner_(std::move(inner)), after_(std::move(after)), skipped_(skipped) {}

  absl::StatusOr<bool> Next(Line* line) override {
    while (true) {
      REACH_ASSIGN_OR_RETURN(bool got, inner_->Next(line));
      if (!got || passed_) return got;
      if (AtOrBefore(line->position, after_)) {
        skipped_->fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      passed_ = true;
      return true;
    }
  }
  [[nodiscard]] uint64_t bytes_read() const override { return inner_->bytes_read(); }
  [[nodiscard]] uint64_t bytes_total() const override { return inner_->bytes_total(); }
  [[nodiscard]] bool HasBufferedLine() const override { return inner_->HasBufferedLine(); }
  bool WaitForInput(Duration timeout) override { return inner_->WaitForInput(timeout); }

 private:
  std::unique_ptr<LineReader> inner_;
  SourcePosition after_;
  std::atomic<uint64_t>* skipped_;
  bool passed_ = false;
};

}  // namespace

absl::StatusOr<std::optional<ArchiveCheckpoint>> LoadArchiveCheckpoint(const std::string& dir) {
  const std::string path = dir + "/" + kCheckpointName;
  std::ifstream in(path);
  if (!in) return std::optional<ArchiveCheckpoint>();
  ArchiveCheckpoint c;
  std::string line;
  int seen = 0;
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string key = line.substr(0, tab);
    std::string value = line.substr(tab + 1);
    auto number = [&](uint64_t* out) -> absl::Status {
      char* end = nullptr;
      errno = 0;
      *out = std::strtoull(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || errno != 0) {
        return absl::InvalidArgumentError(
            fmt::format("{}: bad value for {}: \"{}\"", path, key, value));
      }
      ++seen;
      return absl::OkStatus();
    };
    if (key == "sequence") {
      REACH_RETURN_IF_ERROR(number(&c.sequence));
    } else if (key == "line") {
      REACH_RETURN_IF_ERROR(number(&c.position.line));
    } else if (key == "offset") {
      REACH_RETURN_IF_ERROR(number(&c.position.offset));
    } else if (key == "source") {
      c.source = value;
      ++seen;
    } else if (key == "file") {
      c.position.source = value;
      ++seen;
    }
  }
  if (seen < 5) return absl::InvalidArgumentError(path + ": incomplete checkpoint");
  return std::optional<ArchiveCheckpoint>(std::move(c));
}

absl::Status SaveArchiveCheckpoint(const std::string& dir, const ArchiveCheckpoint& c, bool sync) {
  const std::string path = dir + "/" + kCheckpointName;
  const std::string tmp = path + ".tmp";
  std::string text =
      fmt::format("sequence\t{}\nsource\t{}\nfile\t{}\nline\t{}\noffset\t{}\n", c.sequence,
                  c.source, c.position.source, c.position.line, c.position.offset);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::InternalError(fmt::format("cannot create {}: {}", tmp, std::strerror(errno)));
  }
  absl::Status st = WriteAll(fd, text, tmp);
  if (st.ok() && sync && ::fdatasync(fd) != 0) {
    st = absl::InternalError(fmt::format("cannot sync {}: {}", tmp, std::strerror(errno)));
  }
  ::close(fd);
  REACH_RETURN_IF_ERROR(st);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(fmt::format("cannot rename {}: {}", tmp, std::strerror(errno)));
  }
  return absl::OkStatus();
}

ArchiveLog::ArchiveLog(std::string dir, std::string source,
                       std::unique_ptr<archive::ArchiveWriter> writer)
    : dir_(std::move(dir)), source_(std::move(source)), writer_(std::move(writer)) {}

ArchiveLog::~ArchiveLog() {
  absl::Status st = Close();
  if (!st.ok()) log::error("archive: {}", st.message());
}

absl::StatusOr<std::unique_ptr<ArchiveLog>> ArchiveLog::Open(const std::string& dir,
                                                             const std::string& source,
                                                             archive::WriterOptions options) {
  REACH_ASSIGN_OR_RETURN(std::unique_ptr<archive::ArchiveWriter> writer,
                         archive::ArchiveWriter::Open(dir, options));
  std::unique_ptr<ArchiveLog> log(new ArchiveLog(dir, source, std::move(writer)));
  log->replay_last_ = log->writer_->last_sequence();
  if (absl::StatusOr<std::optional<ArchiveCheckpoint>> c = LoadArchiveCheckpoint(dir); c.ok()) {
    log->checkpoint_ = std::move(*c);
  } else {
    // A damaged checkpoint is as good as none: every archived record is then matched against
    // the input from its start.
    log::warn("archive: ignoring the checkpoint: {}", c.status().message());
  }
  REACH_ASSIGN_OR_RETURN(std::vector<archive::SegmentEntry> segments, archive::ListSegments(dir));
  log->segments_at_open_ = segments.size();
  const archive::WriterStats ws = log->writer_->stats();
  if (ws.torn_bytes_truncated > 0) {
    log::warn("archive: truncated a torn tail of {} bytes in {}", ws.torn_bytes_truncated, dir);
  }
  log->stats_.torn_bytes_truncated.store(ws.torn_bytes_truncated);
  log->resume_ = source != "-" && log->replay_last_ > 0 &&
                 (!log->checkpoint_ || log->checkpoint_->source == source);
  if (log->resume_) REACH_RETURN_IF_ERROR(log->LoadPending());
  log->PublishStats();
  return log;
}

absl::Status ArchiveLog::LoadPending() {
  const uint64_t after = checkpoint_ ? checkpoint_->sequence : 0;
  if (after > replay_last_) {
    log::warn(
        "archive: unclean restart: the checkpoint names record {} but the archive ends at {} "
        "(records lost to the fsync policy); resuming the source after the checkpoint",
        after, replay_last_);
    return absl::OkStatus();
  }
  if (after == replay_last_) return absl::OkStatus();
  REACH_ASSIGN_OR_RETURN(std::unique_ptr<archive::ArchiveReader> reader,
                         archive::ArchiveReader::Open(dir_, {.start_sequence = after + 1}));
  while (true) {
    REACH_ASSIGN_OR_RETURN(std::optional<archive::ArchiveRecord> rec, reader->Next());
    if (!rec || rec->sequence > replay_last_) break;
    pending_.push_back(Fingerprint(rec->data));
  }
  log::info("archive: {} records were archived after the last checkpoint", pending_.size());
  return absl::OkStatus();
}

std::unique_ptr<LineReader> ArchiveLog::ResumeReader(std::unique_ptr<LineReader> reader) {
  if (!resume_ || !checkpoint_) return reader;
  log::info("archive: resuming {} after {}:{}", source_, checkpoint_->position.source,
            checkpoint_->position.line);
  return std::make_unique<ResumingLineReader>(std::move(reader), checkpoint_->position,
                                              &stats_.resume_skipped_lines);
}

absl::StatusOr<bool> ArchiveLog::Append(const Line& line) {
  if (next_pending_ < pending_.size()) {
    // Records of other inputs (POST /api/ingest) may sit between the source's, so look ahead.
    const uint64_t fp = Fingerprint(line.text);
    for (size_t i = next_pending_; i < pending_.size(); ++i) {
      if (pending_[i] == fp) {
        next_pending_ = i + 1;
        return false;
      }
    }
    log::info("archive: input at {}:{} is past what the archive holds; archiving from here",
              line.position.source, line.position.line);
    pending_.clear();
    next_pending_ = 0;
  }
  REACH_ASSIGN_OR_RETURN(uint64_t sequence, writer_->Append(line.text, SystemClock::Get().Now()));
  (void)sequence;
  return true;
}

absl::Status ArchiveLog::Commit(const SourcePosition& last) {
  const EventTime start = SystemClock::Get().Now();
  absl::Status flushed = writer_->Flush();
  const int64_t took = (SystemClock::Get().Now() - start).micros;
  stats_.commits.fetch_add(1, std::memory_order_relaxed);
  stats_.commit_us_sum.fetch_add(took, std::memory_order_relaxed);
  if (took > stats_.commit_us_max.load(std::memory_order_relaxed)) {
    stats_.commit_us_max.store(took, std::memory_order_relaxed);
  }
  REACH_RETURN_IF_ERROR(flushed);
  PublishStats();
  if (source_ == "-") return absl::OkStatus();  // stdin cannot be resumed
  // Lines posted over HTTP are not the source's: the resume position stays the source's last.
  SourcePosition position = last;
  if (last.source == kPostedSource) {
    if (!checkpoint_) return absl::OkStatus();
    position = checkpoint_->position;
  }
  ArchiveCheckpoint c{writer_->last_sequence(), source_, std::move(position)};
  REACH_RETURN_IF_ERROR(SaveArchiveCheckpoint(dir_, c, /*sync=*/false));
  checkpoint_ = std::move(c);
  return absl::OkStatus();
}

absl::Status ArchiveLog::Close() {
  if (!writer_) return absl::OkStatus();
  absl::Status st = writer_->Close();
  PublishStats();
  writer_.reset();
  return st;
}

void ArchiveLog::PublishStats() {
  const archive::WriterStats ws = writer_->stats();
  stats_.records.store(writer_->last_sequence(), std::memory_order_relaxed);
  stats_.bytes.store(ws.file_bytes_written, std::memory_order_relaxed);
  stats_.segments.store(segments_at_open_ + ws.segments_created, std::memory_order_relaxed);
  stats_.fsyncs.store(ws.file_syncs + ws.dir_syncs, std::memory_order_relaxed);
}

}  // namespace reach::ingest
