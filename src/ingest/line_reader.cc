#include "ingest/line_reader.h"

#include <bzlib.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

#include "common/status.h"
#include "ingest/archive_line_reader.h"

namespace reach::ingest {
namespace {

absl::Status ErrnoStatus(int err, std::string_view what, const std::string& path) {
  std::string msg = std::string(what) + " " + path + ": " + std::strerror(err);
  if (err == ENOENT || err == ENOTDIR) return absl::NotFoundError(msg);
  if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(msg);
  return absl::UnavailableError(msg);
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A stream of (decompressed) bytes.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes into dst; 0 at the end of the stream.
  virtual absl::StatusOr<size_t> Read(char* dst, size_t n) = 0;
  // Bytes consumed from the underlying file (compressed bytes for compressed files).
  [[nodiscard]] virtual uint64_t consumed() const = 0;
  // Waits at most timeout_ms for Read not to block; false when the time ran out. Sources that
  // cannot tell (compressed streams) answer false at once.
  virtual bool WaitReadable(int timeout_ms) {
    (void)timeout_ms;
    return false;
  }
};

// read(2) with EINTR retry.
absl::StatusOr<size_t> ReadFd(int fd, char* dst, size_t n, const std::string& name) {
  while (true) {
    ssize_t got = ::read(fd, dst, n);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno == EINTR) continue;
    return ErrnoStatus(errno, "cannot read", name);
  }
}

class FdSource final : public ByteSource {
 public:
  FdSource(int fd, bool owned, std::string name) : fd_(fd), owned_(owned), name_(std::move(name)) {}
  ~FdSource() override {
    if (owned_) ::close(fd_);
  }
  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    REACH_ASSIGN_OR_RETURN(size_t got, ReadFd(fd_, dst, n, name_));
    consumed_ += got;
    return got;
  }
  [[nodiscard]] uint64_t consumed() const override { return consumed_; }
  bool WaitReadable(int timeout_ms) override {
    pollfd p{fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, timeout_ms);
    return ready != 0;  // readable, hung up, or an error that Read will report
  }

 private:
  int fd_;
  bool owned_;
  std::string name_;
  uint64_t consumed_ = 0;
};

class GzipSource final : public ByteSource {
 public:
  GzipSource(gzFile file, std::string name) : file_(file), name_(std::move(name)) {}
  ~GzipSource() override { gzclose(file_); }
  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    unsigned want = static_cast<unsigned>(std::min<size_t>(n, 1u << 30));
    int got = gzread(file_, dst, want);
    int err = Z_OK;
    const char* msg = gzerror(file_, &err);
    if (got < 0 || (err != Z_OK && err != Z_STREAM_END)) {
      if (got > 0) return static_cast<size_t>(got);  // report the error on the next call
      if (err == Z_ERRNO) return ErrnoStatus(errno, "cannot read", name_);
      return absl::DataLossError("corrupt gzip stream in " + name_ + ": " + (msg ? msg : "?"));
    }
    offset_ = static_cast<uint64_t>(std::max<z_off_t>(gzoffset(file_), 0));
    return static_cast<size_t>(got);
  }
  [[nodiscard]] uint64_t consumed() const override { return offset_; }

 private:
  gzFile file_;
  std::string name_;
  uint64_t offset_ = 0;
};

