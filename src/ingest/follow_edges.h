// Follower edge lists for `reach run --follow-graph FILE`: who follows whom, used by the engine to
// infer the parent of a reshare whose platform names only the original (engine.h, "Cascades").
//
// Format: one edge per line, "follower followee" as decimal user ids separated by whitespace;
// further columns are ignored (so SNAP's higgs-social_network.edgelist.gz, "follower followee",
// loads as it is); '#' starts a comment; blank lines are skipped. .gz and .zst files are inflated
// (ingest::OpenLineReader). A line that is not two ids is counted and skipped, not fatal.
//
// Not thread-safe per call; call from one thread. Errors: NotFound / PermissionDenied when the file
// cannot be opened, DataLoss for a corrupt compressed file. Memory: 16 bytes per edge.
#ifndef REACH_INGEST_FOLLOW_EDGES_H_
#define REACH_INGEST_FOLLOW_EDGES_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/ids.h"

namespace reach::ingest {

struct FollowEdges {
  std::vector<std::pair<UserId, UserId>> edges;  // (follower, followee), as read
  uint64_t lines = 0;                            // lines read, comments included
  uint64_t bad_lines = 0;                        // lines that were not two ids
  std::string first_bad;                         // where the first bad line was, for the log
};

absl::StatusOr<FollowEdges> ReadFollowEdges(const std::string& path);

}  // namespace reach::ingest

#endif  // REACH_INGEST_FOLLOW_EDGES_H_
