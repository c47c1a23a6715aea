// PostedLines: NDJSON bodies posted to `POST /api/ingest`, queued for the ingest thread, and
// MergedLineReader, which feeds them to the one IngestPipeline together with the configured source,
// so posted records take the same path as any other input: decoded, counted, archived before they
// count (ingest/archive_log.h), enriched and applied by the engine.
//
//   PostedLines posted(8 << 20);
//   MergedLineReader reader(std::move(source_reader), posted, stats, stop);
//   pipeline.Run(reader, sink, stop);                       // ingest thread
//   auto done = posted.Post(body);                          // HTTP thread
//   PostResult r = done->get();                             // after the body's records committed
//
// Each body is taken whole between two source lines (or while the source waits at its end) and its
// lines are numbered within the body; their position source is kPostedSource ("http"). The result
// of a body is the difference of the pipeline's counters across its lines, which is exact because
// the one ingest thread processes nothing else meanwhile. MergedLineReader reports no buffered line
// at the end of each body, so the pipeline commits (archives) and hands on the body's events before
// the result is announced.
//
// Limits: a live source that blocks in a read (stdin, --follow at the end of its file) delays
// posted bodies until it yields its next line; once the source has ended (the usual case with HTTP
// ingest: no source, or a finite one), bodies are taken as they arrive until `stop`.
//
// Thread safety: Post, Close and pending_bytes from any thread; the reader on the ingest thread.
#ifndef REACH_INGEST_POSTED_LINES_H_
#define REACH_INGEST_POSTED_LINES_H_

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "ingest/ingest_stats.h"
#include "ingest/line_reader.h"

namespace reach::ingest {

struct PostResult {
  uint64_t records = 0;  // non-empty lines of the body
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  std::array<uint64_t, kRejectReasonCount> rejected_by_reason{};
  uint64_t already_archived = 0;  // accepted before (a restart re-reading input); not counted again
  absl::Status status;            // not OK when the body could not be processed (shutdown)
};

class PostedLines {
 public:
  // At most `max_pending_bytes` of bodies wait at once.
  explicit PostedLines(size_t max_pending_bytes);
  ~PostedLines();

  // Queues a body. ResourceExhausted when too much is waiting (the client should retry later),
  // Unavailable after Close.
  absl::StatusOr<std::future<PostResult>> Post(std::string body);
  // Refuses further bodies and answers those still waiting with Unavailable.
  void Close();
  [[nodiscard]] size_t pending_bytes() const;

 private:
  friend class MergedLineReader;
  struct Body {
    std::string text;
    std::promise<PostResult> done;
  };
  // The next body, waiting up to `wait` for one; null when none.
  std::unique_ptr<Body> Take(std::chrono::milliseconds wait);

  const size_t max_pending_bytes_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Body>> queue_;
  size_t pending_bytes_ = 0;
  bool closed_ = false;
};

class MergedLineReader final : public LineReader {
 public:
  // `source` may be null (HTTP only). Reads until `stop` once the source has ended.
  MergedLineReader(std::unique_ptr<LineReader> source, PostedLines& posted,
                   const IngestStats& stats, const std::atomic<bool>& stop);
  ~MergedLineReader() override;

  absl::StatusOr<bool> Next(Line* line) override;
  [[nodiscard]] bool HasBufferedLine() const override;
  [[nodiscard]] uint64_t bytes_read() const override;
  [[nodiscard]] uint64_t bytes_total() const override;

 private:
  void StartBody(std::unique_ptr<PostedLines::Body> body);
  void FinishBody();

  std::unique_ptr<LineReader> source_;
  PostedLines& posted_;
  const IngestStats& stats_;
  const std::atomic<bool>& stop_;
  bool source_done_ = false;
  std::unique_ptr<PostedLines::Body> body_;
  size_t pos_ = 0;        // next unread byte of body_
  uint64_t line_no_ = 0;  // within body_
  PostResult before_;     // the counters when body_ started
  uint64_t posted_bytes_ = 0;
};

}  // namespace reach::ingest

#endif  // REACH_INGEST_POSTED_LINES_H_