class ZstdSource final : public ByteSource {
 public:
  ZstdSource(std::unique_ptr<ByteSource> upstream, std::string name)
      : upstream_(std::move(upstream)),
        name_(std::move(name)),
        stream_(ZSTD_createDStream()),
        in_(ZSTD_DStreamInSize()) {}
  ~ZstdSource() override { ZSTD_freeDStream(stream_); }
  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    if (stream_ == nullptr) return absl::ResourceExhaustedError("cannot create zstd stream");
    ZSTD_outBuffer out{dst, n, 0};
    while (out.pos == 0) {
      if (in_pos_ == in_size_) {
        REACH_ASSIGN_OR_RETURN(size_t got, upstream_->Read(in_.data(), in_.size()));
        if (got == 0) {
          if (!frame_complete_) {
            return absl::DataLossError("truncated zstd stream in " + name_);
          }
          return 0;
        }
        in_size_ = got;
        in_pos_ = 0;
      }
      ZSTD_inBuffer in{in_.data(), in_size_, in_pos_};
      size_t ret = ZSTD_decompressStream(stream_, &out, &in);
      in_pos_ = in.pos;
      if (ZSTD_isError(ret)) {
        return absl::DataLossError("corrupt zstd stream in " + name_ + ": " +
                                   ZSTD_getErrorName(ret));
      }
      frame_complete_ = ret == 0;
    }
    return out.pos;
  }
  [[nodiscard]] uint64_t consumed() const override { return upstream_->consumed(); }

 private:
  std::unique_ptr<ByteSource> upstream_;
  std::string name_;
  ZSTD_DStream* stream_;
  std::vector<char> in_;
  size_t in_size_ = 0;
  size_t in_pos_ = 0;
  bool frame_complete_ = true;  // an empty file is a valid, empty stream
};

// gzip (or zlib) over another ByteSource, for members of tar archives; concatenated gzip members
// are read as one stream, as gzip(1) does. Files use GzipSource (zlib's own buffered reader).
class InflateSource final : public ByteSource {
 public:
  InflateSource(std::unique_ptr<ByteSource> upstream, std::string name)
      : upstream_(std::move(upstream)), name_(std::move(name)), in_(1 << 16) {
    ok_ = inflateInit2(&z_, 15 + 32) == Z_OK;
  }
  ~InflateSource() override {
    if (ok_) inflateEnd(&z_);
  }
  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    if (!ok_) return absl::ResourceExhaustedError("cannot create zlib stream");
    z_.next_out = reinterpret_cast<Bytef*>(dst);
    z_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    const uInt want = z_.avail_out;
    while (z_.avail_out == want) {
      if (z_.avail_in == 0) {
        REACH_ASSIGN_OR_RETURN(size_t got, upstream_->Read(in_.data(), in_.size()));
        if (got == 0) {
          if (!stream_end_) return absl::DataLossError("truncated gzip stream in " + name_);
          return 0;
        }
        z_.next_in = reinterpret_cast<Bytef*>(in_.data());
        z_.avail_in = static_cast<uInt>(got);
        if (stream_end_) {  // another gzip member follows
          inflateReset(&z_);
          stream_end_ = false;
        }
      }
      int ret = inflate(&z_, Z_NO_FLUSH);
      if (ret == Z_STREAM_END) {
        stream_end_ = true;
        if (z_.avail_in > 0) {  // another gzip member follows in the buffer
          inflateReset(&z_);
          stream_end_ = false;
        } else if (z_.avail_out < want) {
          break;
        }
      } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
        return absl::DataLossError("corrupt gzip stream in " + name_ + ": " +
                                   (z_.msg != nullptr ? z_.msg : "?"));
      }
    }
    return want - z_.avail_out;
  }
  [[nodiscard]] uint64_t consumed() const override { return upstream_->consumed(); }

 private:
  std::unique_ptr<ByteSource> upstream_;
  std::string name_;
  std::vector<char> in_;
  z_stream z_{};
  bool ok_ = false;
  bool stream_end_ = false;
};

