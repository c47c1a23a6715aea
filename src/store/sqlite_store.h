// SqliteStore: the default Store, a local SQLite file (schema in store/migrations.h).
//
// Opening creates the file when missing (its directory must exist), switches it to WAL journaling
// with synchronous=NORMAL (a crash may lose the last flushes, never corrupt the file) and a busy
// timeout, and applies pending migrations. Statements are prepared once and reused for every batch.
//
// Write(batch) runs one IMMEDIATE transaction, in this order:
//   1. upsert batch.users, then batch.posts (insert, or update every column on conflict);
//   2. delete batch.deleted_posts, and the cascade rooted at each;
//   3. upsert batch.cascades, then delete batch.deleted_cascades;
//   4. when batch.scores is set: replace the whole scores table with every row of the four windows
//      (DELETE + INSERT), and append to score_history the first `history_top_n` rows (default 100)
//      of each window stamped with the snapshot's as_of. History is bounded that way so that it
//      grows by at most 4 * history_top_n rows per flush whatever the number of users; a flush
//      repeated with the same as_of overwrites its history rows instead of duplicating them;
//   5. upsert engine_state (counters, watermark; scores.* and weights.* with scores; see
//      store/engine_state.h).
// A post listed both in posts and deleted_posts ends deleted. On any error the transaction is
// rolled back, nothing of the batch remains, failures is incremented and the status is returned:
// Internal with the SQLite message, or Unavailable when the database stayed locked by another
// connection beyond the busy timeout.
//
// Cost: one B-tree write per row; the scores rewrite is O(rows of all windows) per scored flush.
// Thread safety: Write is for one writer thread; stats() and description() may be called from any
// thread. Other processes may read the file concurrently (WAL); see SqliteReadModel.
#ifndef REACH_STORE_SQLITE_STORE_H_
#define REACH_STORE_SQLITE_STORE_H_

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "store/sqlite_util.h"
#include "store/store.h"

namespace reach::store {

struct SqliteStoreOptions {
  int busy_timeout_ms = 5000;
  // Rows per window appended to score_history at each scored flush.
  size_t history_top_n = 100;
  // Wall clock for schema_migrations.applied_at and for last_flush when a batch has no
  // flushed_at. Null: SystemClock. Not owned; must outlive the store.
  const Clock* clock = nullptr;
};

class SqliteStore final : public Store {
 public:
  // Opens or creates the database at `path` and migrates it. Unavailable when the directory does
  // not exist or the file cannot be opened; FailedPrecondition when the file has a newer schema;
  // Internal for SQL errors (e.g. the file is not a database).
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                           const SqliteStoreOptions& options = {});

  ~SqliteStore() override = default;

  [[nodiscard]] absl::Status Write(const engine::StoreBatch& batch) override;
  [[nodiscard]] StoreStats stats() const override;
  [[nodiscard]] std::string description() const override;

 private:
  SqliteStore(SqliteDb db, const SqliteStoreOptions& options);
  absl::Status PrepareStatements();
  // Writes the batch's rows inside an open transaction; returns the number of rows changed.
  absl::StatusOr<int64_t> WriteRows(const engine::StoreBatch& batch);
  absl::StatusOr<int64_t> WriteScores(const engine::Snapshot& snapshot);
  absl::Status Rollback();

  SqliteStoreOptions options_;
  const Clock* clock_;
  // Declared before the statements: destroyed after them.
  SqliteDb db_;
  SqliteStatement begin_;
  SqliteStatement commit_;
  SqliteStatement rollback_;
  SqliteStatement upsert_user_;
  SqliteStatement upsert_post_;
  SqliteStatement delete_post_;
  SqliteStatement delete_cascade_;
  SqliteStatement upsert_cascade_;
  SqliteStatement clear_scores_;
  SqliteStatement insert_score_;
  SqliteStatement upsert_history_;
  SqliteStatement upsert_state_;

  mutable std::mutex stats_mu_;
  StoreStats stats_;  // guarded by stats_mu_
};

// The newest schema version recorded in the database; 0 when it has no schema_migrations table.
absl::StatusOr<int64_t> SqliteSchemaVersion(SqliteDb& db);

// Brings the database to LatestSchemaVersion() in one IMMEDIATE transaction (safe when several
// processes open the same file at once). FailedPrecondition for a newer database.
absl::Status MigrateSqlite(SqliteDb& db, const Clock& clock);

}  // namespace reach::store

#endif  // REACH_STORE_SQLITE_STORE_H_
