#include "archive/segment_writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "archive/segment_compressor.h"
#include "archive/segment_format.h"
#include "archive/segment_scanner.h"
#include "common/log.h"
#include "common/status.h"

namespace reach::archive {
namespace {

namespace fs = std::filesystem;

absl::Status Errno(std::string_view what, const std::string& path) {
  const int err = errno;
  std::string message = fmt::format("{} {}: {}", what, path, std::strerror(err));
  if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(message);
  if (err == ENOSPC) return absl::ResourceExhaustedError(message);
  return absl::InternalError(message);
}

std::string PathOf(const std::string& dir, uint64_t first_sequence, bool compressed) {
  return (fs::path(dir) / SegmentFileName(first_sequence, compressed)).string();
}

}  // namespace

absl::StatusOr<FsyncPolicy> ParseFsyncPolicy(std::string_view name) {
  if (name == "never") return FsyncPolicy::kNever;
  if (name == "rotate") return FsyncPolicy::kOnRotate;
  if (name == "batch") return FsyncPolicy::kEveryBatch;
  return absl::InvalidArgumentError(
      fmt::format("unknown fsync policy \"{}\" (expected never, rotate or batch)", name));
}

std::string_view FsyncPolicyName(FsyncPolicy policy) {
  switch (policy) {
    case FsyncPolicy::kNever:
      return "never";
    case FsyncPolicy::kOnRotate:
      return "rotate";
    case FsyncPolicy::kEveryBatch:
      return "batch";
  }
  return "?";
}

ArchiveWriter::ArchiveWriter(std::string dir, WriterOptions options)
    : dir_(std::move(dir)),
      options_(options),
      clock_(options.clock != nullptr ? *options.clock : SystemClock::Get()),
      compressor_(std::make_unique<SegmentCompressor>(dir_, options.zstd_level,
                                                      options.fsync != FsyncPolicy::kNever,
                                                      options.compress_in_background)) {}

absl::StatusOr<std::unique_ptr<ArchiveWriter>> ArchiveWriter::Open(std::string dir,
                                                                   WriterOptions options) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return absl::PermissionDeniedError(
        fmt::format("cannot create archive directory {}: {}", dir, ec.message()));
  }
  std::unique_ptr<ArchiveWriter> writer(new ArchiveWriter(std::move(dir), options));
  REACH_RETURN_IF_ERROR(writer->Recover());
  return writer;
}

ArchiveWriter::~ArchiveWriter() {
  if (absl::Status st = Close(); !st.ok()) {
    log::error("archive: closing {} failed: {}", dir_, st.message());
  }
}