// bzip2 over another ByteSource (libbz2); concatenated streams (pbzip2, lbzip2) are read as one.
class Bzip2Source final : public ByteSource {
 public:
  Bzip2Source(std::unique_ptr<ByteSource> upstream, std::string name)
      : upstream_(std::move(upstream)), name_(std::move(name)), in_(1 << 16) {
    ok_ = BZ2_bzDecompressInit(&bz_, 0, 0) == BZ_OK;
  }
  ~Bzip2Source() override {
    if (ok_) BZ2_bzDecompressEnd(&bz_);
  }
  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    if (!ok_) return absl::ResourceExhaustedError("cannot create bzip2 stream");
    bz_.next_out = dst;
    bz_.avail_out = static_cast<unsigned>(std::min<size_t>(n, 1u << 30));
    const unsigned want = bz_.avail_out;
    while (bz_.avail_out == want) {
      if (bz_.avail_in == 0) {
        REACH_ASSIGN_OR_RETURN(size_t got, upstream_->Read(in_.data(), in_.size()));
        if (got == 0) {
          if (!stream_end_) return absl::DataLossError("truncated bzip2 stream in " + name_);
          return 0;
        }
        bz_.next_in = in_.data();
        bz_.avail_in = static_cast<unsigned>(got);
      }
      if (stream_end_) {  // another stream follows
        BZ2_bzDecompressEnd(&bz_);
        char* next_in = bz_.next_in;
        unsigned avail_in = bz_.avail_in;
        bz_ = bz_stream{};
        if (BZ2_bzDecompressInit(&bz_, 0, 0) != BZ_OK) {
          ok_ = false;
          return absl::ResourceExhaustedError("cannot create bzip2 stream");
        }
        bz_.next_in = next_in;
        bz_.avail_in = avail_in;
        bz_.next_out = dst;
        bz_.avail_out = want;
        stream_end_ = false;
      }
      int ret = BZ2_bzDecompress(&bz_);
      if (ret == BZ_STREAM_END) {
        stream_end_ = true;  // the next read starts another stream, if there is one
        if (bz_.avail_out < want) break;
      } else if (ret != BZ_OK) {
        return absl::DataLossError("corrupt bzip2 stream in " + name_ + " (libbz2 error " +
                                   std::to_string(ret) + ")");
      }
    }
    return want - bz_.avail_out;
  }
  [[nodiscard]] uint64_t consumed() const override { return upstream_->consumed(); }

 private:
  std::unique_ptr<ByteSource> upstream_;
  std::string name_;
  std::vector<char> in_;
  bz_stream bz_{};
  bool ok_ = false;
  bool stream_end_ = false;
};

// A growing file (tail -f): at the end of the data it waits and reads again, until `stop` is set;
// then it reports the end. A file that shrinks (truncated or replaced by rotation) is read again
// from its start.
class FollowSource final : public ByteSource {
 public:
  FollowSource(int fd, std::string name, const std::atomic<bool>* stop, Duration poll)
      : fd_(fd), name_(std::move(name)), stop_(stop), poll_(poll) {}
  ~FollowSource() override { ::close(fd_); }
  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    while (true) {
      REACH_ASSIGN_OR_RETURN(size_t got, ReadFd(fd_, dst, n, name_));
      if (got > 0) {
        consumed_ += got;
        position_ += got;
        return got;
      }
      if (stop_ == nullptr || stop_->load(std::memory_order_relaxed)) return 0;
      struct stat st {};
      if (::stat(name_.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_size) < position_) {
        // Truncated or rotated: start over with what the path names now.
        int fd = ::open(name_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
          ::close(fd_);
          fd_ = fd;
          position_ = 0;
          continue;
        }
      }
      std::this_thread::sleep_for(std::chrono::microseconds(poll_.micros));
    }
  }
  [[nodiscard]] uint64_t consumed() const override { return consumed_; }

 private:
  int fd_;
  std::string name_;
  const std::atomic<bool>* stop_;
  Duration poll_;
  uint64_t consumed_ = 0;
  uint64_t position_ = 0;
};

