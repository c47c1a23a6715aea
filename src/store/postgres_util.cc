#include "store/postgres_util.h"

#include <charconv>
#include <cstdlib>
#include <utility>

#include <fmt/format.h>

namespace reach::store {
namespace {

// SQLSTATEs after which the same statement may succeed later (the server is back, the lock or the
// conflicting transaction is gone).
bool IsTransient(std::string_view sqlstate) {
  return sqlstate.starts_with("08") ||  // connection exception
         sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03" ||  // shutdown, starting
         sqlstate == "53300" ||                       // too many connections
         sqlstate == "40001" || sqlstate == "40P01";  // serialization, deadlock
}

std::string_view Trim(const char* message) {
  std::string_view m = message != nullptr ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.remove_suffix(1);
  return m;
}

void AppendWithoutNul(std::string* out, std::string_view v) {
  for (char c : v) {
    if (c != '\0') out->push_back(c);
  }
}

}  // namespace

bool IsPostgresUrl(std::string_view location) {
  return location.starts_with("postgres://") || location.starts_with("postgresql://");
}

std::string RedactPostgresUrl(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const size_t start = scheme + 3;
  const size_t at = url.find('@', start);
  const size_t slash = url.find('/', start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) {
    return std::string(url);
  }
  const size_t colon = url.find(':', start);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return fmt::format("{}:***{}", url.substr(0, colon), url.substr(at));
}

// --- PgResult ----------------------------------------------------------------------------------

PgResult::~PgResult() {
  if (r_ != nullptr) PQclear(r_);
}

PgResult::PgResult(PgResult&& other) noexcept : r_(std::exchange(other.r_, nullptr)) {}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (r_ != nullptr) PQclear(r_);
    r_ = std::exchange(other.r_, nullptr);
  }
  return *this;
}

int PgResult::rows() const { return r_ != nullptr ? PQntuples(r_) : 0; }
int PgResult::columns() const { return r_ != nullptr ? PQnfields(r_) : 0; }
bool PgResult::IsNull(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }

std::string_view PgResult::Text(int row, int col) const {
  return {PQgetvalue(r_, row, col), static_cast<size_t>(PQgetlength(r_, row, col))};
}

int64_t PgResult::Int64(int row, int col) const {
  std::string_view t = Text(row, col);
  int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

double PgResult::Double(int row, int col) const {
  if (IsNull(row, col)) return 0.0;
  // PQgetvalue is NUL-terminated; strtod accepts "Infinity" and "NaN" as PostgreSQL writes them.
  return std::strtod(PQgetvalue(r_, row, col), nullptr);
}

std::string_view PgResult::ColumnName(int col) const { return PQfname(r_, col); }
Oid PgResult::ColumnType(int col) const { return PQftype(r_, col); }

int64_t PgResult::AffectedRows() const {
  if (r_ == nullptr) return 0;
  std::string_view t = PQcmdTuples(r_);
  int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

// --- PgParams / PgArray ------------------------------------------------------------------------

void PgParams::AddText(std::string_view v) {
  std::string s;
  s.reserve(v.size());
  AppendWithoutNul(&s, v);
  AddRaw(std::move(s));
}

void PgParams::AddDouble(double v) { AddRaw(fmt::format("{}", v)); }

std::vector<const char*> PgParams::Pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) {
    out.push_back(null_[i] ? nullptr : values_[i].c_str());
  }
  return out;
}

void PgArray::Separator() {
  text_.push_back(count_ == 0 ? '{' : ',');
  ++count_;
}

void PgArray::Int64(int64_t v) {
  Separator();
  fmt::format_to(std::back_inserter(text_), "{}", v);
}

void PgArray::Double(double v) {
  Separator();
  // Shortest round-trip form; "inf"/"nan" are accepted by float8in.
  fmt::format_to(std::back_inserter(text_), "{}", v);
}

void PgArray::Text(std::string_view v) {
  Separator();
  text_.push_back('"');
  for (char c : v) {
    if (c == '\0') continue;
    if (c == '"' || c == '\\') text_.push_back('\\');
    text_.push_back(c);
  }
  text_.push_back('"');
}

std::string PgArray::Take() {
  std::string out = count_ == 0 ? std::string("{}") : std::move(text_) + "}";
  text_.clear();
  count_ = 0;
  return out;
}

// --- PgConn ------------------------------------------------------------------------------------

PgConn::~PgConn() {
  if (conn_ != nullptr) PQfinish(conn_);
}

PgConn::PgConn(PgConn&& other) noexcept : conn_(std::exchange(other.conn_, nullptr)) {}

PgConn& PgConn::operator=(PgConn&& other) noexcept {
  if (this != &other) {
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = std::exchange(other.conn_, nullptr);
  }
  return *this;
}

absl::StatusOr<PgConn> PgConn::Connect(const std::string& url) {
  // Defaults first: values from the URL (expanded from dbname) override them.
  const char* keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname",
                        nullptr};
  const char* values[] = {"5", "reach", "UTF8", url.c_str(), nullptr};
  PgConn conn(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
  if (conn.conn_ == nullptr) {
    return absl::ResourceExhaustedError("postgres: out of memory allocating a connection");
  }
  if (PQstatus(conn.conn_) != CONNECTION_OK) {
    return absl::UnavailableError(fmt::format("postgres: cannot connect to {}: {}",
                                              RedactPostgresUrl(url),
                                              Trim(PQerrorMessage(conn.conn_))));
  }
  return conn;
}

absl::StatusOr<PgResult> PgConn::Check(PGresult* raw, std::string_view what) const {
  PgResult result(raw);
  const ExecStatusType status = raw != nullptr ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    return result;
  }
  const char* state = raw != nullptr ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view sqlstate = state != nullptr ? state : "";
  const std::string_view message = raw != nullptr && PQresultErrorMessage(raw)[0] != '\0'
                                       ? Trim(PQresultErrorMessage(raw))
                                       : Trim(PQerrorMessage(conn_));
  std::string text = fmt::format("postgres: {}: {}{}{}", what, message,
                                 sqlstate.empty() ? "" : " SQLSTATE ", sqlstate);
  if (PQstatus(conn_) != CONNECTION_OK || IsTransient(sqlstate)) {
    return absl::UnavailableError(std::move(text));
  }
  return absl::InternalError(std::move(text));
}

absl::Status PgConn::Exec(std::string_view sql) { return Query(sql).status(); }

absl::StatusOr<PgResult> PgConn::Query(std::string_view sql) {
  const std::string text(sql);
  return Check(PQexec(conn_, text.c_str()), text);
}

absl::StatusOr<PgResult> PgConn::QueryParams(std::string_view sql, const PgParams& params) {
  const std::string text(sql);
  const std::vector<const char*> values = params.Pointers();
  return Check(PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                            values.data(), nullptr, nullptr, 0),
               text);
}

absl::Status PgConn::Prepare(const std::string& name, std::string_view sql) {
  const std::string text(sql);
  return Check(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr),
               fmt::format("prepare {} [{}]", name, text))
      .status();
}

absl::StatusOr<PgResult> PgConn::ExecPrepared(const std::string& name, const PgParams& params) {
  const std::vector<const char*> values = params.Pointers();
  return Check(PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(),
                              nullptr, nullptr, 0),
               name);
}

bool PgConn::healthy() const { return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK; }

bool PgConn::in_transaction() const {
  return conn_ != nullptr && PQtransactionStatus(conn_) != PQTRANS_IDLE;
}

}  // namespace reach::store
