#include "cli/runner.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "analytics/gazetteer.h"
#include "analytics/terms.h"
#include "analytics/vader.h"
#include "archive/segment_writer.h"
#include "cli/alert_webhook.h"
#include "cli/sim_source.h"
#include "common/bounded_queue.h"
#include "common/clock.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "engine/engine.h"
#include "engine/query_channel.h"
#include "engine/snapshot_read_model.h"
#include "http/server.h"
#include "ingest/archive_line_reader.h"
#include "ingest/archive_log.h"
#include "ingest/dead_letter.h"
#include "ingest/decoder.h"
#include "ingest/enricher.h"
#include "ingest/follow_edges.h"
#include "ingest/line_reader.h"
#include "ingest/live/live_endpoint.h"
#include "ingest/live/live_line_reader.h"
#include "ingest/pipeline.h"
#include "ingest/posted_lines.h"
#include "planner/plan_service.h"
#include "store/store.h"

namespace reach::cli {
namespace {

using EventBatch = std::vector<model::Event>;
using StdMillis = std::chrono::milliseconds;

StdMillis ToChrono(Duration d) { return StdMillis(d.micros / 1000); }

// How long a recurring step took: count, sum and maximum, written by one thread and read by
// /metrics from another (relaxed atomics: the three need not agree to the microsecond).
struct StepTimes {
  std::atomic<int64_t> count{0};
  std::atomic<int64_t> sum_us{0};
  std::atomic<int64_t> max_us{0};

  void Add(Duration d) {
    count.fetch_add(1, std::memory_order_relaxed);
    sum_us.fetch_add(d.micros, std::memory_order_relaxed);
    if (d.micros > max_us.load(std::memory_order_relaxed)) {
      max_us.store(d.micros, std::memory_order_relaxed);
    }
  }
};

// A file, directory or stdin, or a live network source that reconnects by itself (its state is
// then published through *live for /metrics).
absl::StatusOr<std::unique_ptr<ingest::LineReader>> OpenSource(
    const Config& c, const std::atomic<bool>& stop, const ingest::LiveSourceStats** live) {
  if (!ingest::IsLiveSource(c.source)) {
    ingest::LineReaderOptions options;
    options.follow = c.follow;
    options.stop = &stop;
    return ingest::OpenLineReader(c.source, options);
  }
  ingest::LiveSourceOptions options;
  options.source = c.source;
  options.token = c.source_token;
  options.wanted_collections = c.wanted_collections;
  REACH_ASSIGN_OR_RETURN(std::unique_ptr<ingest::LiveLineReader> reader,
                         ingest::LiveLineReader::Open(std::move(options), &stop));
  *live = &reader->stats();
  return reader;
}

}  // namespace

struct Runner::Impl {
  explicit Impl(Config c)
      : config(std::move(c)),
        engine(engine::EngineOptions{config.weights}, SystemClock::Get()),
        read_model(engine, &queries) {}

  Config config;
  engine::Engine engine;
  engine::QueryChannel queries;  // questions answered on the engine thread
  engine::SnapshotReadModel read_model;
  ingest::IngestStats ingest_stats;
  const ingest::LiveSourceStats* live_source = nullptr;  // set when the source is a live client
  ingest::IngestStats replay_stats;  // the archive replayed at start (docs/archive.md)
  std::unique_ptr<ingest::ArchiveLog> archive_log;
  std::unique_ptr<ingest::PostedLines> posted;  // POST /api/ingest bodies (with --api-token)
  ingest::DeadLetterWriter dead_letter;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<planner::PlanService> plans;  // POST/GET /api/plans (outlives the server)
  std::unique_ptr<http::Server> server;
  std::unique_ptr<AlertWebhook> webhook;
  std::function<void(const engine::Engine&)> on_finished;  // batch mode, on the engine thread
  int64_t alerts_announced = 0;                            // engine thread only
  std::optional<analytics::SentimentAnalyzer> sentiment;
  std::optional<analytics::Gazetteer> gazetteer;
  std::optional<analytics::TermExtractor> terms;

