// RecordLog: where IngestPipeline writes every accepted raw record before the record's events are
// handed on — the durable archive in a running system (ingest/archive_log.h). The pipeline calls
// Append for each accepted record, in input order, and Commit before each batch of events goes to
// the sink; the sink sees a record's events only after the Commit that made the record durable.
//
// Append may answer that a record is already in the log (a restart re-reading input that was
// archived, and so replayed, before the crash): the pipeline then drops the record's events, so
// nothing is counted twice.
//
// Threading: called from the pipeline's thread only. Errors from either call stop the pipeline
// (Run returns them): input that cannot be archived must not be counted.
#ifndef REACH_INGEST_RECORD_LOG_H_
#define REACH_INGEST_RECORD_LOG_H_

#include "absl/status/statusor.h"
#include "ingest/line_reader.h"

namespace reach::ingest {

class RecordLog {
 public:
  virtual ~RecordLog() = default;
  // Logs one accepted record. Returns true when its events should be used, false when the record
  // was logged (and its events applied) before.
  virtual absl::StatusOr<bool> Append(const Line& line) = 0;
  // Makes every record appended so far durable (per the log's policy). `last` is the position of
  // the last record read, accepted or not: a restart resumes reading after it.
  virtual absl::Status Commit(const SourcePosition& last) = 0;
};

}  // namespace reach::ingest

#endif  // REACH_INGEST_RECORD_LOG_H_
