// The read side of the engine: immutable views that readers (HTTP handlers, the store writer) hold
// while the single writer goes on. A Snapshot is built by the writer at each publish and never
// changed afterwards, so any thread may read it without locks as long as it holds the shared_ptr.
#ifndef REACH_ENGINE_SNAPSHOT_H_
#define REACH_ENGINE_SNAPSHOT_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/ids.h"
#include "common/time.h"
#include "engine/window.h"

namespace reach::engine {

// Counts observed in the stream for one user over one window (see docs/metrics.md).
struct UserMetrics {
  int64_t posts = 0;     // posts authored (all kinds)
  int64_t reshares = 0;  // reshares of the user's posts
  int64_t quotes = 0;    // quotes of the user's posts
  int64_t replies = 0;   // replies to the user's posts
  int64_t likes = 0;     // likes: observed like events + growth of platform like counters
  int64_t mentions = 0;  // mentions of the user in others' posts
  int32_t depth = 0;     // deepest reshare/quote level reached in the user's cascades
};

// Each factor of the influence score, normalised to [0, 1] within the window (docs/metrics.md).
struct ScoreComponents {
  double reshares = 0;
  double likes = 0;
  double followers = 0;
  double depth = 0;
};

struct ScoreWeights {
  double reshares = 0.35;
  double likes = 0.20;
  double followers = 0.25;
  double depth = 0.20;
};

// One user's row in a window's leaderboard.
struct InfluencerRow {
  UserId user;
  std::string handle;
  std::string name;
  int64_t followers = 0;  // latest platform-reported follower count (-1 unknown)
  UserMetrics metrics;
  ScoreComponents components;
  double score = 0;  // 0..100
  int64_t rank = 0;  // 1-based within the window
};

struct UserInfo {
  UserId user;
  std::string handle;
  std::string name;
  std::string location;
  int64_t followers = -1;
  int64_t following = -1;
  int64_t posts_reported = -1;  // platform-reported post count
  bool verified = false;
  EventTime created;
  EventTime observed;  // when the newest snapshot of the account was taken
};

struct CascadeSummary {
  PostId root;
  UserId author;
  int64_t size = 0;  // nodes including the root
  int32_t depth = 0;
  int64_t max_breadth = 0;
  EventTime started;
  EventTime last_activity;
};

// Counters about the engine itself, for /metrics and the pipeline view.
struct EngineStats {
  int64_t events_applied = 0;
  int64_t posts = 0;            // live posts
  int64_t users = 0;            // known users
  int64_t duplicates = 0;       // events ignored because their id was seen
  int64_t deletes_applied = 0;  // deletes that removed a known post
  int64_t deletes_pending = 0;  // deletes for posts not (yet) seen: kept as tombstones
  int64_t cascades = 0;
  EventTime watermark;  // the engine's event-time "now"
};

struct WindowBoard {
  Window window = Window::kAll;
  std::vector<InfluencerRow> rows;              // sorted by score descending, then user id
  absl::flat_hash_map<UserId, uint32_t> index;  // user -> position in rows
};

struct Snapshot {
  uint64_t sequence = 0;  // increases by one per publish
  EventTime as_of;        // engine watermark at publish
  EventTime published;    // wall-clock time of publish
  ScoreWeights weights;
  std::array<WindowBoard, kWindowCount> boards;
  // Every user in any board; shared with the engine (an entry is replaced, never changed).
  absl::flat_hash_map<UserId, std::shared_ptr<const UserInfo>> users;
  EngineStats stats;

  [[nodiscard]] const WindowBoard& board(Window w) const { return boards[static_cast<int>(w)]; }
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_SNAPSHOT_H_
