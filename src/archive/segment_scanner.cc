#include "archive/segment_scanner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "common/status.h"

namespace reach::archive {

// Where a scanner's bytes come from: a plain file or a zstd stream over one.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes into out; 0 at the end of the data.
  virtual absl::StatusOr<size_t> Read(char* out, size_t n) = 0;
  [[nodiscard]] uint64_t file_bytes_read() const { return file_bytes_read_; }

 protected:
  uint64_t file_bytes_read_ = 0;
};

namespace {

constexpr size_t kChunkBytes = 256 << 10;

absl::Status ErrnoStatus(int err, std::string_view what, const std::string& path) {
  std::string message = fmt::format("{} {}: {}", what, path, std::strerror(err));
  if (err == ENOENT) return absl::NotFoundError(message);
  if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(message);
  return absl::InternalError(message);
}

absl::StatusOr<size_t> ReadSome(int fd, char* out, size_t n, const std::string& path) {
  while (true) {
    ssize_t r = ::read(fd, out, n);
    if (r >= 0) return static_cast<size_t>(r);
    if (errno != EINTR) return ErrnoStatus(errno, "cannot read", path);
  }
}

class PlainSource final : public ByteSource {
 public:
  PlainSource(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PlainSource() override { ::close(fd_); }
  absl::StatusOr<size_t> Read(char* out, size_t n) override {
    absl::StatusOr<size_t> r = ReadSome(fd_, out, n, path_);
    if (r.ok()) file_bytes_read_ += *r;
    return r;
  }

 private:
  int fd_;
  std::string path_;
};

class ZstdSource final : public ByteSource {
 public:
  ZstdSource(int fd, std::string path)
      : fd_(fd), path_(std::move(path)), dctx_(ZSTD_createDCtx()), in_(kChunkBytes, '\0') {}
  ~ZstdSource() override {
    ZSTD_freeDCtx(dctx_);
    ::close(fd_);
  }

  absl::StatusOr<size_t> Read(char* out, size_t n) override {
    if (dctx_ == nullptr) return absl::ResourceExhaustedError("cannot create a zstd context");
    while (true) {
      if (in_pos_ == in_size_ && !file_eof_) {
        absl::StatusOr<size_t> r = ReadSome(fd_, in_.data(), in_.size(), path_);
        if (!r.ok()) return r.status();
        in_pos_ = 0;
        in_size_ = *r;
        file_bytes_read_ += *r;
        file_eof_ = (*r == 0);
      }
      ZSTD_inBuffer input{in_.data(), in_size_, in_pos_};
      ZSTD_outBuffer output{out, n, 0};
      const size_t ret = ZSTD_decompressStream(dctx_, &output, &input);
      if (ZSTD_isError(ret)) {
        return absl::DataLossError(
            fmt::format("corrupt zstd stream in {}: {}", path_, ZSTD_getErrorName(ret)));
      }
      // A call without progress (empty input at the end) says nothing about the last frame.
      if (input.pos != in_pos_ || output.pos > 0) last_ret_ = ret;
      in_pos_ = input.pos;
      if (output.pos > 0) return output.pos;
      if (file_eof_ && in_pos_ == in_size_) {
        if (last_ret_ != 0) {
          return absl::DataLossError(fmt::format("truncated zstd stream in {}", path_));
        }
        return 0;
      }
    }
  }

 private:
  int fd_;
  std::string path_;
  ZSTD_DCtx* dctx_;
  std::string in_;
  size_t in_pos_ = 0;
  size_t in_size_ = 0;
  bool file_eof_ = false;
  size_t last_ret_ = 1;  // nonzero: a frame is unfinished (an empty file is not a valid frame)
};

}  // namespace

SegmentScanner::SegmentScanner(std::string path, std::unique_ptr<ByteSource> source)
    : path_(std::move(path)), source_(std::move(source)) {}

SegmentScanner::~SegmentScanner() = default;

absl::StatusOr<std::unique_ptr<SegmentScanner>> SegmentScanner::Open(const std::string& path,
                                                                     bool compressed) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "cannot open segment", path);
  std::unique_ptr<ByteSource> source;
  if (compressed) {
    source = std::make_unique<ZstdSource>(fd, path);
  } else {
    source = std::make_unique<PlainSource>(fd, path);
  }
  std::unique_ptr<SegmentScanner> scanner(new SegmentScanner(path, std::move(source)));
  absl::StatusOr<size_t> avail = scanner->Fill(kSegmentHeaderBytes);
  if (!avail.ok()) return avail.status();
  if (*avail < kSegmentHeaderBytes) {
    return absl::DataLossError(fmt::format("short segment header in {} ({} bytes)", path, *avail));
  }
  absl::StatusOr<SegmentHeader> header = DecodeSegmentHeader(
      std::string_view(scanner->buf_.data() + scanner->pos_, kSegmentHeaderBytes));
  if (!header.ok()) {
    return absl::DataLossError(fmt::format("{}: {}", path, header.status().message()));
  }
  scanner->header_ = *header;
  scanner->pos_ += kSegmentHeaderBytes;
  scanner->expected_sequence_ = header->first_sequence;
  return scanner;
}

