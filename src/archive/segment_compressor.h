// SegmentCompressor: replaces closed plain segments (NNN.seg) by their zstd form (NNN.seg.zst),
// on the caller's thread or on one background thread it owns.
//
// Crash safety: the compressed bytes go to NNN.seg.zst.tmp, which is (optionally) fsynced and then
// renamed to NNN.seg.zst; only then is NNN.seg removed. So at any moment either the plain file or
// a complete .zst (or both) exists; ArchiveWriter::Open removes leftover .tmp files and plain files
// that already have a .zst.
//
// Thread safety: Enqueue, Wait and the counters may be called from any thread; the destructor
// finishes the queued work. A failed compression is logged, leaves the plain segment in place (it
// stays readable) and is reported by Wait(). Cost: zstd level 3 runs at a few hundred MB/s, so a
// 5 MiB segment takes about 20 ms.
#ifndef REACH_ARCHIVE_SEGMENT_COMPRESSOR_H_
#define REACH_ARCHIVE_SEGMENT_COMPRESSOR_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"

namespace reach::archive {

struct CompressorStats {
  uint64_t segments_compressed = 0;
  uint64_t bytes_in = 0;   // plain bytes
  uint64_t bytes_out = 0;  // compressed bytes
  uint64_t file_syncs = 0;
  uint64_t dir_syncs = 0;
};

class SegmentCompressor {
 public:
  // `sync`: fsync the compressed file before the rename and the directory after it.
  SegmentCompressor(std::string dir, int level, bool sync, bool background);
  ~SegmentCompressor();
  SegmentCompressor(const SegmentCompressor&) = delete;
  SegmentCompressor& operator=(const SegmentCompressor&) = delete;

  // Compresses the segment named by its first sequence number: now when not in background mode
  // (returning the result), otherwise queued (returning OK).
  absl::Status Enqueue(uint64_t first_sequence);
  // Waits until the queue is empty; returns the first compression error seen, if any.
  absl::Status Wait();
  [[nodiscard]] CompressorStats stats() const;

 private:
  absl::Status Compress(uint64_t first_sequence);
  void Run();

  const std::string dir_;
  const int level_;
  const bool sync_;
  const bool background_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<uint64_t> queue_;
  bool busy_ = false;
  bool stop_ = false;
  absl::Status first_error_;
  CompressorStats stats_;
  std::thread thread_;
};

// Compresses the plain segment file `plain_path` into `zst_path` (via a .tmp file and rename) and
// removes the plain file. Adds to `stats`. Exposed for tests.
absl::Status CompressSegmentFile(const std::string& dir, const std::string& plain_path,
                                 const std::string& zst_path, int level, bool sync,
                                 CompressorStats* stats);

// fsync of a directory, so that names created or renamed in it survive a power failure.
absl::Status SyncDirectory(const std::string& dir);

}  // namespace reach::archive

#endif  // REACH_ARCHIVE_SEGMENT_COMPRESSOR_H_
