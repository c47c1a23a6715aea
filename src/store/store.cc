#include "store/store.h"

#include <string_view>

#include <fmt/format.h>

#include "store/postgres_read_model.h"
#include "store/postgres_store.h"
#include "store/sqlite_read_model.h"
#include "store/sqlite_store.h"

namespace reach::store {
namespace {

enum class Backend { kSqlite, kPostgres };

struct Location {
  Backend backend = Backend::kSqlite;
  std::string target;  // SQLite: the file path; PostgreSQL: the URL
};

absl::StatusOr<Location> ParseLocation(const std::string& location) {
  std::string_view text = location;
  if (IsPostgresUrl(text)) return Location{Backend::kPostgres, location};
  if (text.starts_with("sqlite:")) text.remove_prefix(std::string_view("sqlite:").size());
  if (text.empty()) {
    return absl::InvalidArgumentError(fmt::format(
        "store location '{}' has no database path (use sqlite:PATH or PATH)", location));
  }
  return Location{Backend::kSqlite, std::string(text)};
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& location) {
  REACH_ASSIGN_OR_RETURN(Location loc, ParseLocation(location));
  if (loc.backend == Backend::kPostgres) {
    REACH_ASSIGN_OR_RETURN(std::unique_ptr<PostgresStore> store, PostgresStore::Open(loc.target));
    return std::unique_ptr<Store>(std::move(store));
  }
  REACH_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store, SqliteStore::Open(loc.target));
  return std::unique_ptr<Store>(std::move(store));
}

absl::StatusOr<std::unique_ptr<engine::ReadModel>> OpenReadModel(const std::string& location) {
  REACH_ASSIGN_OR_RETURN(Location loc, ParseLocation(location));
  if (loc.backend == Backend::kPostgres) {
    REACH_ASSIGN_OR_RETURN(std::unique_ptr<PostgresReadModel> model,
                           PostgresReadModel::Open(loc.target));
    return std::unique_ptr<engine::ReadModel>(std::move(model));
  }
  REACH_ASSIGN_OR_RETURN(std::unique_ptr<SqliteReadModel> model, SqliteReadModel::Open(loc.target));
  return std::unique_ptr<engine::ReadModel>(std::move(model));
}

}  // namespace reach::store