uint64_t SegmentScanner::file_bytes_read() const { return source_->file_bytes_read(); }

absl::StatusOr<size_t> SegmentScanner::Fill(size_t n) {
  if (end_ - pos_ >= n) return end_ - pos_;
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    base_offset_ += pos_;
    end_ -= pos_;
    pos_ = 0;
  }
  while (end_ < n && !eof_) {
    // Grow only as data arrives, so a corrupt length cannot make the buffer huge by itself.
    if (end_ == buf_.size()) buf_.resize(std::max(buf_.size() * 2, kChunkBytes));
    absl::StatusOr<size_t> r = source_->Read(buf_.data() + end_, buf_.size() - end_);
    if (!r.ok()) return r.status();
    if (*r == 0) eof_ = true;
    end_ += *r;
  }
  return end_ - pos_;
}

absl::StatusOr<bool> SegmentScanner::ValidRecordAt(uint64_t min_sequence, Result* result,
                                                   std::string* what) {
  absl::StatusOr<size_t> avail = Fill(kRecordHeaderBytes);
  if (!avail.ok()) return avail.status();
  if (*avail < kRecordHeaderBytes) {
    *what = fmt::format("truncated record header ({} bytes before the end)", *avail);
    return false;
  }
  const RecordHeader h = DecodeRecordHeader(buf_.data() + pos_);
  if (h.length > kMaxRecordBytes) {
    *what = fmt::format("record length {} exceeds the limit", h.length);
    return false;
  }
  const size_t framed = kRecordHeaderBytes + h.length;
  avail = Fill(framed);
  if (!avail.ok()) return avail.status();
  if (*avail < framed) {
    *what = fmt::format("truncated record ({} bytes of {})", *avail, framed);
    return false;
  }
  const std::string_view payload(buf_.data() + pos_ + kRecordHeaderBytes, h.length);
  if (!RecordChecksumMatches(buf_.data() + pos_, payload)) {
    *what = "checksum mismatch";
    return false;
  }
  // A resync accepts any later sequence (records were lost); Next requires the expected one.
  constexpr uint64_t kMaxJump = uint64_t{1} << 32;
  if (h.sequence < min_sequence || h.sequence - min_sequence >= kMaxJump ||
      (!corrupt_ && h.sequence != expected_sequence_)) {
    *what = fmt::format("sequence {} where {} was expected", h.sequence, expected_sequence_);
    return false;
  }
  result->step = Step::kRecord;
  result->sequence = h.sequence;
  result->arrival = h.arrival;
  result->data = payload;
  result->offset = offset();
  return true;
}

absl::StatusOr<SegmentScanner::Result> SegmentScanner::Next() {
  if (corrupt_) return corrupt_result_;
  absl::StatusOr<size_t> avail = Fill(1);
  if (!avail.ok()) return avail.status();
  Result result;
  if (*avail == 0) {
    result.step = Step::kEnd;
    result.offset = offset();
    return result;
  }
  std::string what;
  absl::StatusOr<bool> valid = ValidRecordAt(expected_sequence_, &result, &what);
  if (!valid.ok()) return valid.status();
  if (!*valid) {
    corrupt_ = true;
    corrupt_result_ = Result{};
    corrupt_result_.step = Step::kCorrupt;
    corrupt_result_.offset = offset();
    corrupt_result_.what = std::move(what);
    return corrupt_result_;
  }
  pos_ += kRecordHeaderBytes + result.data.size();
  ++expected_sequence_;
  return result;
}

absl::StatusOr<bool> SegmentScanner::Resync(uint64_t min_sequence) {
  if (!corrupt_) return true;
  while (true) {
    ++pos_;
    ++bytes_skipped_;
    absl::StatusOr<size_t> avail = Fill(1);
    if (!avail.ok()) return avail.status();
    if (*avail == 0) {
      corrupt_ = false;  // at the end: Next reports kEnd
      return false;
    }
    Result candidate;
    std::string what;
    absl::StatusOr<bool> valid = ValidRecordAt(min_sequence, &candidate, &what);
    if (!valid.ok()) return valid.status();
    if (*valid) {
      corrupt_ = false;
      expected_sequence_ = candidate.sequence;
      return true;
    }
  }
}

}  // namespace reach::archive
