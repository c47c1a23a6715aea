// FakeReadModel: an in-memory engine::ReadModel for HTTP tests. Rows are set directly by the test;
// GetLeaderboard applies limit/offset like the real model and records the last query. Thread-safe
// (a mutex), so server threads may call it while the test thread sets data. Test-only.
#ifndef REACH_HTTP_FAKE_READ_MODEL_H_
#define REACH_HTTP_FAKE_READ_MODEL_H_

#include <algorithm>
#include <mutex>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/read_model.h"

namespace reach::http {

class FakeReadModel : public engine::ReadModel {
 public:
  void SetRows(engine::Window w, std::vector<engine::InfluencerRow> rows) {
    std::lock_guard lock(mu_);
    rows_[static_cast<size_t>(w)] = std::move(rows);
  }
  void SetUser(engine::UserProfile profile) {
    std::lock_guard lock(mu_);
    users_[profile.info.user] = std::move(profile);
  }
  void SetAsOf(EventTime t) {
    std::lock_guard lock(mu_);
    as_of_ = t;
  }
  void FailWith(absl::Status st) {
    std::lock_guard lock(mu_);
    fail_ = std::move(st);
  }
  std::optional<engine::LeaderboardQuery> last_query() const {
    std::lock_guard lock(mu_);
    return last_query_;
  }

  absl::StatusOr<engine::Leaderboard> GetLeaderboard(
      const engine::LeaderboardQuery& q) const override {
    std::lock_guard lock(mu_);
    last_query_ = q;
    if (!fail_.ok()) return fail_;
    const auto& rows = rows_[static_cast<size_t>(q.window)];
    engine::Leaderboard board;
    board.window = q.window;
    board.as_of = as_of_;
    board.total = static_cast<int64_t>(rows.size());
    size_t begin = std::min(rows.size(), static_cast<size_t>(q.offset));
    size_t end = std::min(rows.size(), begin + static_cast<size_t>(q.limit));
    board.items.assign(rows.begin() + static_cast<std::ptrdiff_t>(begin),
                       rows.begin() + static_cast<std::ptrdiff_t>(end));
    return board;
  }

  absl::StatusOr<engine::UserProfile> GetUser(UserId id) const override {
    std::lock_guard lock(mu_);
    if (!fail_.ok()) return fail_;
    auto it = users_.find(id);
    if (it == users_.end()) return absl::NotFoundError("unknown user");
    return it->second;
  }

  engine::EngineStats GetStats() const override { return {}; }

 private:
  mutable std::mutex mu_;
  std::array<std::vector<engine::InfluencerRow>, engine::kWindowCount> rows_;
  absl::flat_hash_map<UserId, engine::UserProfile> users_;
  EventTime as_of_;
  absl::Status fail_;
  mutable std::optional<engine::LeaderboardQuery> last_query_;
};

// A row with distinct, recognisable values derived from `n`.
inline engine::InfluencerRow MakeRow(uint64_t user, int64_t rank, int64_t n) {
  engine::InfluencerRow r;
  r.user = UserId{user};
  r.handle = "user" + std::to_string(n);
  r.name = "User \"" + std::to_string(n) + "\"";
  r.followers = 1000 * n;
  r.metrics.posts = n;
  r.metrics.reshares = 2 * n;
  r.metrics.quotes = 3 * n;
  r.metrics.replies = 4 * n;
  r.metrics.likes = 5 * n;
  r.metrics.mentions = 6 * n;
  r.metrics.depth = static_cast<int32_t>(7 * n);
  r.components = {0.5, 0.25, 0.125, 1.0};
  r.score = 87.5;
  r.rank = rank;
  return r;
}

}  // namespace reach::http

#endif  // REACH_HTTP_FAKE_READ_MODEL_H_
