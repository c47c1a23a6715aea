#include "archive/segment_compressor.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>

#include "archive/segment_format.h"
#include "common/log.h"
#include "common/status.h"

namespace reach::archive {
namespace {

absl::Status Errno(std::string_view what, const std::string& path) {
  return absl::InternalError(fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

// Closes a descriptor on scope exit.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

absl::Status WriteAll(int fd, const char* data, size_t n, const std::string& path) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot write", path);
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open directory", dir);
  FdCloser closer{fd};
  if (::fsync(fd) != 0) return Errno("cannot fsync directory", dir);
  return absl::OkStatus();
}

absl::Status CompressSegmentFile(const std::string& dir, const std::string& plain_path,
                                 const std::string& zst_path, int level, bool sync,
                                 CompressorStats* stats) {
  const int in = ::open(plain_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return Errno("cannot open segment", plain_path);
  FdCloser in_closer{in};
  const std::string tmp_path = zst_path + ".tmp";
  const int out = ::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) return Errno("cannot create", tmp_path);
  FdCloser out_closer{out};

  std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> cctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
  if (cctx == nullptr) return absl::ResourceExhaustedError("cannot create a zstd context");
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);

  std::string in_buf(ZSTD_CStreamInSize(), '\0');
  std::string out_buf(ZSTD_CStreamOutSize(), '\0');
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  auto fail = [&](absl::Status status) {
    std::remove(tmp_path.c_str());
    return status;
  };
  while (true) {
    ssize_t r = ::read(in, in_buf.data(), in_buf.size());
    if (r < 0) {
      if (errno == EINTR) continue;
      return fail(Errno("cannot read", plain_path));
    }
    bytes_in += static_cast<uint64_t>(r);
    const bool last = (r == 0);
    const ZSTD_EndDirective mode = last ? ZSTD_e_end : ZSTD_e_continue;
    ZSTD_inBuffer input{in_buf.data(), static_cast<size_t>(r), 0};
    bool finished = false;
    while (!finished) {
      ZSTD_outBuffer output{out_buf.data(), out_buf.size(), 0};
      const size_t remaining = ZSTD_compressStream2(cctx.get(), &output, &input, mode);
      if (ZSTD_isError(remaining)) {
        return fail(absl::InternalError(
            fmt::format("zstd compression of {}: {}", plain_path, ZSTD_getErrorName(remaining))));
      }
      if (absl::Status st = WriteAll(out, out_buf.data(), output.pos, tmp_path); !st.ok()) {
        return fail(st);
      }
      bytes_out += output.pos;
      finished = last ? (remaining == 0) : (input.pos == input.size);
    }
    if (last) break;
  }
  if (sync) {
    if (::fsync(out) != 0) return fail(Errno("cannot fsync", tmp_path));
    ++stats->file_syncs;
  }
  if (::rename(tmp_path.c_str(), zst_path.c_str()) != 0) {
    return fail(Errno("cannot rename to", zst_path));
  }
  if (sync) {
    if (absl::Status st = SyncDirectory(dir); !st.ok()) return st;
    ++stats->dir_syncs;
  }
  // The .zst is complete (and durable under a syncing policy) before the plain file goes.
  if (::unlink(plain_path.c_str()) != 0) return Errno("cannot remove", plain_path);
  ++stats->segments_compressed;
  stats->bytes_in += bytes_in;
  stats->bytes_out += bytes_out;
  return absl::OkStatus();
}

SegmentCompressor::SegmentCompressor(std::string dir, int level, bool sync, bool background)
    : dir_(std::move(dir)), level_(level), sync_(sync), background_(background) {
  if (background_) thread_ = std::thread([this] { Run(); });
}

SegmentCompressor::~SegmentCompressor() {
  if (!background_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

absl::Status SegmentCompressor::Compress(uint64_t first_sequence) {
  const std::filesystem::path dir(dir_);
  const std::string plain = (dir / SegmentFileName(first_sequence, false)).string();
  const std::string zst = (dir / SegmentFileName(first_sequence, true)).string();
  CompressorStats delta;
  absl::Status status = CompressSegmentFile(dir_, plain, zst, level_, sync_, &delta);
  std::lock_guard<std::mutex> lock(mu_);
  stats_.segments_compressed += delta.segments_compressed;
  stats_.bytes_in += delta.bytes_in;
  stats_.bytes_out += delta.bytes_out;
  stats_.file_syncs += delta.file_syncs;
  stats_.dir_syncs += delta.dir_syncs;
  if (!status.ok()) {
    log::error("archive: compressing segment {} failed (the plain file stays): {}", plain,
               status.message());
    if (first_error_.ok()) first_error_ = status;
  }
  return status;
}

absl::Status SegmentCompressor::Enqueue(uint64_t first_sequence) {
  if (!background_) return Compress(first_sequence);
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(first_sequence);
  }
  cv_.notify_all();
  return absl::OkStatus();
}

absl::Status SegmentCompressor::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return queue_.empty() && !busy_; });
  return first_error_;
}

CompressorStats SegmentCompressor::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void SegmentCompressor::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stop_ and nothing left to do
    const uint64_t first_sequence = queue_.front();
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    (void)Compress(first_sequence);  // logged and kept in first_error_
    lock.lock();
    busy_ = false;
    cv_.notify_all();
  }
}

}  // namespace reach::archive