absl::Status ArchiveWriter::Recover() {
  std::vector<std::string> temp_files;
  REACH_ASSIGN_OR_RETURN(std::vector<SegmentEntry> segments, ListSegments(dir_, &temp_files));
  for (const std::string& tmp : temp_files) {
    log::info("archive: removing unfinished compression {}", tmp);
    if (::unlink(tmp.c_str()) != 0) return Errno("cannot remove", tmp);
  }
  for (SegmentEntry& e : segments) {
    if (e.has_plain && e.has_compressed) {
      // The .zst was renamed into place complete; the crash came before the plain file's removal.
      const std::string plain = PathOf(dir_, e.first_sequence, false);
      log::info("archive: removing {}, already compressed", plain);
      if (::unlink(plain.c_str()) != 0) return Errno("cannot remove", plain);
      e.has_plain = false;
    }
  }
  if (segments.empty()) return absl::OkStatus();

  const SegmentEntry last = segments.back();
  if (options_.compress_on_rotation) {
    for (size_t i = 0; i + 1 < segments.size(); ++i) {
      if (segments[i].has_plain) (void)compressor_->Enqueue(segments[i].first_sequence);
    }
  }

  const std::string path = PathOf(dir_, last.first_sequence, !last.has_plain);
  if (last.has_plain && last.plain_bytes < kSegmentHeaderBytes) {
    // Created, but the header never reached the disk: no record can be in it.
    log::warn("archive: removing {} with a torn segment header ({} bytes dropped)", path,
              last.plain_bytes);
    if (::unlink(path.c_str()) != 0) return Errno("cannot remove", path);
    stats_.torn_bytes_truncated += last.plain_bytes;
    next_sequence_ = last.first_sequence;
    return absl::OkStatus();
  }

  REACH_ASSIGN_OR_RETURN(std::unique_ptr<SegmentScanner> scanner,
                         SegmentScanner::Open(path, !last.has_plain));
  if (scanner->header().first_sequence != last.first_sequence) {
    return absl::DataLossError(fmt::format("segment {} says it starts at sequence {}", path,
                                           scanner->header().first_sequence));
  }
  uint64_t records = 0;
  SegmentScanner::Result result;
  while (true) {
    REACH_ASSIGN_OR_RETURN(result, scanner->Next());
    if (result.step != SegmentScanner::Step::kRecord) break;
    ++records;
  }
  stats_.recovered_records = records;
  next_sequence_ = scanner->expected_sequence();

  if (!last.has_plain) {
    // The newest segment is closed and compressed: no tail to repair; the next Append opens one.
    if (result.step == SegmentScanner::Step::kCorrupt) {
      return absl::DataLossError(fmt::format("compressed segment {} is corrupt at offset {}: {}",
                                             path, result.offset, result.what));
    }
    return absl::OkStatus();
  }

  const uint64_t good_bytes = result.offset;
  if (result.step == SegmentScanner::Step::kCorrupt) {
    const uint64_t dropped = last.plain_bytes - good_bytes;
    log::warn(
        "archive: torn tail in {} at offset {} ({}): truncating {} bytes; {} records kept, next "
        "sequence {}",
        path, good_bytes, result.what, dropped, records, next_sequence_);
    if (::truncate(path.c_str(), static_cast<off_t>(good_bytes)) != 0) {
      return Errno("cannot truncate", path);
    }
    stats_.torn_bytes_truncated += dropped;
  }
  const EventTime created = scanner->header().created;
  scanner.reset();

  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) return Errno("cannot open segment", path);
  if (result.step == SegmentScanner::Step::kCorrupt && options_.fsync != FsyncPolicy::kNever) {
    REACH_RETURN_IF_ERROR(SyncFile());
  }
  segment_first_sequence_ = last.first_sequence;
  segment_created_ = created;
  segment_bytes_ = good_bytes;
  segment_records_ = records;
  return absl::OkStatus();
}

absl::Status ArchiveWriter::Fail(absl::Status status) {
  log::error("archive: {} is unusable until reopened: {}", dir_, status.message());
  sticky_error_ = status;
  return status;
}

bool ArchiveWriter::SegmentTooOld() const {
  return clock_.Now() - segment_created_ >= options_.max_segment_age;
}

absl::Status ArchiveWriter::OpenSegment() {
  const std::string path = PathOf(dir_, next_sequence_, false);
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) return Fail(Errno("cannot create segment", path));
  ++stats_.segments_created;
  if (options_.fsync == FsyncPolicy::kEveryBatch) {
    // The file's name must survive a power failure for the fdatasyncs of its data to matter.
    if (absl::Status st = SyncDirectory(dir_); !st.ok()) return Fail(st);
    ++stats_.dir_syncs;
  }
  segment_first_sequence_ = next_sequence_;
  segment_created_ = clock_.Now();
  segment_records_ = 0;
  buffer_ += EncodeSegmentHeader(SegmentHeader{next_sequence_, segment_created_});
  segment_bytes_ = kSegmentHeaderBytes;
  return absl::OkStatus();
}

absl::Status ArchiveWriter::WriteBuffer() {
  const char* p = buffer_.data();
  size_t n = buffer_.size();
  while (n > 0) {
    ssize_t w = ::write(fd_, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Fail(Errno("cannot write segment in", dir_));
    }
    p += w;
    n -= static_cast<size_t>(w);
    stats_.file_bytes_written += static_cast<uint64_t>(w);
    unsynced_ = true;
  }
  buffer_.clear();
  return absl::OkStatus();
}