// Exactly `size` bytes of the upstream (one member of a tar archive).
class BoundedSource final : public ByteSource {
 public:
  BoundedSource(ByteSource* upstream, uint64_t size) : upstream_(upstream), left_(size) {}
  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    if (left_ == 0) return 0;
    REACH_ASSIGN_OR_RETURN(size_t got, upstream_->Read(dst, std::min<uint64_t>(n, left_)));
    if (got == 0) return absl::DataLossError("tar member ends early");
    left_ -= got;
    return got;
  }
  [[nodiscard]] uint64_t consumed() const override { return upstream_->consumed(); }
  [[nodiscard]] uint64_t left() const { return left_; }

 private:
  ByteSource* upstream_;
  uint64_t left_;
};

// Adapts a non-owned ByteSource to a unique_ptr (for a decompressor over a BoundedSource).
class BorrowedSource final : public ByteSource {
 public:
  explicit BorrowedSource(ByteSource* source) : source_(source) {}
  absl::StatusOr<size_t> Read(char* dst, size_t n) override { return source_->Read(dst, n); }
  [[nodiscard]] uint64_t consumed() const override { return source_->consumed(); }

 private:
  ByteSource* source_;
};

// The decompressor a name's extension asks for, over `raw`: .gz, .bz2, .zst/.zstd, else none.
std::unique_ptr<ByteSource> Decompressed(std::unique_ptr<ByteSource> raw, const std::string& name) {
  if (EndsWith(name, ".gz") || EndsWith(name, ".tgz")) {
    return std::make_unique<InflateSource>(std::move(raw), name);
  }
  if (EndsWith(name, ".bz2") || EndsWith(name, ".tbz2")) {
    return std::make_unique<Bzip2Source>(std::move(raw), name);
  }
  if (EndsWith(name, ".zst") || EndsWith(name, ".zstd")) {
    return std::make_unique<ZstdSource>(std::move(raw), name);
  }
  return raw;
}

bool IsTarName(const std::string& path) {
  for (std::string_view ext :
       {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.zst", ".tar.zstd"}) {
    if (EndsWith(path, ext)) return true;
  }
  return false;
}

// Opens one file (by extension: .gz, .zst, else plain).
absl::StatusOr<std::unique_ptr<ByteSource>> OpenFileSource(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "cannot open", path);
  if (EndsWith(path, ".gz")) {
    gzFile gz = gzdopen(fd, "rb");
    if (gz == nullptr) {
      ::close(fd);
      return absl::ResourceExhaustedError("cannot open gzip stream " + path);
    }
    gzbuffer(gz, 1 << 18);
    return std::unique_ptr<ByteSource>(new GzipSource(gz, path));
  }
  return Decompressed(std::make_unique<FdSource>(fd, /*owned=*/true, path), path);
}

// Splits one byte source into lines.
class SourceLineReader {
 public:
  SourceLineReader(std::unique_ptr<ByteSource> source, std::string name,
                   const LineReaderOptions& options)
      : source_(std::move(source)),
        name_(std::move(name)),
        max_line_(std::max<uint64_t>(options.max_line_bytes, 1)),
        chunk_(std::max<uint64_t>(options.read_chunk_bytes, 16)) {
    buf_.resize(chunk_);
  }

  absl::StatusOr<bool> Next(Line* line) {
    while (true) {
      if (begin_ == end_ && eof_) return false;
      const char* start = buf_.data() + begin_;
      const void* nl = std::memchr(start, '\n', end_ - begin_);
      if (nl != nullptr) {
        size_t len = static_cast<const char*>(nl) - start;
        uint64_t offset = base_ + begin_;
        begin_ += len + 1;
        ++line_no_;
        if (Emit(start, len, len, offset, line)) return true;
        continue;
      }
      if (eof_) {  // a final line without '\n'
        size_t len = end_ - begin_;
        uint64_t offset = base_ + begin_;
        begin_ = end_;
        ++line_no_;
        if (Emit(start, len, len, offset, line)) return true;
        continue;
      }
      if (end_ - begin_ >= max_line_) {
        REACH_RETURN_IF_ERROR(SkipLongLine(line));
        return true;
      }
      REACH_RETURN_IF_ERROR(Fill());
    }
  }

