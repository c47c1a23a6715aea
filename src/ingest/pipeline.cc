#include "ingest/pipeline.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "common/log.h"

namespace reach::ingest {

IngestPipeline::IngestPipeline(Decoder& decoder, IngestStats& stats, DeadLetterWriter* dead_letter,
                               const Clock& clock, PipelineOptions options)
    : decoder_(decoder),
      stats_(stats),
      dead_letter_(dead_letter),
      clock_(clock),
      options_(options) {
  options_.batch_size = std::max<size_t>(options_.batch_size, 1);
}

void IngestPipeline::Reject(const Line& line, RejectReason reason, std::string_view detail) {
  stats_.CountRejected(reason);
  ++rejects_seen_;
  if (rejects_seen_ <= options_.log_first_rejects) {
    log::warn("ingest: rejected {}:{} (offset {}): {}: {}", line.position.source,
              line.position.line, line.position.offset, RejectReasonName(reason), detail);
    if (rejects_seen_ == options_.log_first_rejects) {
      log::warn("ingest: further rejects are summarised every {:.0f} s",
                options_.log_summary_interval.seconds());
    }
    last_summary_ = clock_.Now();
  } else {
    ++rejects_unlogged_;
    if (clock_.Now() - last_summary_ >= options_.log_summary_interval) LogSummary(false);
  }
  if (dead_letter_ != nullptr && !dead_letter_failed_) {
    absl::Status st = dead_letter_->Write(line.position, reason, detail, line.text, line.length);
    if (!st.ok()) {
      dead_letter_failed_ = true;
      log::error("ingest: dead-letter file disabled: {}", st.ToString());
    }
  }
}

void IngestPipeline::LogSummary(bool final) {
  last_summary_ = clock_.Now();
  if (rejects_unlogged_ == 0) return;
  std::string by_reason;
  for (int r = 0; r < kRejectReasonCount; ++r) {
    uint64_t n = stats_.rejected[r].load(std::memory_order_relaxed);
    if (n == 0) continue;
    if (!by_reason.empty()) by_reason += ", ";
    by_reason +=
        std::string(RejectReasonName(static_cast<RejectReason>(r))) + " " + std::to_string(n);
  }
  log::warn("ingest: {} more rejects{} (total by reason: {})", rejects_unlogged_,
            final ? " at end of input" : "", by_reason);
  rejects_unlogged_ = 0;
}

absl::Status IngestPipeline::Run(LineReader& reader, const Sink& sink,
                                 const std::atomic<bool>& stop) {
  std::vector<model::Event> batch;
  batch.reserve(options_.batch_size + 16);
  Line line;
  bool uncommitted = false;        // records appended to the log since its last Commit
  bool read_since_commit = false;  // lines read (accepted or not) since the last Commit
  // Hands the batch on, after making its records durable: no event counts before its record is
  // in the log.
  bool log_failed = false;
  using SteadyClock = std::chrono::steady_clock;
  SteadyClock::time_point last_commit = SteadyClock::now();
  const auto commit_interval = std::chrono::microseconds(options_.commit_interval.micros);
  auto flush = [&](bool final = false) -> absl::Status {
    if (record_log_ != nullptr && (uncommitted || (final && read_since_commit))) {
      absl::Status st = record_log_->Commit(line.position);
      if (!st.ok()) {
        log_failed = true;
        return st;
      }
      uncommitted = false;
      read_since_commit = false;
      last_commit = SteadyClock::now();
    }
    if (batch.empty()) return absl::OkStatus();
    sink(batch);
    batch.clear();
    return absl::OkStatus();
  };
  absl::Status status;
  stats_.source_bytes_total.store(reader.bytes_total(), std::memory_order_relaxed);
  while (!stop.load(std::memory_order_relaxed)) {
    // Before a read that may wait on a live source, hand on what was decoded so far: an event
    // must not sit in a half-full batch while the stream is quiet. With a record log, a stream
    // that keeps coming is first given the rest of the commit interval (group commit).
    if ((!batch.empty() || uncommitted) && !reader.HasBufferedLine()) {
      const auto waited = SteadyClock::now() - last_commit;
      const bool more_soon =
          record_log_ != nullptr && waited < commit_interval &&
          reader.WaitForInput(Duration::Micros(
              std::chrono::duration_cast<std::chrono::microseconds>(commit_interval - waited)
                  .count()));
      if (!more_soon) {
        status = flush();
        if (!status.ok()) break;
      }
    }
    absl::StatusOr<bool> got = reader.Next(&line);
    stats_.source_bytes_read.store(reader.bytes_read(), std::memory_order_relaxed);
    if (!got.ok()) {
      status = got.status();
      break;
    }
    if (!*got) break;
    read_since_commit = true;
    stats_.records.fetch_add(1, std::memory_order_relaxed);
    stats_.bytes.fetch_add(line.length, std::memory_order_relaxed);
    stats_.last_arrival_us.store(clock_.Now().micros, std::memory_order_relaxed);
    if (line.too_long) {
      Reject(line, RejectReason::kTooLarge,
             "line of " + std::to_string(line.length) + " bytes exceeds the limit of " +
                 std::to_string(line.text.size()));
      continue;
    }
    size_t before = batch.size();
    DecodeResult result = decoder_.Decode(line.text, &batch);
    if (!result.accepted) {
      Reject(line, result.reason, result.detail);
      continue;
    }
    if (record_log_ != nullptr) {
      absl::StatusOr<bool> fresh = record_log_->Append(line);
      if (!fresh.ok()) {
        batch.resize(before);
        log_failed = true;
        status = fresh.status();
        break;
      }
      uncommitted = true;
      if (!*fresh) {  // archived and applied before a restart: its events are in already
        batch.resize(before);
        stats_.already_logged.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
    }
    stats_.accepted.fetch_add(1, std::memory_order_relaxed);
    if (!result.control.empty()) {
      stats_.CountControl(result.control);
      if (result.control == "limit") stats_.CountLimit(result.undelivered);
      if (result.control == "disconnect" || result.control == "warning") {
        log::warn("ingest: stream {} notice at {}:{}: {}", result.control, line.position.source,
                  line.position.line, result.detail);
      }
    }
    size_t produced = batch.size() - before;
    if (produced > 0) {
      stats_.events.fetch_add(produced, std::memory_order_relaxed);
      int64_t newest = stats_.last_event_time_us.load(std::memory_order_relaxed);
      for (size_t i = before; i < batch.size(); ++i) {
        newest = std::max(newest, model::TimeOf(batch[i]).micros);
      }
      stats_.last_event_time_us.store(newest, std::memory_order_relaxed);
    }
    if (batch.size() >= options_.batch_size) {
      status = flush();
      if (!status.ok()) break;
    }
  }
  // The events decoded before a read error still count; after a failure of the log itself,
  // nothing uncommitted is handed on.
  if (!log_failed) {
    absl::Status st = flush(/*final=*/true);
    if (status.ok()) status = st;
  }
  LogSummary(true);
  if (dead_letter_ != nullptr) {
    absl::Status st = dead_letter_->Flush();
    if (!st.ok()) log::error("ingest: {}", st.ToString());
  }
  return status;
}

}  // namespace reach::ingest
