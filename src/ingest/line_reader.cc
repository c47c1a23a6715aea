#include "ingest/line_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/status.h"

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
  ZstdSource(int fd, std::string name)
      : fd_(fd), name_(std::move(name)), stream_(ZSTD_createDStream()), in_(ZSTD_DStreamInSize()) {}
  ~ZstdSource() override {
    ZSTD_freeDStream(stream_);
    ::close(fd_);
  }
  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    if (stream_ == nullptr) return absl::ResourceExhaustedError("cannot create zstd stream");
    ZSTD_outBuffer out{dst, n, 0};
    while (out.pos == 0) {
      if (in_pos_ == in_size_) {
        REACH_ASSIGN_OR_RETURN(size_t got, ReadFd(fd_, in_.data(), in_.size(), name_));
        consumed_ += got;
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
  [[nodiscard]] uint64_t consumed() const override { return consumed_; }

 private:
  int fd_;
  std::string name_;
  ZSTD_DStream* stream_;
  std::vector<char> in_;
  size_t in_size_ = 0;
  size_t in_pos_ = 0;
  bool frame_complete_ = true;  // an empty file is a valid, empty stream
  uint64_t consumed_ = 0;
};

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
  if (EndsWith(path, ".zst") || EndsWith(path, ".zstd")) {
    return std::unique_ptr<ByteSource>(new ZstdSource(fd, path));
  }
  return std::unique_ptr<ByteSource>(new FdSource(fd, /*owned=*/true, path));
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
  [[nodiscard]] uint64_t bytes_read() const override { return reader_.consumed(); }
  [[nodiscard]] uint64_t bytes_total() const override { return total_; }

 private:
  SourceLineReader reader_;
  uint64_t total_;
};

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
        const std::string& path = files_[next_file_++].path;
        REACH_ASSIGN_OR_RETURN(auto source, OpenFileSource(path));
        current_ = std::make_unique<SourceLineReader>(std::move(source), path, options_);
      }
      REACH_ASSIGN_OR_RETURN(bool got, current_->Next(line));
      if (got) return true;
      done_bytes_ += current_->consumed();
      current_.reset();
    }
  }
  [[nodiscard]] uint64_t bytes_read() const override {
    return done_bytes_ + (current_ ? current_->consumed() : 0);
  }
  [[nodiscard]] uint64_t bytes_total() const override { return total_; }

 private:
  std::vector<DirEntry> files_;
  LineReaderOptions options_;
  size_t next_file_ = 0;
  std::unique_ptr<SourceLineReader> current_;
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
  if (S_ISDIR(st.st_mode)) return OpenDirectory(path, options);
  REACH_ASSIGN_OR_RETURN(auto source, OpenFileSource(path));
  uint64_t total = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
  return std::unique_ptr<LineReader>(new FileLineReader(std::move(source), path, total, options));
}

}  // namespace reach::ingest
