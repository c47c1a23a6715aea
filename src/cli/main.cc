// reach: the command-line entry point — the only place that prints or exits.
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/config.h"
#include "cli/plan_command.h"
#include "cli/runner.h"
#include "common/log.h"
#include "engine/score.h"
#include "http/server.h"
#include "ingest/ingest_stats.h"
#include "sim/simulate.h"
#include "store/export.h"
#include "store/store.h"

namespace {

std::atomic<bool> g_stop{false};

extern "C" void OnSignal(int) { g_stop.store(true); }

void InstallSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

// Files shipped beside the binary (build/ copies them there): the dashboard and the sample data.
std::filesystem::path ExeDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::current_path() : exe.parent_path();
}

int Fail(const absl::Status& st) {
  fmt::print(stderr, "reach: {}\n", st.message());
  return st.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
}

int RunSimulate(reach::sim::SimOptions options, const std::string& format,
                const std::string& out_path, const std::string& truth_path, const std::string& rate,
                const std::string& edges_path) {
  if (format == "twitter-v1" || format == "v1") {
    options.format = reach::sim::Format::kTwitterV1;
  } else if (format == "jetstream") {
    options.format = reach::sim::Format::kJetstream;
  } else {
    return Fail(absl::InvalidArgumentError("--format must be twitter-v1 or jetstream"));
  }
  if (!rate.empty()) {
    std::string_view r = rate;
    if (r.size() > 2 && r.substr(r.size() - 2) == "/s") r.remove_suffix(2);
    char* end = nullptr;
    std::string number(r);
    options.rate = std::strtod(number.c_str(), &end);
    if (end == number.c_str() || *end != '\0' || !(options.rate > 0)) {
      return Fail(absl::InvalidArgumentError("--rate must look like 2000/s"));
    }
  }
  if (absl::Status st = reach::sim::ValidateSimOptions(options); !st.ok()) return Fail(st);
  std::FILE* out = stdout;
  if (out_path != "-") {
    out = std::fopen(out_path.c_str(), "w");
    if (out == nullptr) return Fail(absl::NotFoundError("cannot write " + out_path));
  }
  std::FILE* truth = nullptr;
  if (!truth_path.empty()) {
    truth = std::fopen(truth_path.c_str(), "w");
    if (truth == nullptr) return Fail(absl::NotFoundError("cannot write " + truth_path));
  }
  if (!edges_path.empty()) {
    std::FILE* edges = std::fopen(edges_path.c_str(), "w");
    if (edges == nullptr) return Fail(absl::NotFoundError("cannot write " + edges_path));
    absl::Status st = reach::sim::WriteFollowEdges(options, edges);
    if (std::fclose(edges) != 0 && st.ok()) st = absl::InternalError("cannot write " + edges_path);
    if (!st.ok()) return Fail(st);
  }
  reach::sim::SimStats stats;
  absl::Status st = reach::sim::Simulate(options, out, truth, &g_stop, &stats);
  if (out != stdout) std::fclose(out);
  if (truth != nullptr) std::fclose(truth);
  if (!st.ok()) return Fail(st);
  fmt::print(stderr,
             "reach: simulated {} lines: {} posts ({} originals, {} reshares, {} quotes, {} "
             "replies), {} likes, max depth {}\n",
             stats.lines, stats.posts, stats.originals, stats.reshares, stats.quotes, stats.replies,
             stats.likes, stats.max_depth);
  return 0;
}

std::string HumanBytes(double bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes >= 1000 && u < 4) {
    bytes /= 1000;
    ++u;
  }
  return fmt::format("{:.1f} {}", bytes, units[u]);
}

