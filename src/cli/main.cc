// reach: the command-line entry point — the only place that prints or exits.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/config.h"
#include "cli/runner.h"
#include "common/log.h"
#include "engine/score.h"
#include "http/server.h"
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
  run->add_option("--source", config.source,
                  "Input: NDJSON file (.gz/.zst ok), a directory of them, or - for stdin "
                  "(default: the shipped Twitter v1.1 sample)");
  run->add_option("--format", config.format, "Input format (twitter-v1)")->capture_default_str();
  run->add_option("--store", config.store,
                  "SQLite file, sqlite:PATH, postgres://URL, or none (default: $REACH_STORE, "
                  "else reach.db)")
      ->capture_default_str();
  run->add_option("--dead-letter", config.dead_letter,
                  "File receiving rejected records with their position and reason")
      ->capture_default_str();
  run->add_option("--flush-interval", flush_interval,
                  "How often the store is written (default 5s)");
  run->add_option("--publish-interval", publish_interval,
                  "How often scores are recomputed for the API (default 250ms)");
  run->add_option("--window-clock", window_clock,
                  "event: windows end at the newest event time (replays); wall: at the wall clock "
                  "(live streams) (default event)");
  run->add_option("--weights", weights,
                  "Score weights: reshares likes followers depth (default 0.35 0.2 0.25 0.2)")
      ->expected(4);
  run->add_flag("--exit-when-done", exit_when_done,
                "Exit after the source is exhausted and stored, instead of serving on");
  run->add_option("--config", config_file, "TOML configuration file (flags override it)");
  AddCommonFlags(run, &config, &listen);

  std::string serve_store = "reach.db";
  CLI::App* serve = app.add_subcommand(
      "serve", "Serve the API and dashboard from a store written by an earlier `reach run`.");
  serve->add_option("--store", serve_store, "SQLite file, sqlite:PATH or postgres://URL")
      ->capture_default_str();
  AddCommonFlags(serve, &config, &listen);

  app.add_subcommand("version", "Print the version.");

  CLI11_PARSE(app, argc, argv);
  // REACH_STORE names the store when --store is not given (e.g. a postgres:// URL).
  if (const char* env = std::getenv("REACH_STORE"); env != nullptr && env[0] != '\0') {
    if (run->count("--store") == 0) config.store = env;
    if (serve->count("--store") == 0) serve_store = env;
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
  if (config.web_root.empty()) config.web_root = (ExeDir() / "web").string();
  InstallSignalHandlers();

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
    config.weights = {weights[0], weights[1], weights[2], weights[3]};
  }
  if (absl::Status st = reach::engine::ValidateWeights(config.weights); !st.ok()) return Fail(st);
  if (config.source.empty()) {
    config.source = (ExeDir() / "data" / "sample" / "twitter_v1_sample.jsonl").string();
  }
  config.serve = !exit_when_done;

  reach::cli::Runner runner(config);
  absl::Status st = runner.Run(g_stop);
  reach::cli::RunSummary s = runner.summary();
  fmt::print(stderr,
             "reach: {} records, {} accepted, {} rejected{}{}{}; {} events; {} users, {} posts, {} "
             "cascades; {:.2f} s ({:.0f} records/s)\n",
             s.records, s.accepted, s.rejected, s.rejected ? " (" : "", s.rejected_by_reason,
             s.rejected ? ")" : "", s.events, s.engine.users, s.engine.posts, s.engine.cascades,
             s.seconds, s.seconds > 0 ? static_cast<double>(s.records) / s.seconds : 0.0);
  if (!st.ok()) return Fail(st);
  return 0;
}
