// The store's schema as a numbered list of migrations, shared by every backend (SQLite and
// PostgreSQL run the same statements). Migration N moves a database from schema version N-1 to N;
// version 0 is an empty database. The versions applied are recorded in
//   schema_migrations(version INTEGER PRIMARY KEY, applied_at TEXT)
// with applied_at an RFC 3339 UTC wall-clock time.
//
// The SQL here is portable (SQLite 3.24+ and PostgreSQL 11+): only the types BIGINT, INTEGER,
// DOUBLE PRECISION and TEXT, plain CREATE TABLE / CREATE INDEX, no AUTOINCREMENT, WITHOUT ROWID or
// pragmas. Backend-specific settings (WAL, synchronous) belong to the backend that opens the
// database. Ids are stored as BIGINT with the bits of the unsigned 64-bit id; times as BIGINT
// microseconds since the Unix epoch (columns ending in _us). "window" is reserved in PostgreSQL,
// so window columns are named `win` and hold "15m", "1h", "24h" or "all".
//
// A migration, once released, never changes: new schema needs a new number appended to the list.
// Thread safety: the list is immutable; every function here may be called from any thread.
#ifndef REACH_STORE_MIGRATIONS_H_
#define REACH_STORE_MIGRATIONS_H_

#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace reach::store {

struct Migration {
  int version = 0;
  std::string_view description;
  // Statements run in order inside one transaction, together with the schema_migrations insert.
  std::vector<std::string_view> statements;
};

// Creates the bookkeeping table; safe to run on every open.
inline constexpr std::string_view kCreateSchemaMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)";

// Every migration, in increasing version order starting at 1 with no gaps.
std::span<const Migration> AllMigrations();

// The newest schema version this program knows.
int LatestSchemaVersion();

// OK when a database at `db_version` can be used (after applying the migrations above it);
// FailedPrecondition when it was written by a newer program (db_version > LatestSchemaVersion()),
// InvalidArgument for a negative version.
absl::Status CheckSchemaVersion(int64_t db_version);

}  // namespace reach::store

#endif  // REACH_STORE_MIGRATIONS_H_
