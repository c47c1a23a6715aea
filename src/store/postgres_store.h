// PostgresStore: the Store on a PostgreSQL server (11+), for teams, BI tools and the scaled-out
// mode. Same schema and migrations as SQLite (store/migrations.h), same write semantics as
// SqliteStore (see sqlite_store.h for the order of a batch's steps and the score_history bound).
//
//   REACH_ASSIGN_OR_RETURN(auto store, PostgresStore::Open("postgres://reach@db:5432/reach"));
//   REACH_RETURN_IF_ERROR(store->Write(batch));
//
// Writes: one transaction per batch; every statement is prepared once per connection; rows are
// batched column-wise: a column of the batch becomes one array parameter of
//   INSERT ... SELECT * FROM unnest($1::bigint[], $2::text[], ...) ON CONFLICT (...) DO UPDATE
// (at most `rows_per_statement` rows per execution), and deletes are `... WHERE id = ANY($1)`.
// Rows repeated within a batch are written once (the last occurrence wins), as ON CONFLICT cannot
// touch one row twice in a statement.
//
// Outages: when the server is unreachable or the connection drops, Write returns Unavailable,
// nothing of the batch is applied (or, if the connection dropped during COMMIT, possibly all of it:
// every step is an idempotent upsert, delete or replace, so writing the same batch again is
// correct) and the connection is discarded; the next Write reconnects. Retrying is the caller's
// job (cli/runner.cc's store thread retries with back-off and merges the batches that wait).
//
// Errors: Open returns Unavailable when the server cannot be reached, FailedPrecondition for a
// database of a newer schema, Internal for SQL errors. Write returns Unavailable (see above) or
// Internal (SQL error; the transaction is rolled back).
// Thread safety: Write is for one writer thread; stats() and description() may be called from any
// thread. Migrations take an advisory lock, so several processes may open one database at once.
// Cost: one round trip per statement per chunk, about 8 + (rows / rows_per_statement) per batch.
#ifndef REACH_STORE_POSTGRES_STORE_H_
#define REACH_STORE_POSTGRES_STORE_H_

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "store/postgres_util.h"
#include "store/store.h"

namespace reach::store {

struct PostgresStoreOptions {
  // Rows per window appended to score_history at each scored flush.
  size_t history_top_n = 100;
  // Upper bound of rows sent in one execution of a batched statement.
  size_t rows_per_statement = 5000;
  // Wall clock for schema_migrations.applied_at and last_flush. Null: SystemClock. Not owned.
  const Clock* clock = nullptr;
};

class PostgresStore final : public Store {
 public:
  // Connects to `url` (postgres://user[:password]@host[:port]/db[?param=value]) and migrates the
  // database.
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(
      const std::string& url, const PostgresStoreOptions& options = {});

  ~PostgresStore() override = default;

  [[nodiscard]] absl::Status Write(const engine::StoreBatch& batch) override;
  [[nodiscard]] StoreStats stats() const override;
  [[nodiscard]] std::string description() const override;

 private:
  PostgresStore(std::string url, const PostgresStoreOptions& options);
  // Connects (when not connected), migrates and prepares the statements.
  absl::Status EnsureConnected();
  absl::StatusOr<int64_t> WriteRows(const engine::StoreBatch& batch);
  absl::StatusOr<int64_t> WriteScores(const engine::Snapshot& snapshot);

  const std::string url_;
  const PostgresStoreOptions options_;
  const Clock* clock_;
  PgConn conn_;  // empty until connected; reset when the connection is lost

  mutable std::mutex stats_mu_;
  StoreStats stats_;  // guarded by stats_mu_
};

// The newest schema version recorded in the database; 0 when it has no schema_migrations table.
absl::StatusOr<int64_t> PostgresSchemaVersion(PgConn& conn);

// Brings the database to LatestSchemaVersion() in one transaction under an advisory lock.
// FailedPrecondition for a newer database.
absl::Status MigratePostgres(PgConn& conn, const Clock& clock);

}  // namespace reach::store

#endif  // REACH_STORE_POSTGRES_STORE_H_
