#include "store/export.h"

#include <cstdlib>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "common/json_writer.h"
#include "store/migrations.h"
#include "store/postgres_store.h"
#include "store/postgres_util.h"
#include "store/sqlite_store.h"
#include "store/sqlite_util.h"

namespace reach::store {
namespace {

// The first schema version that has the views.
constexpr int kViewsSchemaVersion = 2;

constexpr ExportableView kViews[] = {
    {"v_influencers", "win, rank, user_id",
     "current leaderboard of every window with score components and profile"},
    {"v_score_history", "as_of_us, win, rank, user_id",
     "top rows of each window at every scored flush"},
    {"v_cascades", "root_id", "cascade summaries with the root author's handle"},
    {"v_topic_trends", "as_of_us, win, topic", "topic counts and sentiment per snapshot"},
};

constexpr std::string_view kFormats[] = {"csv", "ndjson"};

enum class Kind { kNull, kInt, kDouble, kText };

struct Value {
  Kind kind = Kind::kNull;
  int64_t i = 0;
  double d = 0;
  std::string_view text;
};

class RowWriter {
 public:
  RowWriter(bool csv, std::FILE* out) : csv_(csv), out_(out) {}

  absl::Status Header(const std::vector<std::string>& columns) {
    columns_ = columns;
    ids_.clear();
    for (const std::string& c : columns) ids_.push_back(c.ends_with("_id"));
    if (!csv_) return absl::OkStatus();
    line_.clear();
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) line_.push_back(',');
      AppendCsvField(columns[i]);
    }
    line_ += "\r\n";
    return Flush();
  }

  absl::Status Row(const std::vector<Value>& values) {
    line_.clear();
    if (csv_) {
      for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0) line_.push_back(',');
        const Value& v = values[i];
        switch (v.kind) {
          case Kind::kNull:
            break;
          case Kind::kInt:
            line_ +=
                ids_[i] ? fmt::format("{}", static_cast<uint64_t>(v.i)) : fmt::format("{}", v.i);
            break;
          case Kind::kDouble:
            line_ += fmt::format("{}", v.d);
            break;
          case Kind::kText:
            AppendCsvField(v.text);
            break;
        }
      }
      line_ += "\r\n";
      return Flush();
    }
    JsonWriter w;
    w.BeginObject();
    for (size_t i = 0; i < values.size(); ++i) {
      w.Key(columns_[i]);
      const Value& v = values[i];
      switch (v.kind) {
        case Kind::kNull:
          w.Null();
          break;
        case Kind::kInt:
          if (ids_[i]) {
            w.String(fmt::format("{}", static_cast<uint64_t>(v.i)));
          } else {
            w.Int(v.i);
          }
          break;
        case Kind::kDouble:
          w.Double(v.d);
          break;
        case Kind::kText:
          w.String(v.text);
          break;
      }
    }
    w.EndObject();
    line_ = std::move(w).Take();
    line_.push_back('\n');
    return Flush();
  }

 private:
  void AppendCsvField(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
      line_ += s;
      return;
    }
    line_.push_back('"');
    for (char c : s) {
      if (c == '"') line_.push_back('"');
      line_.push_back(c);
    }
    line_.push_back('"');
  }

  absl::Status Flush() {
    if (std::fwrite(line_.data(), 1, line_.size(), out_) != line_.size()) {
      return absl::DataLossError("export: writing the output failed");
    }
    return absl::OkStatus();
  }

  bool csv_;
  std::FILE* out_;
  std::vector<std::string> columns_;
  std::vector<bool> ids_;
  std::string line_;
};

absl::Status CheckVersion(int64_t version, std::string_view where) {
  REACH_RETURN_IF_ERROR(CheckSchemaVersion(version));
  if (version < kViewsSchemaVersion) {
    return absl::FailedPreconditionError(fmt::format(
        "export: {} has schema version {}, the views need {}; run reach with this store first",
        where, version, kViewsSchemaVersion));
  }
  return absl::OkStatus();
}