  [[nodiscard]] uint64_t consumed() const { return source_->consumed(); }

  [[nodiscard]] bool HasBufferedLine() const {
    return eof_ || std::memchr(buf_.data() + begin_, '\n', end_ - begin_) != nullptr;
  }

  bool WaitForInput(Duration timeout) {
    if (HasBufferedLine()) return true;
    const int64_t ms = std::max<int64_t>(0, timeout.micros / 1000);
    return source_->WaitReadable(static_cast<int>(std::min<int64_t>(ms, 60'000)));
  }

 private:
  // Fills *line unless the line is empty after stripping '\r'; returns whether it did.
  bool Emit(const char* start, size_t len, uint64_t full_len, uint64_t offset, Line* line) {
    if (len > 0 && start[len - 1] == '\r') {
      --len;
      --full_len;
    }
    if (len == 0) return false;
    line->too_long = full_len > max_line_;
    line->text = std::string_view(start, std::min<uint64_t>(len, max_line_));
    line->length = full_len;
    line->position.source = name_;
    line->position.line = line_no_;
    line->position.offset = offset;
    return true;
  }

  // Moves the unread bytes to the front of the buffer.
  void Compact() {
    if (begin_ == 0) return;
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    base_ += begin_;
    end_ -= begin_;
    begin_ = 0;
  }

  // Reads one more chunk after the unread bytes, growing the buffer when a line needs it.
  absl::Status Fill() {
    Compact();
    if (buf_.size() - end_ < chunk_) {
      // end_ < max_line_ here, so the buffer never exceeds max_line_ + chunk_.
      buf_.resize(
          std::min<size_t>(std::max<size_t>(buf_.size() * 2, end_ + chunk_), max_line_ + chunk_));
    }
    REACH_ASSIGN_OR_RETURN(size_t got, source_->Read(buf_.data() + end_, chunk_));
    if (got == 0) eof_ = true;
    end_ += got;
    return absl::OkStatus();
  }

  // The unread bytes hold at least max_line_ bytes without a newline: keep the first max_line_
  // bytes as the line's text and drop the rest of the line as it is read.
  absl::Status SkipLongLine(Line* line) {
    Compact();
    uint64_t offset = base_;
    uint64_t full_len = end_;
    size_t keep = max_line_;
    ++line_no_;
    if (buf_.size() < keep + chunk_) buf_.resize(keep + chunk_);
    while (true) {
      REACH_ASSIGN_OR_RETURN(size_t got, source_->Read(buf_.data() + keep, chunk_));
      if (got == 0) {
        eof_ = true;
        begin_ = end_ = keep;
        break;
      }
      const char* data = buf_.data() + keep;
      const void* nl = std::memchr(data, '\n', got);
      if (nl != nullptr) {
        size_t part = static_cast<const char*>(nl) - data;
        full_len += part;
        begin_ = keep + part + 1;
        end_ = keep + got;
        break;
      }
      full_len += got;
    }
    // base_ + begin_ is the offset of the first byte after the line (and its newline).
    base_ = offset + full_len + (eof_ ? 0 : 1) - begin_;
    line->too_long = true;
    line->text = std::string_view(buf_.data(), keep);
    line->length = full_len;
    line->position.source = name_;
    line->position.line = line_no_;
    line->position.offset = offset;
    return absl::OkStatus();
  }

  std::unique_ptr<ByteSource> source_;
  std::string name_;
  uint64_t max_line_;
  uint64_t chunk_;
  std::vector<char> buf_;
  size_t begin_ = 0;   // first unread byte
  size_t end_ = 0;     // end of the bytes read
  uint64_t base_ = 0;  // offset in the source of buf_[0]
  uint64_t line_no_ = 0;
  bool eof_ = false;
};

class FileLineReader final : public LineReader {
 public:
  FileLineReader(std::unique_ptr<ByteSource> source, std::string name, uint64_t total,
                 const LineReaderOptions& options)
      : reader_(std::move(source), std::move(name), options), total_(total) {}
  absl::StatusOr<bool> Next(Line* line) override { return reader_.Next(line); }
  [[nodiscard]] bool HasBufferedLine() const override { return reader_.HasBufferedLine(); }
  bool WaitForInput(Duration timeout) override { return reader_.WaitForInput(timeout); }
  [[nodiscard]] uint64_t bytes_read() const override { return reader_.consumed(); }
  [[nodiscard]] uint64_t bytes_total() const override { return total_; }

 private:
  SourceLineReader reader_;
  uint64_t total_;
};

// The lines of every regular file in a tar archive (plain, or .gz/.bz2/.zst as a whole), each
// member decompressed by its own extension; positions name "ARCHIVE:MEMBER". Understands ustar
// prefixes, GNU long names ('L') and pax path records ('x'); other entries are skipped.
class TarLineReader final : public LineReader {
 public:
  TarLineReader(std::unique_ptr<ByteSource> outer, std::string path, uint64_t total,
                const LineReaderOptions& options)
      : outer_(std::move(outer)), path_(std::move(path)), total_(total), options_(options) {}

  absl::StatusOr<bool> Next(Line* line) override {
    while (true) {
      if (current_ != nullptr) {
        REACH_ASSIGN_OR_RETURN(bool got, current_->Next(line));
        if (got) return true;
        REACH_RETURN_IF_ERROR(FinishMember());
      }
      if (done_) return false;
      REACH_RETURN_IF_ERROR(NextMember());
    }
  }
  [[nodiscard]] bool HasBufferedLine() const override {
    return current_ == nullptr || current_->HasBufferedLine();
  }
  [[nodiscard]] uint64_t bytes_read() const override { return outer_->consumed(); }
  [[nodiscard]] uint64_t bytes_total() const override { return total_; }

 private:
  // Reads exactly n bytes; false at a clean end before the first byte.
  absl::StatusOr<bool> ReadExactly(char* dst, size_t n) {
    size_t have = 0;
    while (have < n) {
      REACH_ASSIGN_OR_RETURN(size_t got, outer_->Read(dst + have, n - have));
      if (got == 0) {
        if (have == 0) return false;
        return absl::DataLossError("truncated tar archive " + path_);
      }
      have += got;
    }
    return true;
  }

  absl::Status Skip(uint64_t n) {
    char buf[8192];
    while (n > 0) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(n, sizeof buf));
      REACH_ASSIGN_OR_RETURN(bool got, ReadExactly(buf, want));
      if (!got) return absl::DataLossError("truncated tar archive " + path_);
      n -= want;
    }
    return absl::OkStatus();
  }

  static uint64_t Padding(uint64_t size) { return (512 - size % 512) % 512; }

  // A numeric header field: octal text, or base-256 when the high bit of the first byte is set.
  static std::optional<uint64_t> Number(const char* field, size_t len) {
    if (static_cast<unsigned char>(field[0]) & 0x80) {
      uint64_t v = 0;
      for (size_t i = 1; i < len; ++i) v = (v << 8) | static_cast<unsigned char>(field[i]);
      return v;
    }
    uint64_t v = 0;
    size_t i = 0;
    while (i < len && field[i] == ' ') ++i;
    bool any = false;
    for (; i < len && field[i] >= '0' && field[i] <= '7'; ++i) {
      v = v * 8 + static_cast<uint64_t>(field[i] - '0');
      any = true;
    }
    if (i < len && field[i] != ' ' && field[i] != '\0') return std::nullopt;
    if (!any) return 0;
    return v;
  }

  static std::string Field(const char* field, size_t len) {
    return std::string(field, strnlen(field, len));
  }

  absl::Status NextMember() {
    std::string long_name;
    while (true) {
      char h[512];
      REACH_ASSIGN_OR_RETURN(bool got, ReadExactly(h, sizeof h));
      if (!got || std::all_of(h, h + 512, [](char c) { return c == 0; })) {
        done_ = true;  // a zero block ends the archive; what follows is padding, read to the end
        char rest[8192];
        while (got) {
          REACH_ASSIGN_OR_RETURN(size_t n, outer_->Read(rest, sizeof rest));
          got = n > 0;
        }
        return absl::OkStatus();
      }
      uint64_t sum = 0;
      for (int i = 0; i < 512; ++i) {
        sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
      }
      std::optional<uint64_t> stored_sum = Number(h + 148, 8);
      std::optional<uint64_t> size = Number(h + 124, 12);
      if (!stored_sum || *stored_sum != sum || !size) {
        return absl::DataLossError("bad tar header in " + path_ + " at byte " +
                                   std::to_string(outer_->consumed()));
      }
      const char type = h[156];
      if (type == 'L' || type == 'x') {  // the next entry's name, GNU or pax style
        if (*size > (1u << 20)) return absl::DataLossError("oversized tar name in " + path_);
        std::string data(*size, '\0');
        if (*size > 0) {
          REACH_ASSIGN_OR_RETURN(bool ok, ReadExactly(data.data(), data.size()));
          if (!ok) return absl::DataLossError("truncated tar archive " + path_);
        }
        REACH_RETURN_IF_ERROR(Skip(Padding(*size)));
        if (type == 'L') {
          long_name = data.c_str();
        } else {
          // pax records: "LEN key=value\n"
          for (size_t pos = 0; pos < data.size();) {
            size_t space = data.find(' ', pos);
            if (space == std::string::npos) break;
            size_t len = std::strtoull(data.c_str() + pos, nullptr, 10);
            if (len == 0 || pos + len > data.size()) break;
            std::string_view rec(data.data() + space + 1, pos + len - space - 2);
            if (rec.starts_with("path=")) long_name = std::string(rec.substr(5));
            pos += len;
          }
        }
        continue;
      }
      std::string name = long_name;
      if (name.empty()) {
        name = Field(h, 100);
        std::string prefix = Field(h + 345, 155);
        if (std::string_view(h + 257, 5) == "ustar" && !prefix.empty()) name = prefix + "/" + name;
      }
      if (type != '0' && type != '\0' && type != '7') {  // not a regular file
        REACH_RETURN_IF_ERROR(Skip(*size + Padding(*size)));
        long_name.clear();
        continue;
      }
      member_ = std::make_unique<BoundedSource>(outer_.get(), *size);
      padding_ = Padding(*size);
      current_ = std::make_unique<SourceLineReader>(
          Decompressed(std::make_unique<BorrowedSource>(member_.get()), name), path_ + ":" + name,
          options_);
      return absl::OkStatus();
    }
  }

  absl::Status FinishMember() {
    current_.reset();
    REACH_RETURN_IF_ERROR(Skip(member_->left() + padding_));
    member_.reset();
    return absl::OkStatus();
  }

  std::unique_ptr<ByteSource> outer_;
  std::string path_;
  uint64_t total_;
  LineReaderOptions options_;
  std::unique_ptr<BoundedSource> member_;
  uint64_t padding_ = 0;
  std::unique_ptr<SourceLineReader> current_;
  bool done_ = false;
};

// One file: a tar archive (by extension), else a file of lines (compressed or not).
absl::StatusOr<std::unique_ptr<LineReader>> OpenFile(const std::string& path, uint64_t total,
                                                     const LineReaderOptions& options) {
  if (IsTarName(path)) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus(errno, "cannot open", path);
    // The archive's own compression: .tar.gz, .tgz, .tar.bz2, .tar.zst.
    auto outer = Decompressed(std::make_unique<FdSource>(fd, /*owned=*/true, path), path);
    return std::unique_ptr<LineReader>(new TarLineReader(std::move(outer), path, total, options));
  }
  REACH_ASSIGN_OR_RETURN(auto source, OpenFileSource(path));
  return std::unique_ptr<LineReader>(new FileLineReader(std::move(source), path, total, options));
}