  BoundedQueue<EventBatch> events{64};
  BoundedQueue<engine::StoreBatch> batches{16};
  std::atomic<bool> ingest_done{false};
  std::atomic<int64_t> last_publish_us{0};
  std::atomic<int64_t> store_pending{0};
  std::atomic<int64_t> store_failures{0};
  std::atomic<int64_t> store_flushes{0};
  std::atomic<int64_t> store_last_flush_us{0};
  // While the store is down, the store thread merges waiting batches into the one it retries.
  std::atomic<int64_t> store_merged{0};        // batches folded into a retried one
  std::atomic<int64_t> store_pending_rows{0};  // rows of the batch being retried
  std::atomic<int64_t> store_buffer_full{0};   // 1 while merging stopped at kMaxMergedRows
  // Where the engine and store threads spend their time (/metrics, docs/benchmarks.md Freshness).
  StepTimes publish_times;      // Engine::Publish: scores, rankings, the snapshot
  StepTimes take_batch_times;   // Engine::TakeBatch: the store batch cut on the engine thread
  StepTimes stage_times;        // Engine::StageChanges at the publishes between two flushes
  StepTimes store_write_times;  // Store::Write on the store thread
  std::chrono::steady_clock::time_point started;
  double seconds = 0;
  absl::Status ingest_status;