absl::Status ExportSqlite(const std::string& path, const std::string& sql, RowWriter& writer) {
  REACH_ASSIGN_OR_RETURN(SqliteDb db, SqliteDb::Open(path, SQLITE_OPEN_READONLY));
  REACH_ASSIGN_OR_RETURN(int64_t version, SqliteSchemaVersion(db));
  REACH_RETURN_IF_ERROR(CheckVersion(version, path));
  sqlite3_stmt* raw = nullptr;
  // SqliteStatement has no column metadata; a raw statement reads names and storage classes.
  if (int rc = sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw, nullptr); rc != SQLITE_OK) {
    return SqliteError(rc, sql, sqlite3_errmsg(db.get()));
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(raw, sqlite3_finalize);
  std::vector<std::string> columns;
  const int n = sqlite3_column_count(raw);
  for (int c = 0; c < n; ++c) columns.emplace_back(sqlite3_column_name(raw, c));
  REACH_RETURN_IF_ERROR(writer.Header(columns));
  std::vector<Value> values(static_cast<size_t>(n));
  while (true) {
    const int rc = sqlite3_step(raw);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return SqliteError(rc, sql, sqlite3_errmsg(db.get()));
    for (int c = 0; c < n; ++c) {
      Value& v = values[static_cast<size_t>(c)];
      switch (sqlite3_column_type(raw, c)) {
        case SQLITE_INTEGER:
          v = {Kind::kInt, sqlite3_column_int64(raw, c), 0, {}};
          break;
        case SQLITE_FLOAT:
          v = {Kind::kDouble, 0, sqlite3_column_double(raw, c), {}};
          break;
        case SQLITE_NULL:
          v = {};
          break;
        default: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(raw, c));
          v = {Kind::kText, 0, 0,
               std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(raw, c)))};
        }
      }
    }
    REACH_RETURN_IF_ERROR(writer.Row(values));
  }
  return absl::OkStatus();
}

absl::Status ExportPostgres(const std::string& url, const std::string& sql, RowWriter& writer) {
  REACH_ASSIGN_OR_RETURN(PgConn conn, PgConn::Connect(url));
  REACH_ASSIGN_OR_RETURN(int64_t version, PostgresSchemaVersion(conn));
  REACH_RETURN_IF_ERROR(CheckVersion(version, RedactPostgresUrl(url)));
  REACH_ASSIGN_OR_RETURN(PgResult r, conn.Query(sql));
  std::vector<std::string> columns;
  std::vector<Kind> kinds;
  for (int c = 0; c < r.columns(); ++c) {
    columns.emplace_back(r.ColumnName(c));
    switch (r.ColumnType(c)) {
      case 20:  // int8
      case 21:  // int2
      case 23:  // int4
        kinds.push_back(Kind::kInt);
        break;
      case 700:   // float4
      case 701:   // float8
      case 1700:  // numeric
        kinds.push_back(Kind::kDouble);
        break;
      default:
        kinds.push_back(Kind::kText);
    }
  }
  REACH_RETURN_IF_ERROR(writer.Header(columns));
  std::vector<Value> values(columns.size());
  for (int i = 0; i < r.rows(); ++i) {
    for (int c = 0; c < r.columns(); ++c) {
      Value& v = values[static_cast<size_t>(c)];
      if (r.IsNull(i, c)) {
        v = {};
      } else if (kinds[static_cast<size_t>(c)] == Kind::kInt) {
        v = {Kind::kInt, r.Int64(i, c), 0, {}};
      } else if (kinds[static_cast<size_t>(c)] == Kind::kDouble) {
        v = {Kind::kDouble, 0, r.Double(i, c), {}};
      } else {
        v = {Kind::kText, 0, 0, r.Text(i, c)};
      }
    }
    REACH_RETURN_IF_ERROR(writer.Row(values));
  }
  return absl::OkStatus();
}

template <class Items, class Name>
std::string JoinNames(const Items& items, Name name) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += name(item);
  }
  return out;
}

}  // namespace

std::span<const ExportableView> ExportableViews() { return kViews; }

std::span<const std::string_view> ExportFormats() { return kFormats; }

absl::Status ExportView(const std::string& location, std::string_view view, std::string_view format,
                        std::FILE* out) {
  const ExportableView* found = nullptr;
  for (const ExportableView& v : kViews) {
    if (v.name == view) found = &v;
  }
  if (found == nullptr) {
    return absl::InvalidArgumentError(
        fmt::format("export: unknown view '{}'; known views: {}", view,
                    JoinNames(kViews, [](const ExportableView& v) { return v.name; })));
  }
  if (format != "csv" && format != "ndjson") {
    return absl::InvalidArgumentError(
        fmt::format("export: unknown format '{}'; known formats: {}", format,
                    JoinNames(kFormats, [](std::string_view f) { return f; })));
  }
  const std::string sql = fmt::format("SELECT * FROM {} ORDER BY {}", found->name, found->order_by);
  RowWriter writer(format == "csv", out);
  if (IsPostgresUrl(location)) return ExportPostgres(location, sql, writer);
  std::string_view path = location;
  if (path.starts_with("sqlite:")) path.remove_prefix(std::string_view("sqlite:").size());
  if (path.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("export: store location '{}' has no database path", location));
  }
  return ExportSqlite(std::string(path), sql, writer);
}

}  // namespace reach::store
