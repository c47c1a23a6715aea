// Thin RAII wrappers over the libpq C API for the PostgreSQL store: PgConn owns a connection,
// PgResult owns a result, PgParams holds the text parameters of one execution and PgArray builds
// one array literal (`{1,2,3}`, `{"a","b"}`) so that a whole column of a batch is one parameter of
// a prepared `INSERT ... SELECT * FROM unnest($1::bigint[], ...)`.
//
//   REACH_ASSIGN_OR_RETURN(PgConn conn, PgConn::Connect("postgres://reach@db:5432/reach"));
//   REACH_RETURN_IF_ERROR(conn.Prepare("get", "SELECT value FROM engine_state WHERE key = $1"));
//   PgParams params;
//   params.Add(std::string_view("as_of_us"));
//   REACH_ASSIGN_OR_RETURN(PgResult r, conn.ExecPrepared("get", params));
//
// libpq rather than libpqxx: no exceptions to translate, and the connection status and SQLSTATE
// that decide between "retry later" and "bug" are read directly.
//
// Thread safety: neither type is thread-safe; a connection and its results belong to one thread at
// a time (callers that share one guard it with a mutex).
// Errors: a lost or refused connection (CONNECTION_BAD, SQLSTATE class 08, 57P01..57P03 shutdown,
// 53300 too many connections) and serialization failures (40001, 40P01) become Unavailable:
// retrying later may succeed. Every other failure becomes Internal with the server's message and
// the statement (or prepared statement name) involved.
// Ids: stored as BIGINT with the bits of the unsigned id, as in SQLite (see sqlite_util.h ToSql).
// Text: NUL bytes, which PostgreSQL text cannot hold, are dropped when encoding parameters.
#ifndef REACH_STORE_POSTGRES_UTIL_H_
#define REACH_STORE_POSTGRES_UTIL_H_

#include <libpq-fe.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/ids.h"
#include "common/status.h"
#include "common/time.h"

namespace reach::store {

// True for a location the PostgreSQL backend handles ("postgres://..." or "postgresql://...").
bool IsPostgresUrl(std::string_view location);

// The URL with any password replaced by "***", for logs and descriptions.
std::string RedactPostgresUrl(std::string_view url);

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* r) : r_(r) {}
  ~PgResult();
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  [[nodiscard]] int rows() const;
  [[nodiscard]] int columns() const;
  [[nodiscard]] bool IsNull(int row, int col) const;
  [[nodiscard]] std::string_view Text(int row, int col) const;
  // Parses the value; 0 (or 0.0) for NULL or a value that is not a number.
  [[nodiscard]] int64_t Int64(int row, int col) const;
  [[nodiscard]] double Double(int row, int col) const;
  [[nodiscard]] std::string_view ColumnName(int col) const;
  [[nodiscard]] Oid ColumnType(int col) const;
  // Rows changed by an INSERT/UPDATE/DELETE (PQcmdTuples); 0 for other commands.
  [[nodiscard]] int64_t AffectedRows() const;

 private:
  PGresult* r_ = nullptr;
};

// Text-format parameters of one execution. Add accepts integers (any width, bool), doubles,
// strings, UserId/PostId (as BIGINT bits) and EventTime (micros).
class PgParams {
 public:
  void AddNull() {
    values_.emplace_back();
    null_.push_back(true);
  }
  void AddText(std::string_view v);
  void AddInt64(int64_t v) { AddRaw(std::to_string(v)); }
  void AddDouble(double v);
  template <class T>
  void Add(const T& v) {
    if constexpr (std::is_same_v<T, EventTime>) {
      AddInt64(v.micros);
    } else if constexpr (std::is_integral_v<T>) {
      AddInt64(static_cast<int64_t>(v));
    } else if constexpr (std::is_floating_point_v<T>) {
      AddDouble(v);
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
      AddText(std::string_view(v));
    } else {
      AddInt64(static_cast<int64_t>(v.value));
    }
  }
  template <class... Args>
  static PgParams Of(const Args&... args) {
    PgParams p;
    (p.Add(args), ...);
    return p;
  }
  // Moves an already encoded value (e.g. a PgArray literal) in as the next parameter.
  void AddRaw(std::string v) {
    values_.push_back(std::move(v));
    null_.push_back(false);
  }

  [[nodiscard]] size_t size() const { return values_.size(); }
  // Pointers valid until the next Add; NULL entries are nullptr.
  [[nodiscard]] std::vector<const char*> Pointers() const;

 private:
  std::vector<std::string> values_;
  std::vector<bool> null_;
};

// Builds a one-dimensional array literal in PostgreSQL's text format. Every text element is quoted
// and escaped, so any string (commas, braces, quotes, backslashes, "NULL") round-trips.
class PgArray {
 public:
  void Int64(int64_t v);
  void Double(double v);
  void Text(std::string_view v);
  template <class Tag>
  void Id(StrongId<Tag> id) {
    Int64(static_cast<int64_t>(id.value));
  }
  [[nodiscard]] size_t size() const { return count_; }
  // The literal ("{}" when empty); leaves the builder empty.
  std::string Take();

 private:
  void Separator();
  std::string text_;
  size_t count_ = 0;
};

class PgConn {
 public:
  PgConn() = default;
  ~PgConn();
  PgConn(PgConn&& other) noexcept;
  PgConn& operator=(PgConn&& other) noexcept;
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  // Connects with client_encoding UTF8, application_name "reach" and a 5 s connect timeout (both
  // overridable in the URL's query string). Unavailable when the server cannot be reached or
  // refuses the login.
  static absl::StatusOr<PgConn> Connect(const std::string& url);

  // Runs a statement without parameters (transaction control, DDL), discarding rows.
  absl::Status Exec(std::string_view sql);
  // Runs a query without parameters and returns its rows.
  absl::StatusOr<PgResult> Query(std::string_view sql);
  // Runs an unnamed statement with parameters ($1..$N).
  absl::StatusOr<PgResult> QueryParams(std::string_view sql, const PgParams& params);
  // Prepares a named statement on this connection.
  absl::Status Prepare(const std::string& name, std::string_view sql);
  absl::StatusOr<PgResult> ExecPrepared(const std::string& name, const PgParams& params);

  // False once the connection is lost (the caller reconnects).
  [[nodiscard]] bool healthy() const;
  // True while a transaction is open or failed (not idle).
  [[nodiscard]] bool in_transaction() const;
  [[nodiscard]] PGconn* get() const { return conn_; }

 private:
  explicit PgConn(PGconn* conn) : conn_(conn) {}
  absl::StatusOr<PgResult> Check(PGresult* r, std::string_view what) const;

  PGconn* conn_ = nullptr;
};

}  // namespace reach::store

#endif  // REACH_STORE_POSTGRES_UTIL_H_
