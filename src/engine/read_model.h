// ReadModel: the questions the API asks, answered either from the live engine's published snapshot
// (reach run) or from the store (reach serve). HTTP handlers depend only on this interface.
//
// Thread safety: implementations must allow concurrent calls from any thread.
// Errors: NotFound for an unknown user; InvalidArgument for a bad query; Unavailable when the
// backing store cannot be read.
#ifndef REACH_ENGINE_READ_MODEL_H_
#define REACH_ENGINE_READ_MODEL_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "engine/snapshot.h"

namespace reach::engine {

struct LeaderboardQuery {
  Window window = Window::kAll;
  int limit = 50;  // 1..1000
  int offset = 0;  // >= 0
};

struct Leaderboard {
  Window window = Window::kAll;
  EventTime as_of;
  int64_t total = 0;  // rows in the whole window, before limit/offset
  std::vector<InfluencerRow> items;
};

struct UserProfile {
  UserInfo info;
  // Per window (indexed by Window): the user's row, or nullopt when the user has no activity there.
  std::array<std::optional<InfluencerRow>, kWindowCount> windows;
  EventTime as_of;
};

class ReadModel {
 public:
  virtual ~ReadModel() = default;
  [[nodiscard]] virtual absl::StatusOr<Leaderboard> GetLeaderboard(
      const LeaderboardQuery& q) const = 0;
  [[nodiscard]] virtual absl::StatusOr<UserProfile> GetUser(UserId id) const = 0;
  // Engine counters as of the newest data this model has.
  [[nodiscard]] virtual EngineStats GetStats() const = 0;
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_READ_MODEL_H_
