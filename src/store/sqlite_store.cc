#include "store/sqlite_store.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "common/log.h"
#include "engine/window.h"
#include "model/event.h"
#include "store/engine_state.h"
#include "store/migrations.h"

namespace reach::store {
namespace {

// The upserts use ON CONFLICT ... DO UPDATE with `excluded`, which SQLite (3.24+) and PostgreSQL
// share.
constexpr std::string_view kUpsertUser =
    "INSERT INTO users (user_id, handle, name, location, followers, following, posts_reported, "
    "verified, created_at_us, observed_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (user_id) DO UPDATE SET handle = excluded.handle, name = excluded.name, "
    "location = excluded.location, followers = excluded.followers, "
    "following = excluded.following, posts_reported = excluded.posts_reported, "
    "verified = excluded.verified, created_at_us = excluded.created_at_us, "
    "observed_us = excluded.observed_us";

constexpr std::string_view kUpsertPost =
    "INSERT INTO posts (post_id, platform, kind, author_id, time_us, text, lang, parent_id, "
    "root_id, in_reply_to_id, depth, country_code, reported_likes, reported_reshares) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (post_id) DO UPDATE SET platform = excluded.platform, kind = excluded.kind, "
    "author_id = excluded.author_id, time_us = excluded.time_us, text = excluded.text, "
    "lang = excluded.lang, parent_id = excluded.parent_id, root_id = excluded.root_id, "
    "in_reply_to_id = excluded.in_reply_to_id, depth = excluded.depth, "
    "country_code = excluded.country_code, reported_likes = excluded.reported_likes, "
    "reported_reshares = excluded.reported_reshares";

constexpr std::string_view kDeletePost = "DELETE FROM posts WHERE post_id = ?";
constexpr std::string_view kDeleteCascade = "DELETE FROM cascades WHERE root_id = ?";

constexpr std::string_view kUpsertCascade =
    "INSERT INTO cascades (root_id, author_id, size, depth, max_breadth, started_us, "
    "last_activity_us) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (root_id) DO UPDATE SET author_id = excluded.author_id, size = excluded.size, "
    "depth = excluded.depth, max_breadth = excluded.max_breadth, "
    "started_us = excluded.started_us, last_activity_us = excluded.last_activity_us";

constexpr std::string_view kClearScores = "DELETE FROM scores";

constexpr std::string_view kInsertScore =
    "INSERT INTO scores (win, user_id, rank, score, c_reshares, c_likes, c_followers, c_depth, "
    "posts, reshares, quotes, replies, likes, mentions, depth, followers, handle, name, "
    "c_pagerank, c_audience, pagerank, audience, h_index, second_level, cascade_nodes, "
    "depth_mean) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

constexpr std::string_view kUpsertHistory =
    "INSERT INTO score_history (as_of_us, win, user_id, rank, score, reshares, likes, followers, "
    "depth) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (user_id, win, as_of_us) DO UPDATE SET rank = excluded.rank, "
    "score = excluded.score, reshares = excluded.reshares, likes = excluded.likes, "
    "followers = excluded.followers, depth = excluded.depth";

constexpr std::string_view kUpsertState =
    "INSERT INTO engine_state (key, value) VALUES (?, ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";

// Runs a prepared statement once with the given parameters; adds its changes to *rows.
template <class... Args>
absl::Status Run(SqliteStatement& st, int64_t* rows, const Args&... args) {
  if (absl::Status bound = st.BindAll(args...); !bound.ok()) {
    st.Reset();
    return bound;
  }
  REACH_ASSIGN_OR_RETURN(int64_t changed, st.Execute());
  *rows += changed;
  return absl::OkStatus();
}

}  // namespace

// --- migrations --------------------------------------------------------------------------------

absl::StatusOr<int64_t> SqliteSchemaVersion(SqliteDb& db) {
  REACH_ASSIGN_OR_RETURN(
      int64_t has_table,
      db.QueryInt64("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                    "name = 'schema_migrations'"));
  if (has_table == 0) return 0;
  return db.QueryInt64("SELECT MAX(version) FROM schema_migrations", 0);
}

absl::Status MigrateSqlite(SqliteDb& db, const Clock& clock) {
  REACH_RETURN_IF_ERROR(db.Exec(kCreateSchemaMigrations));
  REACH_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  auto apply = [&]() -> absl::Status {
    REACH_ASSIGN_OR_RETURN(int64_t version, SqliteSchemaVersion(db));
    REACH_RETURN_IF_ERROR(CheckSchemaVersion(version));
    for (const Migration& m : AllMigrations()) {
      if (m.version <= version) continue;
      for (std::string_view sql : m.statements) REACH_RETURN_IF_ERROR(db.Exec(sql));
      REACH_ASSIGN_OR_RETURN(
          SqliteStatement record,
          db.Prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"));
      REACH_RETURN_IF_ERROR(record.BindAll(m.version, FormatIso8601(clock.Now())));
      REACH_RETURN_IF_ERROR(record.Execute().status());
      log::info("store: {}: applied migration {} ({})", db.path(), m.version, m.description);
    }
    return absl::OkStatus();
  };
  absl::Status status = apply();
  if (!status.ok()) {
    if (sqlite3_get_autocommit(db.get()) == 0) (void)db.Exec("ROLLBACK");
    return status;
  }
  return db.Exec("COMMIT");
}

// --- SqliteStore -------------------------------------------------------------------------------

SqliteStore::SqliteStore(SqliteDb db, const SqliteStoreOptions& options)
    : options_(options),
      clock_(options.clock != nullptr ? options.clock : &SystemClock::Get()),
      db_(std::move(db)) {}

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                               const SqliteStoreOptions& options) {
  if (path.empty()) return absl::InvalidArgumentError("sqlite: empty database path");
  if (path != ":memory:") {
    const std::filesystem::path dir = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!dir.empty() && !std::filesystem::is_directory(dir, ec)) {
      return absl::UnavailableError(
          fmt::format("sqlite: cannot open {}: directory {} does not exist", path, dir.string()));
    }
  }
  REACH_ASSIGN_OR_RETURN(
      SqliteDb db,
      SqliteDb::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, options.busy_timeout_ms));
  // journal_mode answers with the mode in effect ("memory" for an in-memory database).
  REACH_ASSIGN_OR_RETURN(SqliteStatement wal, db.Prepare("PRAGMA journal_mode = WAL"));
  REACH_ASSIGN_OR_RETURN(bool has_mode, wal.Step());
  if (has_mode && wal.ColumnText(0) != "wal" && path != ":memory:") {
    log::warn("store: {}: WAL journaling unavailable, using {}", path, wal.ColumnText(0));
  }
  wal.Reset();
  REACH_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous = NORMAL"));

  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db), options));
  REACH_RETURN_IF_ERROR(MigrateSqlite(store->db_, *store->clock_));
  REACH_RETURN_IF_ERROR(store->PrepareStatements());
  return store;
}

