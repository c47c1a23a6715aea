// The simulated source of `reach run --source sim:...`: the world simulator (sim/simulate.h) runs
// on its own thread and hands its lines, in the chosen wire format (Twitter v1.1 by default), to
// the ingest pipeline through a LineReader, so a live simulated world exercises the real decoder,
// enricher, engine, store and API.
//
//   sim:                                  live world: 50k users, 2000 lines/s, endless
//   sim:rate=10000/s,seed=7,users=100000  any of the keys below, comma-separated
//   sim:rate=0,posts=200000,truth=t.ndjson  as fast as possible, 200k posts, then the source ends
//
// Keys: seed, users, posts (0 = endless), rate (lines per second, "2000/s" or "2000"; 0 = as fast
// as possible), follow_degree, root_rate (originals per simulated second), start ("now" or Unix
// seconds; "now" by default), format (twitter-v1 | jetstream), truth (ground-truth file),
// monte_carlo (expected-spread runs in the truth file).
//
// With start=now and rate > 0 and no root_rate, the originals' rate is set so that simulated time
// runs at about wall-clock speed (root_rate = rate / 1.7: about 0.7 reactions per original in
// the default model), so the 15-minute window means 15 real minutes on the dashboard.
//
// Errors: InvalidArgument naming the key for a bad spec; the simulator's own errors come back from
// the reader's Next. Memory: the World plus at most 4,096 lines waiting (~8 MB).
#ifndef REACH_CLI_SIM_SOURCE_H_
#define REACH_CLI_SIM_SOURCE_H_

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "ingest/line_reader.h"
#include "sim/simulate.h"

namespace reach::cli {

struct SimSourceSpec {
  sim::SimOptions options;
  std::string truth_path;  // empty = no ground truth
};

// True for "sim" and "sim:..." sources.
bool IsSimSource(std::string_view source);

// Parses "sim" / "sim:key=value,...". Defaults: 50,000 users, endless, 2000 lines/s, start now.
// `now_s` is the wall clock in Unix seconds (for start=now).
absl::StatusOr<SimSourceSpec> ParseSimSource(std::string_view source, int64_t now_s);

// Starts the simulator thread and returns the reader of its lines. Positions name the source
// "sim" with the line number. The thread stops when the reader is destroyed.
absl::StatusOr<std::unique_ptr<ingest::LineReader>> OpenSimSource(const SimSourceSpec& spec);

}  // namespace reach::cli

#endif  // REACH_CLI_SIM_SOURCE_H_