struct DirEntry {
  std::string path;
  uint64_t size = 0;
};

class DirectoryLineReader final : public LineReader {
 public:
  DirectoryLineReader(std::vector<DirEntry> files, const LineReaderOptions& options)
      : files_(std::move(files)), options_(options) {
    for (const auto& f : files_) total_ += f.size;
  }

  absl::StatusOr<bool> Next(Line* line) override {
    while (true) {
      if (current_ == nullptr) {
        if (next_file_ >= files_.size()) return false;
        const DirEntry& file = files_[next_file_++];
        REACH_ASSIGN_OR_RETURN(current_, OpenFile(file.path, file.size, options_));
      }
      REACH_ASSIGN_OR_RETURN(bool got, current_->Next(line));
      if (got) return true;
      done_bytes_ += current_->bytes_read();
      current_.reset();
    }
  }
  [[nodiscard]] bool HasBufferedLine() const override {
    return current_ == nullptr || current_->HasBufferedLine();
  }
  [[nodiscard]] uint64_t bytes_read() const override {
    return done_bytes_ + (current_ ? current_->bytes_read() : 0);
  }
  [[nodiscard]] uint64_t bytes_total() const override { return total_; }

 private:
  std::vector<DirEntry> files_;
  LineReaderOptions options_;
  size_t next_file_ = 0;
  std::unique_ptr<LineReader> current_;
  uint64_t done_bytes_ = 0;
  uint64_t total_ = 0;
};