  absl::Status ReplayArchive(const std::string& dir, uint64_t last, ingest::Decoder& decoder,
                             const ingest::IngestPipeline::Sink& sink,
                             const std::atomic<bool>& stop);
  absl::StatusOr<std::string> IngestPosted(std::string body);
  void EngineLoop();
  void StoreLoop();
  // Publishes a snapshot, stages the changed rows for the store and, when `to_store`, hands the
  // batch to the store thread. Returns the time the snapshot itself took.
  Duration Publish(bool to_store);
  std::string MetricsText() const;
};

absl::Status Runner::Impl::ReplayArchive(const std::string& dir, uint64_t last,
                                         ingest::Decoder& decoder,
                                         const ingest::IngestPipeline::Sink& sink,
                                         const std::atomic<bool>& stop) {
  const auto begin = std::chrono::steady_clock::now();
  REACH_ASSIGN_OR_RETURN(std::unique_ptr<ingest::LineReader> reader,
                         ingest::OpenArchiveLineReader(dir, 1, last));
  ingest::IngestPipeline replay(decoder, replay_stats, /*dead_letter=*/nullptr, SystemClock::Get());
  absl::Status st = replay.Run(*reader, sink, stop);
  log::info("archive: replayed {} records ({} events, {} rejected) in {:.2f} s",
            replay_stats.accepted.load(), replay_stats.events.load(), replay_stats.total_rejected(),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
  if (!st.ok()) return absl::Status(st.code(), "archive replay: " + std::string(st.message()));
  return absl::OkStatus();
}

// POST /api/ingest: queue the body for the ingest thread and answer once its records are
// archived and handed to the engine (ingest/posted_lines.h).
absl::StatusOr<std::string> Runner::Impl::IngestPosted(std::string body) {
  REACH_ASSIGN_OR_RETURN(std::future<ingest::PostResult> done, posted->Post(std::move(body)));
  if (done.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    return absl::UnavailableError(
        "the body is queued but was not ingested within 60 s; it will be (a retry is counted "
        "once: events carry stable ids)");
  }
  ingest::PostResult r = done.get();
  REACH_RETURN_IF_ERROR(r.status);
  JsonWriter w;
  w.BeginObject();
  w.Key("records");
  w.Uint(r.records);
  w.Key("accepted");
  w.Uint(r.accepted);
  w.Key("rejected");
  w.Uint(r.rejected);
  w.Key("rejected_by_reason");
  w.BeginObject();
  for (int i = 0; i < ingest::kRejectReasonCount; ++i) {
    if (r.rejected_by_reason[i] == 0) continue;
    w.Key(ingest::RejectReasonName(static_cast<ingest::RejectReason>(i)));
    w.Uint(r.rejected_by_reason[i]);
  }
  w.EndObject();
  w.Key("already_archived");
  w.Uint(r.already_archived);
  w.EndObject();
  return std::move(w).Take();
}

Duration Runner::Impl::Publish(bool to_store) {
  const EventTime publish_start = SystemClock::Get().Now();
  std::shared_ptr<const engine::Snapshot> snap = engine.Publish();
  const Duration publish_cost = SystemClock::Get().Now() - publish_start;
  publish_times.Add(publish_cost);
  last_publish_us.store(snap->published.micros, std::memory_order_relaxed);
  if (server) {
    JsonWriter w;
    w.BeginObject();
    w.Key("sequence");
    w.Uint(snap->sequence);
    w.Key("as_of");
    w.String(FormatIso8601(snap->as_of));
    w.Key("events");
    w.Int(snap->stats.events_applied);
    w.Key("users");
    w.Int(snap->stats.users);
    w.Key("posts");
    w.Int(snap->stats.posts);
    w.EndObject();
    server->Broadcast("snapshot", w.str());
  }
  // Alerts raised since the previous publish go out on the event stream and to the webhook.
  const int64_t fresh = std::min<int64_t>(snap->stats.alerts - alerts_announced,
                                          static_cast<int64_t>(snap->alerts.size()));
  for (int64_t i = fresh - 1; i >= 0; --i) {
    const engine::TopicAlert& a = snap->alerts[static_cast<size_t>(i)];
    JsonWriter w;
    w.BeginObject();
    w.Key("topic");
    w.String(a.topic);
    w.Key("at");
    w.String(FormatIso8601(a.at));
    w.Key("current");
    w.Double(a.current);
    w.Key("baseline");
    w.Double(a.baseline);
    w.Key("ratio");
    w.Double(a.ratio);
    w.Key("z");
    w.Double(a.z);
    w.EndObject();
    if (server) server->Broadcast("alert", w.str());
    if (webhook) webhook->Send(std::move(w).Take());
  }
  alerts_announced = snap->stats.alerts;
  if (!store) return publish_cost;
  // The rows changed since the last publish are staged now, so that the flush every
  // --flush-interval costs one publish's worth of rows on this thread, not the whole interval's.
  const EventTime take_start = SystemClock::Get().Now();
  if (to_store) {
    engine::StoreBatch batch = engine.TakeBatch(snap);
    take_batch_times.Add(SystemClock::Get().Now() - take_start);
    store_pending.fetch_add(1);
    if (!batches.Push(batch)) store_pending.fetch_sub(1);
  } else {
    engine.StageChanges();
    stage_times.Add(SystemClock::Get().Now() - take_start);
  }
  return publish_cost;
}

void Runner::Impl::EngineLoop() {
  const Duration publish_every = config.publish_interval;
  const Duration flush_every = config.flush_interval;
  EventTime last_publish = SystemClock::Get().Now();
  EventTime last_flush = last_publish;
  Duration publish_cost;
  bool dirty = false;
  while (!events.drained()) {
    // Wake at least every 25 ms so questions on `queries` wait little even when no events come.
    if (std::optional<EventBatch> batch =
            events.PopFor(ToChrono(std::min(publish_every, Duration::Millis(25))))) {
      for (const model::Event& e : *batch) engine.Apply(e);
      dirty = true;
    }
    queries.Serve(engine);
    EventTime now = SystemClock::Get().Now();
    if (config.wall_clock_windows) engine.AdvanceTo(now);
    // Publishing costs time proportional to the active users; keep it under a fifth of the engine
    // thread's time by waiting at least four publish durations between two publishes.
    if (now - last_publish >= std::max(publish_every, publish_cost * 4) &&
        (dirty || config.wall_clock_windows || engine.AnalysesDue(now))) {
      bool flush = store && now - last_flush >= flush_every;
      // Only the snapshot's cost paces the publishes: the store's share is bounded by the rows
      // changed since the previous publish, whichever publish flushes.
      publish_cost = Publish(flush);
      last_publish = now;
      if (flush) last_flush = now;
      dirty = false;
    }
  }
  engine.ForceRefresh();       // the final scores depend only on the events, not on refresh timing
  Publish(/*to_store=*/true);  // the final state, always written
  if (on_finished) on_finished(engine);
  queries.Close();
  batches.Close();
}

// While a write fails (e.g. PostgreSQL is down) the store thread keeps retrying one batch with
// back-off and meanwhile folds every batch the engine queues into it (StoreBatch::Merge), so the
// engine and ingest go on and memory grows with the distinct rows changed, not with the flushes.
// Merging stops once the retried batch holds kMaxMergedRows rows: the queue (16 batches) then fills
// and the engine blocks, i.e. back-pressure on ingest, and nothing accepted is lost. Counted in
// /metrics as reach_store_merged_batches_total, reach_store_pending_rows and
// reach_store_buffer_full.
constexpr size_t kMaxMergedRows = 2'000'000;
// POST /api/ingest bodies waiting for the ingest thread, at most (then 429).
constexpr size_t kMaxPostedBytes = 64u << 20;

void Runner::Impl::StoreLoop() {
  Duration backoff = Duration::Millis(100);
  auto merge_waiting = [this](engine::StoreBatch& pending) {
    while (pending.RowCount() < kMaxMergedRows) {
      std::optional<engine::StoreBatch> next = batches.PopFor(std::chrono::milliseconds(0));
      if (!next) break;
      pending.Merge(std::move(*next));
      store_merged.fetch_add(1);
      store_pending.fetch_sub(1);
    }
    store_buffer_full.store(pending.RowCount() >= kMaxMergedRows ? 1 : 0);
    store_pending_rows.store(static_cast<int64_t>(pending.RowCount()));
  };
  while (std::optional<engine::StoreBatch> batch = batches.PopFor(std::chrono::hours(24))) {
    for (int attempt = 1;; ++attempt) {
      const EventTime write_start = SystemClock::Get().Now();
      absl::Status st = store->Write(*batch);
      store_write_times.Add(SystemClock::Get().Now() - write_start);
      if (st.ok()) {
        store_flushes.fetch_add(1);
        store_last_flush_us.store(SystemClock::Get().Now().micros);
        store_pending_rows.store(0);
        store_buffer_full.store(0);
        backoff = Duration::Millis(100);
        break;
      }
      store_failures.fetch_add(1);
      log::error("store write failed (attempt {}): {}; retrying in {} ms", attempt, st.message(),
                 backoff.micros / 1000);
      const auto until = std::chrono::steady_clock::now() + ToChrono(backoff);
      do {
        merge_waiting(*batch);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      } while (std::chrono::steady_clock::now() < until);
      merge_waiting(*batch);
      backoff = std::min(backoff * 2, Duration::Seconds(5));
    }
    store_pending.fetch_sub(1);
  }
}

std::string Runner::Impl::MetricsText() const {
  std::string out;
  auto add = [&out](std::string_view name, std::string_view type, std::string_view help,
                    auto value) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name,
                   type, name, value);
  };
  const ingest::IngestStats& s = ingest_stats;
  add("reach_ingest_records_total", "counter", "Input records (lines) read.", s.records.load());
  add("reach_ingest_accepted_total", "counter", "Records decoded and accepted.", s.accepted.load());
  add("reach_ingest_events_total", "counter", "Normalized events produced.", s.events.load());
  add("reach_ingest_bytes_total", "counter", "Bytes of input records read.", s.bytes.load());
  out += "# HELP reach_ingest_rejected_total Records rejected, by reason.\n";
  out += "# TYPE reach_ingest_rejected_total counter\n";
  for (int i = 0; i < ingest::kRejectReasonCount; ++i) {
    fmt::format_to(std::back_inserter(out), "reach_ingest_rejected_total{{reason=\"{}\"}} {}\n",
                   ingest::RejectReasonName(static_cast<ingest::RejectReason>(i)),
                   s.rejected[i].load());
  }
  out += "# HELP reach_ingest_control_total Stream control messages, by kind.\n";
  out += "# TYPE reach_ingest_control_total counter\n";
  for (size_t i = 0; i < ingest::kControlKinds.size(); ++i) {
    fmt::format_to(std::back_inserter(out), "reach_ingest_control_total{{kind=\"{}\"}} {}\n",
                   ingest::kControlKinds[i], s.control[i].load());
  }
  add("reach_ingest_undelivered_total", "counter",
      "Posts the platform reported it did not deliver (v1.1 limit notices): the coverage gap.",
      s.undelivered.load());
  add("reach_ingest_already_archived_total", "counter",
      "Accepted records re-read after a restart that the archive already held (not applied again).",
      s.already_logged.load());
  if (archive_log) {
    const ingest::ArchiveLogStats& a = archive_log->stats();
    add("reach_archive_records", "gauge", "Records in the raw archive (its last sequence number).",
        a.records.load());
    add("reach_archive_bytes_written_total", "counter", "Segment bytes written to the archive.",
        a.bytes.load());
    add("reach_archive_segments", "gauge", "Segment files of the archive.", a.segments.load());
    add("reach_archive_fsyncs_total", "counter", "fsyncs of archive segments and directory.",
        a.fsyncs.load());
    add("reach_archive_commit_seconds_count", "counter",
        "Archive commits (flush and fsync before a batch's events go on).", a.commits.load());
    add("reach_archive_commit_seconds_sum", "counter", "Wall time of the archive commits.",
        static_cast<double>(a.commit_us_sum.load()) / 1e6);
    add("reach_archive_commit_seconds_max", "gauge", "Longest archive commit.",
        static_cast<double>(a.commit_us_max.load()) / 1e6);
    add("reach_archive_torn_bytes_truncated_total", "counter",
        "Bytes of a torn segment tail truncated at start.", a.torn_bytes_truncated.load());
    add("reach_archive_resume_skipped_lines_total", "counter",
        "Input lines skipped at start because the checkpoint says they were read.",
        a.resume_skipped_lines.load());
    add("reach_archive_replayed_records_total", "counter",
        "Archived records replayed into the engine at start.", replay_stats.accepted.load());
    add("reach_archive_replayed_events_total", "counter",
        "Events of the archived records replayed at start.", replay_stats.events.load());
  }
  if (posted) {
    add("reach_ingest_posted_pending_bytes", "gauge",
        "Bytes of POST /api/ingest bodies waiting for the ingest thread.", posted->pending_bytes());
  }
  add("reach_ingest_queue_batches", "gauge", "Event batches waiting for the engine.",
      events.size());
  if (live_source != nullptr) out += ingest::LiveMetricsText(*live_source);
  const engine::EngineStats e = read_model.GetStats();
  add("reach_engine_events_applied_total", "counter", "Events applied by the engine.",
      e.events_applied);
  add("reach_engine_posts", "gauge", "Live posts.", e.posts);
  add("reach_engine_users", "gauge", "Known users.", e.users);
  add("reach_engine_cascades", "gauge", "Live cascades.", e.cascades);
  add("reach_engine_duplicates_total", "counter", "Events ignored as already seen.", e.duplicates);
  add("reach_engine_deletes_applied_total", "counter", "Deletes that removed a post.",
      e.deletes_applied);
  add("reach_engine_withheld_posts", "gauge", "Posts the platform withholds in some countries.",
      e.withheld_posts);
  add("reach_engine_withheld_users", "gauge", "Accounts the platform withholds in some countries.",
      e.withheld_users);
  add("reach_engine_geo_scrubbed_posts_total", "counter",
      "Posts whose place and coordinates a scrub_geo notice removed.", e.geo_scrubbed_posts);
  add("reach_engine_watermark_seconds", "gauge", "Event time the windows end at.",
      static_cast<double>(e.watermark.micros) / 1e6);
  const int64_t now_us = SystemClock::Get().Now().micros;
  const int64_t arrival = s.last_arrival_us.load();
  add("reach_ingest_last_arrival_age_seconds", "gauge", "Seconds since the newest record arrived.",
      arrival == 0 ? 0.0 : static_cast<double>(now_us - arrival) / 1e6);
  add("reach_publish_age_seconds", "gauge", "Seconds since the newest snapshot was published.",
      last_publish_us.load() == 0 ? 0.0
                                  : static_cast<double>(now_us - last_publish_us.load()) / 1e6);
  if (webhook) {
    add("reach_alert_webhook_delivered_total", "counter", "Alerts POSTed to the webhook.",
        webhook->delivered());
    add("reach_alert_webhook_failed_total", "counter", "Alert POSTs that failed.",
        webhook->failed());
    add("reach_alert_webhook_dropped_total", "counter", "Alerts dropped: webhook queue full.",
        webhook->dropped());
  }
  add("reach_store_flushes_total", "counter", "Store batches written.", store_flushes.load());
  add("reach_store_failures_total", "counter", "Failed store write attempts (retried).",
      store_failures.load());
  add("reach_store_pending_batches", "gauge", "Store batches not yet written.",
      store_pending.load());
  add("reach_store_merged_batches_total", "counter",
      "Batches merged into a waiting batch while the store was failing.", store_merged.load());
  add("reach_store_pending_rows", "gauge", "Rows of the batch waiting to be written (0 when none).",
      store_pending_rows.load());
  add("reach_store_buffer_full", "gauge",
      "1 while the waiting batch is at its row bound and ingest is held back.",
      store_buffer_full.load());
  auto add_times = [&add](std::string_view name, std::string_view help, const StepTimes& t) {
    add(std::string(name) + "_seconds_count", "counter", help, t.count.load());
    add(std::string(name) + "_seconds_sum", "counter", help,
        static_cast<double>(t.sum_us.load()) / 1e6);
    add(std::string(name) + "_seconds_max", "gauge", help,
        static_cast<double>(t.max_us.load()) / 1e6);
  };
  add_times("reach_engine_publish", "Time the engine thread spent computing snapshots.",
            publish_times);
  add_times("reach_engine_take_batch", "Time the engine thread spent cutting store batches.",
            take_batch_times);
  add_times("reach_engine_stage_changes",
            "Time the engine thread spent staging changed rows between two store batches.",
            stage_times);
  add_times("reach_store_write", "Time the store thread spent writing batches.", store_write_times);
  return out;
}

