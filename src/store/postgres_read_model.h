// PostgresReadModel: answers the API's questions (engine::ReadModel) from a PostgreSQL database
// written by PostgresStore, for `reach serve` against a shared server.
//
// It holds its own connection; every call reads in one REPEATABLE READ, READ ONLY transaction, so a
// leaderboard's total, rows and as_of come from the same flush even while a writer commits. Scores
// are the ones of the newest scored flush. A lost connection is re-established on the next call.
//
// Thread safety: all methods may be called concurrently from any thread; a mutex serialises them on
// the single connection.
// Errors: Open returns Unavailable when the server cannot be reached, FailedPrecondition when the
// database has no reach schema, an older one (run a writer first to migrate) or a newer one.
// Queries return InvalidArgument for a limit outside 1..1000 or a negative offset, NotFound for a
// user absent from both users and scores, Unavailable when the server is unreachable and Internal
// for SQL errors. GetStats cannot fail: on error it logs and returns the last counters it read.
// Cost: one round trip per query (3 for a leaderboard page, 3 for a user), index scans on
// (win, rank) and the primary keys.
#ifndef REACH_STORE_POSTGRES_READ_MODEL_H_
#define REACH_STORE_POSTGRES_READ_MODEL_H_

#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"
#include "engine/read_model.h"
#include "store/engine_state.h"
#include "store/postgres_util.h"

namespace reach::store {

class PostgresReadModel final : public engine::ReadModel {
 public:
  static absl::StatusOr<std::unique_ptr<PostgresReadModel>> Open(const std::string& url);

  [[nodiscard]] absl::StatusOr<engine::Leaderboard> GetLeaderboard(
      const engine::LeaderboardQuery& q) const override;
  [[nodiscard]] absl::StatusOr<engine::UserProfile> GetUser(UserId id) const override;
  [[nodiscard]] engine::EngineStats GetStats() const override;
  // Everything engine_state holds (stats, as_of, weights, scores sequence).
  [[nodiscard]] absl::StatusOr<StoredEngineState> GetEngineState() const;

 private:
  explicit PostgresReadModel(std::string url) : url_(std::move(url)) {}
  // Connects when needed, checks the schema version and prepares the statements; requires mu_.
  absl::Status EnsureConnectedLocked() const;
  absl::StatusOr<StoredEngineState> ReadStateLocked() const;
  // Runs `body` inside a read-only snapshot transaction; requires mu_ held.
  template <class T, class F>
  absl::StatusOr<T> InReadTransaction(F&& body) const;

  const std::string url_;
  mutable std::mutex mu_;
  mutable PgConn conn_;                     // guarded by mu_
  mutable engine::EngineStats last_stats_;  // guarded by mu_
};

}  // namespace reach::store

#endif  // REACH_STORE_POSTGRES_READ_MODEL_H_
