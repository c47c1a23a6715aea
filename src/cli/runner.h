// Runner: wires one Reach process together — source, decoder, engine, store, HTTP — and runs it
// until the source ends (batch mode) or until asked to stop.
//
// Threads (docs/architecture.md):
//   ingest  reads and decodes records, pushes event batches into a bounded queue;
//   engine  the single writer: applies batches, publishes snapshots, cuts store batches;
//   store   writes store batches in order, retrying with back-off until they are written;
//   http    Boost.Asio threads answering from the published snapshot.
// With an archive (Config::archive), the ingest thread first replays the archived records into the
// engine, then reads the source after the archive's checkpoint, appending each accepted record to
// the archive before its events are queued (docs/archive.md).
// Shutdown (stop flag, SIGINT/SIGTERM in main): ingest stops reading, the engine applies what is
// queued, publishes and hands a final batch to the store, the store writes everything, then HTTP
// stops. Every record accepted before the signal ends up in the store.
#ifndef REACH_CLI_RUNNER_H_
#define REACH_CLI_RUNNER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "cli/config.h"
#include "common/status.h"
#include "engine/snapshot.h"
#include "ingest/ingest_stats.h"

namespace reach::engine {
class Engine;
}

namespace reach::cli {

struct RunSummary {
  uint64_t records = 0;
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  uint64_t events = 0;
  engine::EngineStats engine;
  double seconds = 0;
  std::string rejected_by_reason;  // "malformed_json=2 wrong_type=1"
  uint64_t replayed = 0;           // archived records replayed at start
  uint64_t already_archived = 0;   // source records skipped as already archived
};

class Runner {
 public:
  explicit Runner(Config config);
  ~Runner();

  // Runs until the source ends (config.serve == false) or until *stop becomes true. Returns the
  // first fatal error: a source that cannot be opened, a port in use, a store that cannot be
  // opened.
  absl::Status Run(const std::atomic<bool>& stop);
  [[nodiscard]] RunSummary summary() const;
  // For a progress line, from any thread: the ingest counters (records, events, source bytes).
  [[nodiscard]] const ingest::IngestStats& ingest_stats() const;
  // The bound HTTP port (after the server started), 0 when not serving.
  [[nodiscard]] uint16_t port() const;
  // Batch mode: runs `f` on the engine thread once the source is exhausted and the final state is
  // published (e.g. `reach plan` builds its plan input there). Call before Run.
  void OnFinished(std::function<void(const engine::Engine&)> f);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace reach::cli

#endif  // REACH_CLI_RUNNER_H_