// The progress line of `reach replay` on a terminal: bytes read of the total, events per second
// over the last interval, and the time left at the average rate so far.
void ShowProgress(const reach::ingest::IngestStats& stats, const std::atomic<bool>& done) {
  const auto start = std::chrono::steady_clock::now();
  auto last = start;
  uint64_t last_events = 0;
  size_t width = 0;
  while (!done.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto now = std::chrono::steady_clock::now();
    const double since = std::chrono::duration<double>(now - last).count();
    const double elapsed = std::chrono::duration<double>(now - start).count();
    const uint64_t events = stats.events.load();
    const double read = static_cast<double>(stats.source_bytes_read.load());
    const double total = static_cast<double>(stats.source_bytes_total.load());
    std::string line = fmt::format(
        "replay: {} events, {:.0f} events/s, {}", events,
        since > 0 ? static_cast<double>(events - last_events) / since : 0, HumanBytes(read));
    if (total > 0) {
      line += fmt::format(" of {} ({:.1f}%)", HumanBytes(total), 100.0 * read / total);
      if (read > 0 && read < total) {
        line += fmt::format(", ETA {:.0f} s", elapsed * (total - read) / read);
      }
    }
    width = std::max(width, line.size());
    fmt::print(stderr, "\r{:<{}}", line, width);
    std::fflush(stderr);
    last = now;
    last_events = events;
  }
  if (width > 0) fmt::print(stderr, "\r{:<{}}\r", "", width);
}

void AddCommonFlags(CLI::App* cmd, reach::cli::Config* c, std::string* listen) {
  cmd->add_option("--listen", *listen, "HTTP address host:port (default 127.0.0.1:8080)");
  cmd->add_option("--web-root", c->web_root,
                  "Directory of the dashboard files (default: beside the binary)");
}

}  // namespace