absl::StatusOr<std::unique_ptr<LineReader>> OpenDirectory(const std::string& path,
                                                          const LineReaderOptions& options) {
  std::error_code ec;
  std::vector<DirEntry> files;
  std::filesystem::directory_iterator it(path, ec);
  if (ec) return ErrnoStatus(ec.value(), "cannot list", path);
  for (const auto& entry : it) {
    std::error_code entry_ec;
    if (!entry.is_regular_file(entry_ec)) continue;
    uint64_t size = entry.file_size(entry_ec);
    files.push_back(DirEntry{entry.path().string(), entry_ec ? 0 : size});
  }
  std::sort(files.begin(), files.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.path < b.path; });
  return std::unique_ptr<LineReader>(new DirectoryLineReader(std::move(files), options));
}

}  // namespace

absl::StatusOr<std::unique_ptr<LineReader>> OpenLineReader(const std::string& path,
                                                           LineReaderOptions options) {
  if (path == "-") {
    auto source = std::make_unique<FdSource>(STDIN_FILENO, /*owned=*/false, "stdin");
    return std::unique_ptr<LineReader>(
        new FileLineReader(std::move(source), "stdin", /*total=*/0, options));
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(errno, "cannot open", path);
  uint64_t total = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
  if (options.follow) {
    if (!S_ISREG(st.st_mode) || IsTarName(path) || EndsWith(path, ".gz") ||
        EndsWith(path, ".bz2") || EndsWith(path, ".zst") || EndsWith(path, ".zstd")) {
      return absl::InvalidArgumentError("--follow needs a plain, uncompressed file: " + path);
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus(errno, "cannot open", path);
    auto source = std::make_unique<FollowSource>(fd, path, options.stop, options.follow_poll);
    return std::unique_ptr<LineReader>(
        new FileLineReader(std::move(source), path, /*total=*/0, options));
  }
  if (S_ISDIR(st.st_mode)) {
    if (IsArchiveDirectory(path)) return OpenArchiveLineReader(path, 0, 0, options);
    return OpenDirectory(path, options);
  }
  return OpenFile(path, total, options);
}

}  // namespace reach::ingest
