// SqliteReadModel: answers the API's questions (engine::ReadModel) from a SQLite file written by
// SqliteStore, for `reach serve` and any process other than the writer.
//
// It holds its own read-only connection; every call reads in one transaction, so a leaderboard's
// total, rows and as_of come from the same flush even while a writer commits (WAL). Scores are the
// ones of the newest scored flush; as_of is that flush's snapshot watermark.
//
// Thread safety: all methods may be called concurrently from any thread; a mutex serialises them on
// the single connection (open one model per thread for parallel reads).
// Errors: Open returns Unavailable when the file does not exist or cannot be opened,
// FailedPrecondition when it has no reach schema, an older schema (open it with a writer first to
// migrate) or a newer one. Queries return InvalidArgument for a limit outside 1..1000 or a negative
// offset, NotFound for a user absent from both users and scores, and Internal/Unavailable for SQL
// errors. GetStats cannot fail: on error it logs and returns the last counters it read.
// Cost: a leaderboard page is an index range scan on (win, rank) plus a COUNT over the window.
#ifndef REACH_STORE_SQLITE_READ_MODEL_H_
#define REACH_STORE_SQLITE_READ_MODEL_H_

#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "common/status.h"
#include "engine/read_model.h"
#include "store/engine_state.h"
#include "store/sqlite_util.h"

namespace reach::store {

class SqliteReadModel final : public engine::ReadModel {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteReadModel>> Open(const std::string& path,
                                                               int busy_timeout_ms = 5000);

  [[nodiscard]] absl::StatusOr<engine::Leaderboard> GetLeaderboard(
      const engine::LeaderboardQuery& q) const override;
  [[nodiscard]] absl::StatusOr<engine::UserProfile> GetUser(UserId id) const override;
  [[nodiscard]] engine::EngineStats GetStats() const override;
  // Everything engine_state holds (stats, as_of, weights, scores sequence).
  [[nodiscard]] absl::StatusOr<StoredEngineState> GetEngineState() const;

 private:
  explicit SqliteReadModel(SqliteDb db) : db_(std::move(db)) {}
  absl::Status PrepareStatements();
  // Reads engine_state; requires mu_ held.
  absl::StatusOr<StoredEngineState> ReadStateLocked() const;
  // Runs `body` inside a read transaction; requires mu_ held.
  template <class T, class F>
  absl::StatusOr<T> InReadTransaction(F&& body) const;

  mutable std::mutex mu_;
  // The connection and its statements; guarded by mu_. Statements are declared after the
  // connection so that they are destroyed first.
  mutable SqliteDb db_;
  mutable SqliteStatement begin_;
  mutable SqliteStatement end_;
  mutable SqliteStatement count_window_;
  mutable SqliteStatement page_;
  mutable SqliteStatement user_;
  mutable SqliteStatement user_scores_;
  mutable SqliteStatement state_;
  mutable engine::EngineStats last_stats_;
};

}  // namespace reach::store

#endif  // REACH_STORE_SQLITE_READ_MODEL_H_
