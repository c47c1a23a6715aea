#include "store/sqlite_util.h"

#include <utility>

#include <fmt/format.h>

namespace reach::store {

absl::Status SqliteError(int rc, std::string_view what, std::string_view message) {
  std::string text = fmt::format("sqlite: {}: {} ({})", what, message, sqlite3_errstr(rc));
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return absl::UnavailableError(std::move(text));
  }
  return absl::InternalError(std::move(text));
}

// --- SqliteStatement ---------------------------------------------------------------------------

SqliteStatement::~SqliteStatement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), db_(std::exchange(other.db_, nullptr)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

absl::Status SqliteStatement::Check(int rc, std::string_view what) const {
  if (rc == SQLITE_OK) return absl::OkStatus();
  return SqliteError(rc, fmt::format("{} [{}]", what, sql()), sqlite3_errmsg(db_));
}

absl::Status SqliteStatement::BindInt64(int index, int64_t v) {
  return Check(sqlite3_bind_int64(stmt_, index, v), "bind");
}

absl::Status SqliteStatement::BindDouble(int index, double v) {
  return Check(sqlite3_bind_double(stmt_, index, v), "bind");
}

absl::Status SqliteStatement::BindText(int index, std::string_view v) {
  return Check(sqlite3_bind_text64(stmt_, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
               "bind");
}

absl::Status SqliteStatement::BindNull(int index) {
  return Check(sqlite3_bind_null(stmt_, index), "bind");
}

absl::StatusOr<bool> SqliteStatement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  absl::Status status = SqliteError(rc, fmt::format("step [{}]", sql()), sqlite3_errmsg(db_));
  sqlite3_reset(stmt_);
  return status;
}

absl::StatusOr<int64_t> SqliteStatement::Execute() {
  absl::StatusOr<bool> row;
  do {
    row = Step();
  } while (row.ok() && *row);
  const int64_t changes = row.ok() ? sqlite3_changes64(db_) : 0;
  Reset();
  if (!row.ok()) return row.status();
  return changes;
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t SqliteStatement::ColumnInt64(int col) const { return sqlite3_column_int64(stmt_, col); }

double SqliteStatement::ColumnDouble(int col) const { return sqlite3_column_double(stmt_, col); }

std::string SqliteStatement::ColumnText(int col) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (text == nullptr) return {};
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

bool SqliteStatement::ColumnIsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::string_view SqliteStatement::sql() const {
  const char* text = stmt_ != nullptr ? sqlite3_sql(stmt_) : nullptr;
  return text != nullptr ? std::string_view(text) : std::string_view();
}

// --- SqliteDb ----------------------------------------------------------------------------------

SqliteDb::~SqliteDb() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

SqliteDb::SqliteDb(SqliteDb&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

absl::StatusOr<SqliteDb> SqliteDb::Open(const std::string& path, int flags, int busy_timeout_ms) {
  SqliteDb db;
  db.path_ = path;
  const int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db.db_ != nullptr ? sqlite3_errmsg(db.db_) : sqlite3_errstr(rc);
    return absl::UnavailableError(fmt::format("sqlite: cannot open {}: {}", path, message));
  }
  sqlite3_extended_result_codes(db.db_, 1);
  sqlite3_busy_timeout(db.db_, busy_timeout_ms);
  return db;
}

absl::Status SqliteDb::Exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return absl::OkStatus();
  std::string error = message != nullptr ? message : sqlite3_errmsg(db_);
  sqlite3_free(message);
  return SqliteError(rc, fmt::format("exec [{}]", sql), error);
}

absl::StatusOr<SqliteStatement> SqliteDb::Prepare(std::string_view sql, bool persistent) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    persistent ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return SqliteError(rc, fmt::format("prepare [{}]", sql), sqlite3_errmsg(db_));
  }
  return SqliteStatement(stmt, db_);
}

absl::StatusOr<int64_t> SqliteDb::QueryInt64(std::string_view sql, int64_t fallback) {
  REACH_ASSIGN_OR_RETURN(SqliteStatement st, Prepare(sql));
  REACH_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || st.ColumnIsNull(0)) return fallback;
  return st.ColumnInt64(0);
}

}  // namespace reach::store
