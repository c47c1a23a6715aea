// Thin RAII wrappers over the sqlite3 C API: SqliteDb owns a connection, SqliteStatement owns a
// prepared statement. They turn SQLite result codes into absl::Status values carrying the
// connection's error message, and nothing more: no query building, no type mapping beyond the
// column types the store uses (64-bit integers, doubles, UTF-8 text).
//
//   REACH_ASSIGN_OR_RETURN(SqliteDb db, SqliteDb::Open(path, SQLITE_OPEN_READWRITE));
//   REACH_ASSIGN_OR_RETURN(SqliteStatement st, db.Prepare("SELECT value FROM t WHERE k = ?"));
//   REACH_RETURN_IF_ERROR(st.BindAll(std::string_view("x")));
//   REACH_ASSIGN_OR_RETURN(bool row, st.Step());
//
// Thread safety: neither type is thread-safe; a connection and its statements belong to one thread
// at a time (callers that share one guard it with a mutex). Connections are opened with
// SQLITE_OPEN_NOMUTEX for that reason.
// Ownership: a statement must be destroyed before the connection it was prepared on.
// Errors: SQLITE_BUSY and SQLITE_LOCKED become Unavailable (another connection holds the lock
// beyond the busy timeout; retrying later may succeed); every other failure becomes Internal with
// the SQLite message (and the statement text where one is involved).
// Ids: UserId/PostId are unsigned 64-bit; they are stored as signed BIGINT with the same bits
// (ToSql/FromSql), so hashed ids above 2^63 appear negative in SQL but round-trip exactly.
#ifndef REACH_STORE_SQLITE_UTIL_H_
#define REACH_STORE_SQLITE_UTIL_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "common/ids.h"
#include "common/status.h"
#include "common/time.h"

namespace reach::store {

// Maps a SQLite result code and message to a status (see the header comment).
absl::Status SqliteError(int rc, std::string_view what, std::string_view message);

template <class Tag>
constexpr int64_t ToSql(StrongId<Tag> id) {
  return static_cast<int64_t>(id.value);
}
template <class Id>
constexpr Id IdFromSql(int64_t v) {
  return Id{static_cast<uint64_t>(v)};
}

class SqliteStatement {
 public:
  SqliteStatement() = default;
  SqliteStatement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  ~SqliteStatement();
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Bind by 1-based parameter index. Text is copied (SQLITE_TRANSIENT).
  absl::Status BindInt64(int index, int64_t v);
  absl::Status BindDouble(int index, double v);
  absl::Status BindText(int index, std::string_view v);
  absl::Status BindNull(int index);
  // Binds parameters 1..N in order. Accepts integers (any width, bool), doubles, strings,
  // UserId/PostId (see ToSql) and EventTime (micros).
  template <class... Args>
  absl::Status BindAll(const Args&... args) {
    absl::Status status;
    [[maybe_unused]] int index = 0;
    ((status.ok() ? (void)(status = BindOne(++index, args)) : (void)0), ...);
    return status;
  }

  // Advances: true when a row is available, false when the statement is done.
  absl::StatusOr<bool> Step();
  // Steps to completion and resets; returns the number of rows the statement changed.
  absl::StatusOr<int64_t> Execute();
  // Resets for another execution and clears bindings.
  void Reset();

  [[nodiscard]] int64_t ColumnInt64(int col) const;
  [[nodiscard]] double ColumnDouble(int col) const;
  [[nodiscard]] std::string ColumnText(int col) const;
  [[nodiscard]] bool ColumnIsNull(int col) const;

  [[nodiscard]] std::string_view sql() const;
  [[nodiscard]] bool valid() const { return stmt_ != nullptr; }

 private:
  template <class T>
  absl::Status BindOne(int index, const T& v) {
    if constexpr (std::is_same_v<T, EventTime>) {
      return BindInt64(index, v.micros);
    } else if constexpr (std::is_integral_v<T>) {
      return BindInt64(index, static_cast<int64_t>(v));
    } else if constexpr (std::is_floating_point_v<T>) {
      return BindDouble(index, v);
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
      return BindText(index, std::string_view(v));
    } else {
      return BindInt64(index, ToSql(v));
    }
  }
  absl::Status Check(int rc, std::string_view what) const;

  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
};

class SqliteDb {
 public:
  SqliteDb() = default;
  ~SqliteDb();
  SqliteDb(SqliteDb&& other) noexcept;
  SqliteDb& operator=(SqliteDb&& other) noexcept;
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Opens a connection; `flags` are SQLITE_OPEN_* (SQLITE_OPEN_NOMUTEX is added). Sets the busy
  // timeout. Unavailable when the file cannot be opened.
  static absl::StatusOr<SqliteDb> Open(const std::string& path, int flags,
                                       int busy_timeout_ms = 5000);

  // Runs one or more statements without results.
  absl::Status Exec(std::string_view sql);
  // Prepares a statement; `persistent` hints SQLite that it will be reused many times.
  absl::StatusOr<SqliteStatement> Prepare(std::string_view sql, bool persistent = false);
  // Runs a query that yields one integer in its first row (e.g. a COUNT or a pragma); `fallback`
  // when there is no row or the value is NULL.
  absl::StatusOr<int64_t> QueryInt64(std::string_view sql, int64_t fallback = 0);

  [[nodiscard]] sqlite3* get() const { return db_; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace reach::store

#endif  // REACH_STORE_SQLITE_UTIL_H_