absl::Status SqliteStore::PrepareStatements() {
  struct Entry {
    SqliteStatement* target;
    std::string_view sql;
  };
  const Entry entries[] = {
      {&begin_, "BEGIN IMMEDIATE"},       {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},           {&upsert_user_, kUpsertUser},
      {&upsert_post_, kUpsertPost},       {&delete_post_, kDeletePost},
      {&delete_cascade_, kDeleteCascade}, {&upsert_cascade_, kUpsertCascade},
      {&clear_scores_, kClearScores},     {&insert_score_, kInsertScore},
      {&upsert_history_, kUpsertHistory}, {&upsert_state_, kUpsertState},
  };
  for (const Entry& e : entries) {
    REACH_ASSIGN_OR_RETURN(*e.target, db_.Prepare(e.sql, /*persistent=*/true));
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::Write(const engine::StoreBatch& batch) {
  absl::StatusOr<int64_t> rows = [&]() -> absl::StatusOr<int64_t> {
    REACH_RETURN_IF_ERROR(begin_.Execute().status());
    absl::StatusOr<int64_t> written = WriteRows(batch);
    if (written.ok()) {
      absl::Status committed = commit_.Execute().status();
      if (committed.ok()) return written;
      written = std::move(committed);
    }
    if (absl::Status rolled_back = Rollback(); !rolled_back.ok()) {
      log::error("store: {}: rollback failed: {}", db_.path(), rolled_back.ToString());
    }
    return written.status();
  }();

  std::lock_guard lock(stats_mu_);
  if (!rows.ok()) {
    ++stats_.failures;
    log::warn("store: {}: flush failed: {}", db_.path(), rows.status().ToString());
    return rows.status();
  }
  ++stats_.flushes;
  stats_.rows_written += *rows;
  stats_.last_flush = batch.flushed_at.known() ? batch.flushed_at : clock_->Now();
  return absl::OkStatus();
}

absl::Status SqliteStore::Rollback() {
  // SQLite may already have rolled back on its own (e.g. SQLITE_FULL); then there is nothing to
  // end.
  if (sqlite3_get_autocommit(db_.get()) != 0) return absl::OkStatus();
  return rollback_.Execute().status();
}

absl::StatusOr<int64_t> SqliteStore::WriteRows(const engine::StoreBatch& batch) {
  int64_t rows = 0;
  for (const engine::UserInfo& u : batch.users) {
    REACH_RETURN_IF_ERROR(Run(upsert_user_, &rows, u.user, u.handle, u.name, u.location,
                              u.followers, u.following, u.posts_reported, u.verified, u.created,
                              u.observed));
  }
  for (const engine::PostRecord& p : batch.posts) {
    REACH_RETURN_IF_ERROR(Run(upsert_post_, &rows, p.id, model::PlatformName(p.platform),
                              model::PostKindName(p.kind), p.author, p.time, p.text, p.lang,
                              p.parent, p.root, p.in_reply_to, p.depth, p.country_code,
                              p.reported_likes, p.reported_reshares));
  }
  for (PostId id : batch.deleted_posts) {
    REACH_RETURN_IF_ERROR(Run(delete_post_, &rows, id));
    REACH_RETURN_IF_ERROR(Run(delete_cascade_, &rows, id));
  }
  for (const engine::CascadeSummary& c : batch.cascades) {
    REACH_RETURN_IF_ERROR(Run(upsert_cascade_, &rows, c.root, c.author, c.size, c.depth,
                              c.max_breadth, c.started, c.last_activity));
  }
  for (PostId id : batch.deleted_cascades) {
    REACH_RETURN_IF_ERROR(Run(delete_cascade_, &rows, id));
  }
  if (batch.scores != nullptr) {
    REACH_ASSIGN_OR_RETURN(int64_t score_rows, WriteScores(*batch.scores));
    rows += score_rows;
  }
  for (const StateEntry& e : EncodeEngineState(batch)) {
    REACH_RETURN_IF_ERROR(Run(upsert_state_, &rows, e.key, e.value));
  }
  return rows;
}

absl::StatusOr<int64_t> SqliteStore::WriteScores(const engine::Snapshot& snapshot) {
  int64_t rows = 0;
  REACH_RETURN_IF_ERROR(Run(clear_scores_, &rows));
  for (engine::Window w : engine::kAllWindows) {
    const std::string_view win = engine::WindowName(w);
    const engine::WindowBoard& board = snapshot.board(w);
    for (const engine::InfluencerRow& r : board.rows) {
      const engine::UserMetrics& m = r.metrics;
      const engine::ScoreComponents& c = r.components;
      REACH_RETURN_IF_ERROR(Run(insert_score_, &rows, win, r.user, r.rank, r.score, c.reshares,
                                c.likes, c.followers, c.depth, m.posts, m.reshares, m.quotes,
                                m.replies, m.likes, m.mentions, m.depth, r.followers, r.handle,
                                r.name, c.pagerank, c.audience, r.pagerank, m.audience, m.h_index,
                                m.second_level, m.cascade_nodes, m.depth_mean));
    }
    const size_t top = std::min(board.rows.size(), options_.history_top_n);
    for (size_t i = 0; i < top; ++i) {
      const engine::InfluencerRow& r = board.rows[i];
      REACH_RETURN_IF_ERROR(Run(upsert_history_, &rows, snapshot.as_of, win, r.user, r.rank,
                                r.score, r.metrics.reshares, r.metrics.likes, r.followers,
                                r.metrics.depth));
    }
  }
  return rows;
}

StoreStats SqliteStore::stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

std::string SqliteStore::description() const { return "sqlite:" + db_.path(); }

}  // namespace reach::store