Runner::Runner(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Runner::~Runner() = default;

const ingest::IngestStats& Runner::ingest_stats() const { return impl_->ingest_stats; }

uint16_t Runner::port() const { return impl_->server ? impl_->server->port() : 0; }

void Runner::OnFinished(std::function<void(const engine::Engine&)> f) {
  impl_->on_finished = std::move(f);
}

absl::Status Runner::Run(const std::atomic<bool>& stop) {
  Impl& m = *impl_;
  const Config& c = m.config;
  m.started = std::chrono::steady_clock::now();
  REACH_ASSIGN_OR_RETURN(std::unique_ptr<ingest::Decoder> decoder, ingest::MakeDecoder(c.format));
  std::unique_ptr<ingest::LineReader> reader;
  if (IsSimSource(c.source)) {
    REACH_ASSIGN_OR_RETURN(SimSourceSpec spec,
                           ParseSimSource(c.source, SystemClock::Get().Now().micros / 1'000'000));
    REACH_ASSIGN_OR_RETURN(reader, OpenSimSource(spec));
    log::info("source: simulated world, {} users, {} lines/s{}", spec.options.users,
              spec.options.rate,
              spec.truth_path.empty() ? "" : ", ground truth in " + spec.truth_path);
  } else {
    REACH_ASSIGN_OR_RETURN(reader, OpenSource(c, stop, &m.live_source));
  }
  REACH_RETURN_IF_ERROR(m.dead_letter.Open(c.dead_letter));
  // Sentiment and geography are derived on the ingest thread; without their data Reach still runs
  // and says what it could not load.
  if (auto s = analytics::SentimentAnalyzer::Load(c.data_dir + "/lexicon"); s.ok()) {
    m.sentiment.emplace(std::move(*s));
  } else {
    log::warn("sentiment disabled: {}", s.status().message());
  }
  if (auto g = analytics::Gazetteer::Load(c.data_dir + "/gazetteer"); g.ok()) {
    m.gazetteer.emplace(std::move(*g));
  } else {
    log::warn("geography disabled: {}", g.status().message());
  }
  if (auto words = analytics::StopWords::LoadShipped(c.data_dir + "/stopwords"); words.ok()) {
    analytics::TermOptions options;
    options.hashtags = false;  // hashtags are topics of their own
    options.emoji = false;
    m.terms.emplace(std::move(*words), options);
  } else {
    log::warn("trending terms disabled: {}", words.status().message());
  }
  const ingest::Enricher enricher(m.sentiment ? &*m.sentiment : nullptr,
                                  m.gazetteer ? &*m.gazetteer : nullptr,
                                  m.terms ? &*m.terms : nullptr);
  if (!c.follow_graph.empty()) {
    // Loaded before the engine thread starts; the engine owns the edges from here on.
    REACH_ASSIGN_OR_RETURN(ingest::FollowEdges follows, ingest::ReadFollowEdges(c.follow_graph));
    if (follows.bad_lines > 0) {
      log::warn(
          "follow graph {}: skipped {} lines that are not \"follower followee\" (first at {})",
          c.follow_graph, follows.bad_lines, follows.first_bad);
    }
    const size_t read = follows.edges.size();
    m.engine.AddFollowEdges(std::move(follows.edges));
    log::info("follow graph {}: {} edges read, {} distinct", c.follow_graph, read,
              m.engine.follow_edges());
  }
  if (!c.alert_webhook.empty()) {
    REACH_ASSIGN_OR_RETURN(m.webhook, AlertWebhook::Create(c.alert_webhook));
  }
  if (c.store != "none") {
    REACH_ASSIGN_OR_RETURN(m.store, store::OpenStore(c.store));
    log::info("store: {}", m.store->description());
  }
  const std::string archive_dir = ResolveArchiveDir(c);
  if (!archive_dir.empty()) {
    archive::WriterOptions options;
    REACH_ASSIGN_OR_RETURN(options.fsync, archive::ParseFsyncPolicy(c.archive_fsync));
    std::error_code ec;
    if (std::filesystem::equivalent(archive_dir, c.source, ec)) {
      return absl::InvalidArgumentError(
          fmt::format("the source {} is the archive itself; replay it with `reach replay`, or "
                      "give --archive none or another directory",
                      c.source));
    }
    REACH_ASSIGN_OR_RETURN(m.archive_log, ingest::ArchiveLog::Open(archive_dir, c.source, options));
    log::info("archive: {} ({} records, fsync {})", archive_dir,
              m.archive_log->replay_last_sequence(), c.archive_fsync);
  }
  if (c.serve) {
    http::ServerOptions options;
    options.listen = c.listen;
    options.web_root = c.web_root;
    m.plans = std::make_unique<planner::PlanService>(
        m.engine, m.queries, planner::PlanServiceOptions{.api_token = c.api_token});
    options.routes.push_back(http::ApiRoute{
        "/api/plans",
        {"GET", "POST"},
        [&m](const http::ApiRequest& r) -> absl::StatusOr<std::string> {
          if (r.has_query)
            return absl::InvalidArgumentError("/api/plans takes no query parameters");
          if (r.method == "POST") {
            if (!r.rest.empty()) return absl::NotFoundError("POST to /api/plans itself");
            return m.plans->Create(r.body, r.authorization);
          }
          if (r.rest.empty() || r.rest == "/") return m.plans->List();
          return m.plans->Get(r.rest.substr(1));
        }});
    http::IngestHandler ingest;
    if (!c.api_token.empty()) {
      m.posted = std::make_unique<ingest::PostedLines>(kMaxPostedBytes);
      ingest = [&m](std::string body) { return m.IngestPosted(std::move(body)); };
      options.threads = 2;  // a POST waits for its body to be ingested; GETs go on meanwhile
    }
    options.routes.push_back(http::MakeIngestRoute(c.api_token, std::move(ingest)));
    m.server =
        std::make_unique<http::Server>(options, m.read_model, [&m] { return m.MetricsText(); });
    REACH_RETURN_IF_ERROR(m.server->Start());
    std::string host = c.listen.substr(0, c.listen.rfind(':'));
    log::info("serving on http://{}:{} (dashboard at /, API at /api/influencers)", host,
              m.server->port());
  }

  std::thread store_thread;
  if (m.store) store_thread = std::thread([&m] { m.StoreLoop(); });
  std::thread engine_thread([&m] { m.EngineLoop(); });
  // Saved plans are recomputed as data arrives; a changed plan is announced as a "plan" event.
  std::atomic<bool> plans_done{false};
  std::thread plans_thread;
  if (m.plans) {
    plans_thread = std::thread([&m, &plans_done, every = ToChrono(c.plan_refresh)] {
      auto next = std::chrono::steady_clock::now() + every;
      while (!plans_done.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (std::chrono::steady_clock::now() < next) continue;
        for (const std::string& event : m.plans->Refresh()) m.server->Broadcast("plan", event);
        next = std::chrono::steady_clock::now() + every;
      }
    });
  }

  const ingest::IngestPipeline::Sink sink = [&m, &enricher](std::vector<model::Event>& batch) {
    enricher.Enrich(batch);
    EventBatch owned = std::move(batch);
    m.events.Push(owned);
  };
  ingest::IngestPipeline pipeline(*decoder, m.ingest_stats, &m.dead_letter, SystemClock::Get());
  bool archive_failed = false;
  if (m.archive_log) {
    // What the archive holds was counted before: rebuild that state first, then go on with the
    // source after the checkpoint (ingest/archive_log.h).
    if (const uint64_t last = m.archive_log->replay_last_sequence(); last > 0) {
      m.ingest_status = m.ReplayArchive(archive_dir, last, *decoder, sink, stop);
      archive_failed = !m.ingest_status.ok();
    }
    reader = m.archive_log->ResumeReader(std::move(reader));
    pipeline.set_record_log(m.archive_log.get());
  }
  if (m.posted) {
    reader = std::make_unique<ingest::MergedLineReader>(std::move(reader), *m.posted,
                                                        m.ingest_stats, stop);
  }
  if (m.ingest_status.ok()) m.ingest_status = pipeline.Run(*reader, sink, stop);
  if (m.posted) m.posted->Close();
  if (m.archive_log) {
    if (absl::Status st = m.archive_log->Close(); !st.ok() && m.ingest_status.ok()) {
      m.ingest_status = st;
    }
  }
  (void)m.dead_letter.Flush();
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m.started).count();
  if (!m.ingest_status.ok()) log::error("source: {}", m.ingest_status.message());
  log::info("source finished: {} records, {} accepted, {} rejected in {:.2f} s",
            m.ingest_stats.records.load(), m.ingest_stats.accepted.load(),
            m.ingest_stats.total_rejected(), m.seconds);

  if (c.serve && !archive_failed) {
    while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  plans_done.store(true);
  if (plans_thread.joinable()) plans_thread.join();
  m.events.Close();
  engine_thread.join();
  if (store_thread.joinable()) store_thread.join();
  if (m.server) m.server->Stop();
  return m.ingest_status;
}

RunSummary Runner::summary() const {
  const Impl& m = *impl_;
  RunSummary s;
  s.records = m.ingest_stats.records.load();
  s.accepted = m.ingest_stats.accepted.load();
  s.rejected = m.ingest_stats.total_rejected();
  s.events = m.ingest_stats.events.load();
  s.engine = m.engine.stats();
  s.seconds = m.seconds;
  s.replayed = m.replay_stats.accepted.load();
  s.already_archived = m.ingest_stats.already_logged.load();
  for (int i = 0; i < ingest::kRejectReasonCount; ++i) {
    uint64_t n = m.ingest_stats.rejected[i].load();
    if (n == 0) continue;
    if (!s.rejected_by_reason.empty()) s.rejected_by_reason += ' ';
    s.rejected_by_reason +=
        fmt::format("{}={}", ingest::RejectReasonName(static_cast<ingest::RejectReason>(i)), n);
  }
  return s;
}

}  // namespace reach::cli
