// Config: every setting of `reach run` / `reach serve`, with its embedded default. Settings come
// from the defaults, then an optional TOML file (--config), then command-line flags, later ones
// winning.
//
//   [score]   weights: reshares, likes, followers, depth, pagerank, audience (numbers)
//   [store]   path = "reach.db", flush_interval = "5s"
//   [http]    listen = "127.0.0.1:8080", web_root = "...", api_token = "..." (saving plans, POST
//   /api/ingest) [ingest]  format = "twitter-v1", dead_letter = "reach-dead-letter.ndjson",
//             archive = "reach-archive", archive_fsync = "batch" | "rotate" | "never"
//   [engine]  publish_interval = "100ms", window_clock = "event" | "wall", follow_graph = "FILE"
#ifndef REACH_CLI_CONFIG_H_
#define REACH_CLI_CONFIG_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "engine/snapshot.h"

namespace reach::cli {

struct Config {
  // ingest
  std::string source;   // file, directory, "-", or a live URL (jetstream+wss://,
                        // mastodon-sse+https://, x-stream+https://); empty = the shipped sample
  bool follow = false;  // tail -f the source (a plain file) until stopped
  std::string format = "auto";  // detected per line; or twitter-v1, twitter-v2, bluesky-jetstream,
                                // mastodon, snap-activity, weibo-cascades, seismic
  std::string dead_letter = "reach-dead-letter.ndjson";
  // Live sources (docs/sources.md): the bearer token (Mastodon access token, X bearer token) and
  // the Jetstream collections to subscribe to (empty = all, or what the URL names).
  std::string source_token;
  std::vector<std::string> wanted_collections;
  // The raw archive (docs/archive.md): a directory; empty = "<store file without
  // extension>-archive" beside a SQLite store (none with --store none or PostgreSQL); "none" = no
  // archive.
  std::string archive;
  std::string archive_fsync = "batch";  // batch, rotate or never (archive::FsyncPolicy)
  // Lexicons and gazetteer (data/lexicon, data/gazetteer); empty = the data shipped beside the
  // binary.
  std::string data_dir;
  // engine
  engine::ScoreWeights weights;
  Duration publish_interval = Duration::Millis(100);
  bool wall_clock_windows = false;  // windows end at the wall clock, not only at the newest event
  // Follower edge list ("follower followee" per line) for inferring reshare parents; empty = none.
  std::string follow_graph;
  // store
  std::string store = "reach.db";  // path, "sqlite:PATH", or "none"
  Duration flush_interval = Duration::Seconds(5);
  // http
  std::string listen = "127.0.0.1:8080";
  std::string web_root;       // empty = the dashboard shipped beside the binary
  bool serve = true;          // false: exit when the source is exhausted (batch mode)
  std::string alert_webhook;  // http:// URL receiving a POST per topic spike alert; empty = none
  // Bearer token that authorizes saving plans (POST /api/plans with "save": true) and writing
  // (POST /api/ingest); empty = those are refused. Flag --api-token, env REACH_API_TOKEN, TOML
  // [http] api_token.
  std::string api_token;
  Duration plan_refresh = Duration::Seconds(5);  // how often saved plans are recomputed
};

// The archive directory `config` asks for (see Config::archive); empty when there is none.
std::string ResolveArchiveDir(const Config& config);

// Parses "250ms", "5s", "2m", "1h"; InvalidArgument otherwise.
absl::StatusOr<Duration> ParseDuration(std::string_view text);

// Applies a TOML file to *config. InvalidArgument with the file, line and key for a bad file.
absl::Status LoadConfigFile(const std::string& path, Config* config);

}  // namespace reach::cli

#endif  // REACH_CLI_CONFIG_H_