absl::Status ArchiveWriter::SyncFile() {
  if (::fdatasync(fd_) != 0) return Fail(Errno("cannot fdatasync segment in", dir_));
  ++stats_.file_syncs;
  unsynced_ = false;
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> ArchiveWriter::Append(std::string_view record, EventTime arrival) {
  if (closed_) return absl::FailedPreconditionError("archive writer is closed");
  REACH_RETURN_IF_ERROR(sticky_error_);
  if (record.size() > kMaxRecordBytes) {
    return absl::InvalidArgumentError(fmt::format(
        "archive record of {} bytes exceeds the limit of {}", record.size(), kMaxRecordBytes));
  }
  const uint64_t framed = kRecordHeaderBytes + record.size();
  if (fd_ >= 0 && segment_records_ > 0 &&
      (segment_bytes_ + framed > options_.max_segment_bytes || SegmentTooOld())) {
    REACH_RETURN_IF_ERROR(Rotate());
  }
  if (fd_ < 0) REACH_RETURN_IF_ERROR(OpenSegment());
  const uint64_t sequence = next_sequence_;
  AppendRecord(&buffer_, sequence, arrival, record);
  segment_bytes_ += framed;
  ++segment_records_;
  ++next_sequence_;
  ++stats_.records_appended;
  stats_.payload_bytes += record.size();
  if (buffer_.size() >= options_.buffer_bytes) REACH_RETURN_IF_ERROR(WriteBuffer());
  return sequence;
}

absl::Status ArchiveWriter::Flush() {
  if (closed_) return absl::FailedPreconditionError("archive writer is closed");
  REACH_RETURN_IF_ERROR(sticky_error_);
  ++stats_.flushes;
  if (fd_ < 0) return absl::OkStatus();
  REACH_RETURN_IF_ERROR(WriteBuffer());
  if (options_.fsync == FsyncPolicy::kEveryBatch && unsynced_) REACH_RETURN_IF_ERROR(SyncFile());
  if (segment_records_ > 0 && SegmentTooOld()) REACH_RETURN_IF_ERROR(Rotate());
  return absl::OkStatus();
}

absl::Status ArchiveWriter::Rotate() {
  if (closed_) return absl::FailedPreconditionError("archive writer is closed");
  REACH_RETURN_IF_ERROR(sticky_error_);
  if (fd_ < 0) return absl::OkStatus();
  REACH_RETURN_IF_ERROR(WriteBuffer());
  if (options_.fsync != FsyncPolicy::kNever && unsynced_) REACH_RETURN_IF_ERROR(SyncFile());
  if (options_.fsync == FsyncPolicy::kOnRotate) {
    if (absl::Status st = SyncDirectory(dir_); !st.ok()) return Fail(st);
    ++stats_.dir_syncs;
  }
  ::close(fd_);
  fd_ = -1;
  ++stats_.segments_rotated;
  const uint64_t first = segment_first_sequence_;
  segment_records_ = 0;
  segment_bytes_ = 0;
  if (options_.compress_on_rotation) {
    // A failed compression loses nothing (the plain segment stays readable): it is logged and
    // reported by WaitForCompression, not made sticky.
    (void)compressor_->Enqueue(first);
  }
  return absl::OkStatus();
}

absl::Status ArchiveWriter::Close() {
  if (closed_) return absl::OkStatus();
  closed_ = true;
  absl::Status status = sticky_error_;
  if (status.ok() && fd_ >= 0) {
    status = WriteBuffer();
    if (status.ok() && options_.fsync != FsyncPolicy::kNever && unsynced_) status = SyncFile();
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  absl::Status compression = compressor_->Wait();
  return status.ok() ? compression : status;
}

absl::Status ArchiveWriter::WaitForCompression() { return compressor_->Wait(); }

WriterStats ArchiveWriter::stats() const {
  WriterStats out = stats_;
  const CompressorStats c = compressor_->stats();
  out.segments_compressed = c.segments_compressed;
  out.compressed_bytes_in = c.bytes_in;
  out.compressed_bytes_out = c.bytes_out;
  return out;
}

}  // namespace reach::archive
