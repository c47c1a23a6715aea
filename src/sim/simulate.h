// Simulate: the entry point of `reach simulate` — builds a World, runs the Generator and writes
// the stream as Twitter v1.1 NDJSON or Bluesky Jetstream JSON, to a FILE or line by line to a
// callback (to feed the pipeline in process), as fast as possible or paced to a rate of lines per
// wall-clock second; optionally writes the ground truth (sim/ground_truth.h), with each user's
// expected spread when monte_carlo_runs > 0.
//
//   SimOptions o;
//   o.seed = 7; o.users = 1'000'000; o.posts = 20'000'000;
//   REACH_RETURN_IF_ERROR(Simulate(o, stdout, truth_file, &stop));
//
// Determinism: the same options (seed included) give byte-identical output and ground truth,
// whatever the rate. The model and its parameters are described in docs/simulator.md.
//
// Errors: InvalidArgument naming the option for bad options (ValidateSimOptions); Internal when
// writing a FILE fails. When *stop becomes true, output ends at a line boundary and the call
// returns OK with stats->stopped set. Memory: the World (~4 bytes per follow edge, ~40 per user)
// plus the open cascades. Thread-safe in the sense that separate calls share nothing; the sink
// is called on the calling thread.
#ifndef REACH_SIM_SIMULATE_H_
#define REACH_SIM_SIMULATE_H_

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "common/time.h"
#include "sim/ground_truth.h"

namespace reach::sim {

struct SimOptions {
  uint64_t seed = 1;
  uint64_t users = 10'000;
  uint64_t posts = 100'000;  // posts of every kind (originals, reshares, quotes, replies)

  // The world (sim/world.h).
  double follow_degree = 30;
  double popularity_exponent = 1.3;
  double geo_affinity = 0.35;
  double topic_affinity = 0.35;

  // The cascades (sim/spread.h, sim/generator.h).
  double reshare_prob = 0.01;  // per follower exposure, times the post's appeal
  double appeal_sigma = 0.7;   // log-normal spread of a post's appeal
  double max_appeal = 3.0;     // cap on appeal: reshare_prob * max_appeal * follow_degree < 1
                               // keeps every cascade below the epidemic threshold
  double quote_share = 0.1;
  double reply_prob = 0.002;
  double like_prob = 0.02;
  double root_rate = 20;                 // originals per simulated second
  double reaction_delay_s = 300;         // mean delay of a reaction
  int64_t start_time_s = 1'672'531'200;  // 2023-01-01T00:00:00Z

  // Output.
  Format format = Format::kTwitterV1;
  bool likes = true;     // Jetstream: like events (v1.1 shows likes as favorite_count only)
  bool follows = false;  // Jetstream: the follow graph as graph.follow events before the posts
  double place_share = 0.05;
  double coordinates_share = 0.01;
  double rate = 0;  // lines per wall-clock second; 0 = as fast as possible

  // Ground truth.
  TruthFormat truth_format = TruthFormat::kNdjson;
  uint64_t monte_carlo_runs = 0;  // per user; 0 = no expected spread

  // Pacing (rate > 0): where "now" comes from and how to wait. Null / empty = the system clock
  // and std::this_thread::sleep_for.
  const Clock* clock = nullptr;
  std::function<void(Duration)> sleep;
};

struct SimStats {
  uint64_t lines = 0;
  uint64_t posts = 0;
  uint64_t originals = 0;
  uint64_t reshares = 0;
  uint64_t quotes = 0;
  uint64_t replies = 0;
  uint64_t likes = 0;    // like events generated (written for Jetstream only)
  uint64_t follows = 0;  // follow events written
  uint64_t bytes = 0;
  uint32_t max_depth = 0;
  uint64_t follow_edges = 0;
  uint64_t peak_pending = 0;
  bool stopped = false;
};

// OK, or InvalidArgument naming the first bad option ("users: must be ...").
absl::Status ValidateSimOptions(const SimOptions& options);

// Writes the stream to `out` (one JSON object per line) and the ground truth to `truth` (may be
// null). `stop` may be null.
absl::Status Simulate(const SimOptions& options, std::FILE* out, std::FILE* truth,
                      const std::atomic<bool>* stop, SimStats* stats = nullptr);

// Hands each line (without its newline) to `sink`; the view is valid during the call only.
absl::Status Simulate(const SimOptions& options,
                      const std::function<void(std::string_view line)>& sink, std::FILE* truth,
                      const std::atomic<bool>* stop, SimStats* stats = nullptr);

// Writes the follow graph of the world `options` describe, one edge per line as
// "FOLLOWER_ID FOLLOWEE_ID" (the user ids of options.format: Twitter ids, or StableHash64 of the
// DID for Jetstream), grouped by followee. The same options give the same edges as Simulate's
// world. Cost: builds the World once.
absl::Status WriteFollowEdges(const SimOptions& options, std::FILE* out);

}  // namespace reach::sim

#endif  // REACH_SIM_SIMULATE_H_
