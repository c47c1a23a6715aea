// IngestPipeline: the ingest loop. Reads records from a LineReader, decodes each with a Decoder,
// counts everything into IngestStats, sends rejects to the dead-letter file and the log, and hands
// the decoded events to a sink in batches.
//
//   IngestPipeline pipeline(*decoder, stats, &dead_letter, SystemClock::Get());
//   absl::Status st = pipeline.Run(*reader, [&](std::vector<model::Event>& batch) {
//     engine.Apply(batch);  // may move out of batch; it is cleared afterwards
//   }, stop);
//
// Rejected records are logged in full for the first `log_first_rejects`, then as a periodic summary
// (at most one line per `log_summary_interval` of the injected clock) and once at the end of Run.
// Lines longer than the reader's limit are rejected as kTooLarge.
//
// Threading: Run is called from one thread (it uses the decoder, which is single-threaded); `stop`
// may be set from any thread, Run notices it before the next record and returns after flushing the
// batch in hand. IngestStats may be read concurrently. The pipeline does not own the decoder,
// stats, dead-letter writer or clock; they must outlive it.
//
// Errors: Run returns the reader's error (NotFound, DataLoss, ...) after flushing the events
// decoded before it; a failed dead-letter write is logged once and does not stop ingest. With a
// record log (set_record_log), a failed Append or Commit stops Run with that error, and events
// whose records were not committed are not handed on.
#ifndef REACH_INGEST_PIPELINE_H_
#define REACH_INGEST_PIPELINE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "common/clock.h"
#include "ingest/dead_letter.h"
#include "ingest/decoder.h"
#include "ingest/ingest_stats.h"
#include "ingest/line_reader.h"
#include "ingest/record_log.h"
#include "model/event.h"

namespace reach::ingest {

struct PipelineOptions {
  size_t batch_size = 256;          // events per sink call (the last may be smaller)
  uint64_t log_first_rejects = 20;  // rejects logged one by one
  Duration log_summary_interval = Duration::Seconds(10);  // between summaries of later rejects
  // Group commit (with a record log): when the source has no line ready, the pipeline waits up to
  // this long after the previous commit for more input (LineReader::WaitForInput) before it
  // commits and hands the batch on. A steady live stream then pays one log commit (an fsync under
  // the `batch` policy) per interval instead of one per few lines; a lone event after a quiet
  // spell is committed at once. Zero: commit whenever the source has nothing ready.
  Duration commit_interval = Duration::Millis(20);
};

class IngestPipeline {
 public:
  using Sink = std::function<void(std::vector<model::Event>& batch)>;

  // `dead_letter` may be null (no dead-letter file).
  IngestPipeline(Decoder& decoder, IngestStats& stats, DeadLetterWriter* dead_letter,
                 const Clock& clock, PipelineOptions options = {});

  // Every accepted record is appended to `log` before its events reach the sink, and the log is
  // committed before each sink call (ingest/record_log.h). Null (the default): no log. Not owned.
  void set_record_log(RecordLog* log) { record_log_ = log; }

  absl::Status Run(LineReader& reader, const Sink& sink, const std::atomic<bool>& stop);

 private:
  void Reject(const Line& line, RejectReason reason, std::string_view detail);
  void LogSummary(bool final);

  Decoder& decoder_;
  IngestStats& stats_;
  DeadLetterWriter* dead_letter_;
  RecordLog* record_log_ = nullptr;
  const Clock& clock_;
  PipelineOptions options_;
  uint64_t rejects_seen_ = 0;      // in this pipeline's lifetime
  uint64_t rejects_unlogged_ = 0;  // since the last summary
  EventTime last_summary_{};
  bool dead_letter_failed_ = false;
};

}  // namespace reach::ingest

#endif  // REACH_INGEST_PIPELINE_H_