int main(int argc, char** argv) {
  using reach::cli::Config;
  Config config;
  std::string config_file, listen, publish_interval, flush_interval, window_clock,
      log_level = "info";
  std::vector<double> weights;
  bool exit_when_done = false;

  CLI::App app{
      "Reach: real-time social-media influencer analytics.\n"
      "Ingests a stream of posts, keeps per-user influence metrics fresh (15m, 1h, 24h, all "
      "time),\n"
      "stores them in SQLite and serves a JSON API and a live dashboard."};
  app.require_subcommand(1);
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error, off")
      ->capture_default_str();

  CLI::App* run = app.add_subcommand(
      "run", "Ingest a source, keep every metric up to date, store and serve the results.");
  run->add_option(
      "--source", config.source,
      "Input: NDJSON file (.gz/.bz2/.zst ok), a tar archive of such files (.tar, .tar.gz, "
      ".tar.bz2, .tar.zst), a directory of them, an archive directory, - for stdin, or a live "
      "stream that reconnects by itself (docs/sources.md):\n"
      "  jetstream+wss://HOST/subscribe            Bluesky Jetstream (WebSocket)\n"
      "  mastodon-sse+https://HOST/api/v1/streaming/public   Mastodon streaming (SSE)\n"
      "  x-stream+https://api.x.com/2/tweets/search/stream   X API v2 filtered stream\n"
      "  (ws:// and http:// for servers without TLS)\n"
      "or sim[:key=value,...] for a live simulated world in the Twitter v1.1 format "
      "(keys: seed, users, posts, rate e.g. 2000/s, follow_degree, root_rate, start, "
      "format, truth, monte_carlo; docs/simulator.md)\n"
      "(default: the shipped Twitter v1.1 sample)");
  run->add_option("--source-token", config.source_token,
                  "Bearer token of a live source: Mastodon access token or X bearer token "
                  "(default: $REACH_SOURCE_TOKEN)");
  run->add_option("--wanted-collections", config.wanted_collections,
                  "Jetstream collections to subscribe to, comma-separated (e.g. "
                  "app.bsky.feed.post,app.bsky.feed.repost,app.bsky.feed.like)")
      ->delimiter(',');
  run->add_flag("--follow", config.follow,
                "Follow the source file as it grows (tail -f) until SIGTERM/SIGINT; a truncated "
                "file is read again from its start");
  CLI::App* replay = app.add_subcommand(
      "replay",
      "Re-process an archive directory or any input into the store (the batch mode), with the "
      "same results as the live run; shows progress on a terminal.");
  replay
      ->add_option(
          "SOURCE", config.source,
          "Archive directory, NDJSON file (.gz/.bz2/.zst ok), tar archive, directory, or -")
      ->required();
  std::string archive_flag, archive_fsync, api_token;
  for (CLI::App* cmd : {run, replay}) {
    cmd->add_option("--format", config.format,
                    "Input format: auto (detected per line: every format but seismic), "
                    "twitter-v1, twitter-v2, bluesky-jetstream, mastodon[:HOST], snap-activity, "
                    "weibo-cascades, seismic")
        ->capture_default_str();
    cmd->add_option("--store", config.store,
                    "SQLite file, sqlite:PATH, postgres://URL, or none (default: $REACH_STORE, "
                    "else reach.db)")
        ->capture_default_str();
    cmd->add_option("--archive", archive_flag,
                    cmd == run ? "Raw archive directory, or none (default: <store>-archive beside "
                                 "a SQLite store, e.g. reach-archive; none for PostgreSQL or "
                                 "--store none). A restart replays it and resumes the source "
                                 "after its checkpoint (docs/archive.md)"
                               : "Archive the replayed input into this directory (default: none)");
    cmd->add_option("--archive-fsync", archive_fsync,
                    "Archive durability: batch (fdatasync before each batch counts), rotate, or "
                    "never (default batch; docs/archive.md)");
    cmd->add_option("--data-dir", config.data_dir,
                    "Directory with lexicon/ and gazetteer/ (default: the data beside the binary)");
    cmd->add_option("--dead-letter", config.dead_letter,
                    "File receiving rejected records with their position and reason")
        ->capture_default_str();
    cmd->add_option("--flush-interval", flush_interval,
                    "How often the store is written (default 5s)");
    cmd->add_option("--publish-interval", publish_interval,
                    "How often scores are recomputed for the API (default 100ms)");
    cmd->add_option("--window-clock", window_clock,
                    "event: windows end at the newest event time (replays); wall: at the wall "
                    "clock (live streams) (default event)");
    cmd->add_option("--weights", weights,
                    "Score weights: reshares likes followers depth pagerank audience (default "
                    "0.25 0.15 0.15 0.15 0.15 0.15); four numbers weigh the seed's four factors "
                    "only (pagerank and audience 0)")
        ->expected(4, 6);
    cmd->add_option("--follow-graph", config.follow_graph,
                    "Follower edge list (\"follower followee\" per line, # comments, .gz ok): a "
                    "reshare's parent is inferred as the most recent earlier resharer it follows");
    cmd->add_option("--config", config_file, "TOML configuration file (flags override it)");
  }
  run->add_option("--alert-webhook", config.alert_webhook,
                  "http:// URL that receives a JSON POST for each topic spike alert");
  run->add_option("--api-token", api_token,
                  "Bearer token that write endpoints require: POST /api/ingest and saving plans "
                  "(POST /api/plans with \"save\": true) (default: $REACH_API_TOKEN; without one "
                  "they are refused)");
  run->add_flag("--exit-when-done", exit_when_done,
                "Exit after the source is exhausted and stored, instead of serving on");
  AddCommonFlags(run, &config, &listen);

  std::string serve_store = "reach.db";
  CLI::App* serve = app.add_subcommand(
      "serve", "Serve the API and dashboard from a store written by an earlier `reach run`.");
  serve->add_option("--store", serve_store, "SQLite file, sqlite:PATH or postgres://URL")
      ->capture_default_str();
  AddCommonFlags(serve, &config, &listen);

  std::string export_store = "reach.db", export_view, export_format = "csv";
  CLI::App* exp = app.add_subcommand(
      "export",
      "Write a BI view (v_influencers, v_score_history, v_cascades, v_topic_trends) to stdout.");
  exp->add_option("--store", export_store, "SQLite file, sqlite:PATH or postgres://URL")
      ->capture_default_str();
  exp->add_option("--view", export_view, "View to export")->required();
  exp->add_option("--format", export_format, "csv or ndjson")->capture_default_str();

  reach::sim::SimOptions sim;
  std::string sim_format = "twitter-v1", sim_out = "-", sim_truth, sim_rate, sim_edges;
  CLI::App* simulate = app.add_subcommand(
      "simulate",
      "Write a synthetic world with ground truth: power-law follow graph, topical and geographic "
      "communities, cascades by the independent cascade model (docs/simulator.md).");
  simulate->add_option("--seed", sim.seed, "Random seed (same seed, same bytes)")
      ->capture_default_str();
  simulate->add_option("--users", sim.users, "Accounts in the world")->capture_default_str();
  simulate->add_option("--posts", sim.posts, "Posts of every kind to write")->capture_default_str();
  simulate->add_option("--follow-degree", sim.follow_degree, "Mean accounts followed")
      ->capture_default_str();
  simulate->add_option("--format", sim_format, "twitter-v1 or jetstream")->capture_default_str();
  simulate->add_option("--out", sim_out, "Output file, - for stdout")->capture_default_str();
  simulate->add_option("--truth", sim_truth, "Ground-truth file (true parents, depths)");
  simulate
      ->add_option("--monte-carlo", sim.monte_carlo_runs,
                   "Runs for each user's expected spread in the ground truth (0 = none)")
      ->capture_default_str();
  simulate->add_option("--follow-edges", sim_edges,
                       "Write the follow graph to this file, one \"FOLLOWER FOLLOWEE\" id pair per "
                       "line (for parent inference with known follow edges)");
  simulate->add_flag("--follows", sim.follows,
                     "Jetstream: write the follow graph as graph.follow events before the posts");
  simulate->add_option("--rate", sim_rate,
                       "Lines per second, e.g. 2000/s (default: as fast as possible)");

  reach::cli::PlanCommand plan_cmd;
  std::string plan_countries, plan_topics, plan_pool, plan_window = "all";
  double plan_min_sentiment = 0;
  CLI::App* plan = app.add_subcommand(
      "plan",
      "Spend a campaign budget on the influencers expected to reach the most distinct people in "
      "the target countries (docs/planner.md).\n"
      "Audiences are what the stream observed: each candidate's engagers (reshares, quotes, "
      "replies, likes) and their countries. The plan is the CELF cost-benefit greedy or the best "
      "single influencer, whichever is better (at least (1-1/e)/2 of the optimum), shown beside "
      "two naive plans under the same budget: most followers first and highest score first.\n"
      "Data: --source FILE is ingested here first (default: the shipped sample), or --server asks "
      "a running `reach run` (POST /api/plans).\n"
      "Example: reach plan --budget 10000 --countries US,GB --rate-card cards.csv --format table");
  plan->add_option("--budget", plan_cmd.request.budget, "Campaign budget (>= 0), e.g. 10000")
      ->required();
  plan->add_option("--countries", plan_countries,
                   "Target countries, ISO 3166-1 alpha-2, optionally weighted: US,GB or US:2,GB:1 "
                   "(default: every country, equal weights)");
  plan->add_option("--topics", plan_topics,
                   "Only engagement with posts carrying one of these hashtags counts: coffee,news");
  plan->add_option("--min-sentiment", plan_min_sentiment,
                   "Only engagement with posts of at least this VADER sentiment (-1..1) counts");
  plan->add_option(
      "--rate-card", plan_cmd.rate_card_path,
      "CSV: user_id_or_handle,cost_per_post[,max_posts] (header optional); accounts not "
      "on it are priced by the CPM tier table of their follower count");
  plan->add_option("--pool", plan_pool,
                   "Candidates: the top N by score (default 2000) or a list of ids/handles: "
                   "12345,@alice");
  plan->add_option("--window", plan_window, "Observation window: 15m, 1h, 24h or all")
      ->capture_default_str();
  plan->add_flag("--exact", plan_cmd.request.exact,
                 "Also solve exactly with GLPK (pools of at most 40) and report greedy/optimal");
  plan->add_option("--format", plan_cmd.output, "Output: table, json or csv")
      ->capture_default_str();
  plan->add_option("--source", plan_cmd.source,
                   "Input to ingest before planning: NDJSON file (.gz/.zst ok) or directory "
                   "(default: the shipped Twitter v1.1 sample)");
  plan->add_option("--input-format", plan_cmd.input_format,
                   "Format of --source: auto, twitter-v1, twitter-v2, bluesky-jetstream, ...")
      ->capture_default_str();
  plan->add_option("--data-dir", plan_cmd.data_dir,
                   "Directory with lexicon/ and gazetteer/ (default: beside the binary)");
  plan->add_option("--server", plan_cmd.server,
                   "Ask a running Reach instead of ingesting: http://127.0.0.1:8080");
  plan->add_flag(
      "--save", plan_cmd.request.save,
      "With --server: save the plan there (recomputed as data arrives; needs the token)");
  plan->add_option("--name", plan_cmd.request.name, "A name for the saved plan");
  plan->add_option("--api-token", plan_cmd.api_token,
                   "Token sent as Authorization: Bearer with --save (default $REACH_API_TOKEN)");

  app.add_subcommand("version", "Print the version.");

  CLI11_PARSE(app, argc, argv);
  // REACH_STORE names the store when --store is not given (e.g. a postgres:// URL).
  if (const char* env = std::getenv("REACH_STORE"); env != nullptr && env[0] != '\0') {
    if (run->count("--store") == 0 && replay->count("--store") == 0) config.store = env;
    if (serve->count("--store") == 0) serve_store = env;
    if (exp->count("--store") == 0) export_store = env;
  }
  if (const char* env = std::getenv("REACH_API_TOKEN"); env != nullptr && env[0] != '\0') {
    if (plan->count("--api-token") == 0) plan_cmd.api_token = env;
  }
  // `reach plan` prints its answer; the ingest it runs only logs warnings unless asked.
  if (app.got_subcommand("plan") && app.count("--log-level") == 0) log_level = "warn";
  if (const char* env = std::getenv("REACH_SOURCE_TOKEN"); env != nullptr && env[0] != '\0') {
    if (run->count("--source-token") == 0) config.source_token = env;
  }
  reach::log::SetLevel(log_level);
  spdlog::set_default_logger(spdlog::default_logger());

  if (app.got_subcommand("version")) {
    fmt::print("reach 0.1.0\n");
    return 0;
  }
  if (!config_file.empty()) {
    if (absl::Status st = reach::cli::LoadConfigFile(config_file, &config); !st.ok()) {
      return Fail(st);
    }
  }
  if (!listen.empty()) config.listen = listen;
  // REACH_API_TOKEN gives the token when neither --api-token nor the file does.
  if (!api_token.empty()) {
    config.api_token = api_token;
  } else if (const char* env = std::getenv("REACH_API_TOKEN");
             env != nullptr && env[0] != '\0' && config.api_token.empty()) {
    config.api_token = env;
  }
  if (app.got_subcommand("replay")) config.archive = "none";
  if (!archive_flag.empty()) config.archive = archive_flag;
  if (!archive_fsync.empty()) config.archive_fsync = archive_fsync;
  if (config.web_root.empty()) config.web_root = (ExeDir() / "web").string();
  InstallSignalHandlers();

  if (app.got_subcommand("export")) {
    absl::Status st = reach::store::ExportView(export_store, export_view, export_format, stdout);
    return st.ok() ? 0 : Fail(st);
  }
  if (app.got_subcommand("simulate"))
    return RunSimulate(sim, sim_format, sim_out, sim_truth, sim_rate, sim_edges);
  if (app.got_subcommand("plan")) {
    reach::planner::PlanRequest& r = plan_cmd.request;
    auto countries = reach::planner::ParseCountryList(plan_countries);
    if (!countries.ok()) return Fail(countries.status());
    r.countries = *std::move(countries);
    for (std::string_view rest = plan_topics; !rest.empty();) {
      size_t comma = rest.find(',');
      std::string topic(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      while (!topic.empty() && (topic.front() == '#' || topic.front() == ' ')) topic.erase(0, 1);
      for (char& ch : topic) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (!topic.empty()) r.topics.push_back(topic);
    }
    if (plan->count("--min-sentiment") > 0) r.min_sentiment = plan_min_sentiment;
    auto window = reach::engine::ParseWindow(plan_window);
    if (!window) return Fail(absl::InvalidArgumentError("--window must be 15m, 1h, 24h or all"));
    r.window = *window;
    if (!plan_pool.empty()) {
      if (plan_pool.find_first_not_of("0123456789") == std::string::npos &&
          plan_pool.find(',') == std::string::npos && plan_pool.size() < 7) {
        r.pool_size = std::stoi(plan_pool);
      } else {
        for (std::string_view rest = plan_pool; !rest.empty();) {
          size_t comma = rest.find(',');
          std::string id(rest.substr(0, comma));
          rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
          while (!id.empty() && (id.front() == '@' || id.front() == ' ')) id.erase(0, 1);
          if (!id.empty()) r.pool_ids.push_back(id);
        }
        if (r.pool_ids.empty())
          return Fail(absl::InvalidArgumentError("--pool: the pool is empty"));
      }
    }
    if (plan_cmd.data_dir.empty()) plan_cmd.data_dir = (ExeDir() / "data").string();
    if (plan_cmd.source.empty()) {
      plan_cmd.source = (ExeDir() / "data" / "sample" / "twitter_v1_sample.jsonl").string();
    }
    auto text = reach::cli::RunPlanCommand(std::move(plan_cmd));
    if (!text.ok()) return Fail(text.status());
    fmt::print("{}", *text);
    return 0;
  }

  if (app.got_subcommand("serve")) {
    auto model = reach::store::OpenReadModel(serve_store);
    if (!model.ok()) return Fail(model.status());
    reach::http::ServerOptions options;
    options.listen = config.listen;
    options.web_root = config.web_root;
    reach::http::Server server(options, **model, [] { return std::string(); });
    if (absl::Status st = server.Start(); !st.ok()) return Fail(st);
    fmt::print(stderr, "reach: serving {} on http://{}\n", serve_store, config.listen);
    while (!g_stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server.Stop();
    return 0;
  }

  // run
  if (!flush_interval.empty()) {
    auto d = reach::cli::ParseDuration(flush_interval);
    if (!d.ok()) return Fail(d.status());
    config.flush_interval = *d;
  }
  if (!publish_interval.empty()) {
    auto d = reach::cli::ParseDuration(publish_interval);
    if (!d.ok()) return Fail(d.status());
    config.publish_interval = *d;
  }
  if (!window_clock.empty()) {
    if (window_clock != "event" && window_clock != "wall") {
      return Fail(absl::InvalidArgumentError("--window-clock must be event or wall"));
    }
    config.wall_clock_windows = window_clock == "wall";
  }
  if (!weights.empty()) {
    if (weights.size() != 4 && weights.size() != 6) {
      return Fail(absl::InvalidArgumentError(
          "--weights takes 4 numbers (reshares likes followers depth) or 6 (reshares likes "
          "followers depth pagerank audience)"));
    }
    config.weights = {weights[0], weights[1], weights[2], weights[3], 0, 0};
    if (weights.size() == 6) {
      config.weights.pagerank = weights[4];
      config.weights.audience = weights[5];
    }
  }
  if (absl::Status st = reach::engine::ValidateWeights(config.weights); !st.ok()) return Fail(st);
  if (config.data_dir.empty()) config.data_dir = (ExeDir() / "data").string();
  if (config.source.empty()) {
    config.source = (ExeDir() / "data" / "sample" / "twitter_v1_sample.jsonl").string();
  }
  const bool replaying = app.got_subcommand("replay");
  config.serve = !exit_when_done && !replaying;

  reach::cli::Runner runner(config);
  std::atomic<bool> done{false};
  std::thread progress;
  if (replaying && ::isatty(STDERR_FILENO)) {
    progress = std::thread([&runner, &done] { ShowProgress(runner.ingest_stats(), done); });
  }
  absl::Status st = runner.Run(g_stop);
  done.store(true);
  if (progress.joinable()) progress.join();
  reach::cli::RunSummary s = runner.summary();
  if (s.replayed > 0 || s.already_archived > 0) {
    fmt::print(stderr,
               "reach: replayed {} archived records; {} source records were archived already\n",
               s.replayed, s.already_archived);
  }
  fmt::print(stderr,
             "reach: {} records, {} accepted, {} rejected{}{}{}; {} events; {} users, {} posts, {} "
             "cascades; {:.2f} s ({:.0f} records/s)\n",
             s.records, s.accepted, s.rejected, s.rejected ? " (" : "", s.rejected_by_reason,
             s.rejected ? ")" : "", s.events, s.engine.users, s.engine.posts, s.engine.cascades,
             s.seconds, s.seconds > 0 ? static_cast<double>(s.records) / s.seconds : 0.0);
  if (!st.ok()) return Fail(st);
  return 0;
}
