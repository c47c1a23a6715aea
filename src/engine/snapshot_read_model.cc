#include "engine/snapshot_read_model.h"

#include <algorithm>

namespace reach::engine {

absl::StatusOr<Leaderboard> SnapshotReadModel::GetLeaderboard(const LeaderboardQuery& q) const {
  if (q.limit < 1 || q.limit > 1000) return absl::InvalidArgumentError("limit must be 1..1000");
  if (q.offset < 0) return absl::InvalidArgumentError("offset must be >= 0");
  std::shared_ptr<const Snapshot> snap = engine_.current();
  const WindowBoard& board = snap->board(q.window);
  Leaderboard out;
  out.window = q.window;
  out.as_of = snap->as_of;
  out.total = static_cast<int64_t>(board.rows.size());
  size_t begin = std::min(board.rows.size(), static_cast<size_t>(q.offset));
  size_t end = std::min(board.rows.size(), begin + static_cast<size_t>(q.limit));
  out.items.assign(board.rows.begin() + static_cast<std::ptrdiff_t>(begin),
                   board.rows.begin() + static_cast<std::ptrdiff_t>(end));
  return out;
}

absl::StatusOr<UserProfile> SnapshotReadModel::GetUser(UserId id) const {
  std::shared_ptr<const Snapshot> snap = engine_.current();
  UserProfile profile;
  profile.as_of = snap->as_of;
  bool found = false;
  if (auto it = snap->users.find(id); it != snap->users.end()) {
    profile.info = *it->second;
    found = true;
  }
  for (Window w : kAllWindows) {
    const WindowBoard& board = snap->board(w);
    if (auto it = board.index.find(id); it != board.index.end()) {
      profile.windows[static_cast<int>(w)] = board.rows[it->second];
      found = true;
    }
  }
  if (!found) return absl::NotFoundError("no such user");
  profile.info.user = id;
  return profile;
}

EngineStats SnapshotReadModel::GetStats() const { return engine_.current()->stats; }

}  // namespace reach::engine
