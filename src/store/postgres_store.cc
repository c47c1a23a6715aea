#include "store/postgres_store.h"

#include <algorithm>
#include <span>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "absl/container/flat_hash_set.h"
#include "common/log.h"
#include "engine/window.h"
#include "model/event.h"
#include "store/engine_state.h"
#include "store/migrations.h"

namespace reach::store {
namespace {

// Serialises migrations between processes opening one database (an arbitrary constant).
constexpr int64_t kMigrationLockKey = 0x7265616368;  // "reach"

struct Statement {
  const char* name;
  std::string_view sql;
};

constexpr Statement kUpsertUsers = {
    "reach_upsert_users",
    "INSERT INTO users (user_id, handle, name, location, followers, following, posts_reported, "
    "verified, created_at_us, observed_us) "
    "SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], "
    "$6::bigint[], $7::bigint[], $8::integer[], $9::bigint[], $10::bigint[]) "
    "ON CONFLICT (user_id) DO UPDATE SET handle = excluded.handle, name = excluded.name, "
    "location = excluded.location, followers = excluded.followers, "
    "following = excluded.following, posts_reported = excluded.posts_reported, "
    "verified = excluded.verified, created_at_us = excluded.created_at_us, "
    "observed_us = excluded.observed_us"};

constexpr Statement kUpsertPosts = {
    "reach_upsert_posts",
    "INSERT INTO posts (post_id, platform, kind, author_id, time_us, text, lang, parent_id, "
    "root_id, in_reply_to_id, depth, country_code, reported_likes, reported_reshares) "
    "SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], "
    "$6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::bigint[], $11::integer[], "
    "$12::text[], $13::bigint[], $14::bigint[]) "
    "ON CONFLICT (post_id) DO UPDATE SET platform = excluded.platform, kind = excluded.kind, "
    "author_id = excluded.author_id, time_us = excluded.time_us, text = excluded.text, "
    "lang = excluded.lang, parent_id = excluded.parent_id, root_id = excluded.root_id, "
    "in_reply_to_id = excluded.in_reply_to_id, depth = excluded.depth, "
    "country_code = excluded.country_code, reported_likes = excluded.reported_likes, "
    "reported_reshares = excluded.reported_reshares"};

constexpr Statement kDeletePosts = {"reach_delete_posts",
                                    "DELETE FROM posts WHERE post_id = ANY($1::bigint[])"};
constexpr Statement kDeleteCascades = {"reach_delete_cascades",
                                       "DELETE FROM cascades WHERE root_id = ANY($1::bigint[])"};

constexpr Statement kUpsertCascades = {
    "reach_upsert_cascades",
    "INSERT INTO cascades (root_id, author_id, size, depth, max_breadth, started_us, "
    "last_activity_us) "
    "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::integer[], "
    "$5::bigint[], $6::bigint[], $7::bigint[]) "
    "ON CONFLICT (root_id) DO UPDATE SET author_id = excluded.author_id, size = excluded.size, "
    "depth = excluded.depth, max_breadth = excluded.max_breadth, "
    "started_us = excluded.started_us, last_activity_us = excluded.last_activity_us"};

constexpr Statement kClearScores = {"reach_clear_scores", "DELETE FROM scores"};

constexpr Statement kInsertScores = {
    "reach_insert_scores",
    "INSERT INTO scores (win, user_id, rank, score, c_reshares, c_likes, c_followers, c_depth, "
    "posts, reshares, quotes, replies, likes, mentions, depth, followers, handle, name, "
    "c_pagerank, c_audience, pagerank, audience, h_index, second_level, cascade_nodes, "
    "depth_mean) "
    "SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::float8[], $5::float8[], "
    "$6::float8[], $7::float8[], $8::float8[], $9::bigint[], $10::bigint[], $11::bigint[], "
    "$12::bigint[], $13::bigint[], $14::bigint[], $15::integer[], $16::bigint[], $17::text[], "
    "$18::text[], $19::float8[], $20::float8[], $21::float8[], $22::bigint[], $23::integer[], "
    "$24::bigint[], $25::bigint[], $26::float8[])"};

constexpr Statement kUpsertHistory = {
    "reach_upsert_history",
    "INSERT INTO score_history (as_of_us, win, user_id, rank, score, reshares, likes, followers, "
    "depth) "
    "SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::float8[], "
    "$6::bigint[], $7::bigint[], $8::bigint[], $9::integer[]) "
    "ON CONFLICT (user_id, win, as_of_us) DO UPDATE SET rank = excluded.rank, "
    "score = excluded.score, reshares = excluded.reshares, likes = excluded.likes, "
    "followers = excluded.followers, depth = excluded.depth"};

constexpr Statement kUpsertState = {
    "reach_upsert_state",
    "INSERT INTO engine_state (key, value) SELECT * FROM unnest($1::text[], $2::text[]) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"};

constexpr Statement kAllStatements[] = {kUpsertUsers,    kUpsertPosts,    kDeletePosts,
                                        kDeleteCascades, kUpsertCascades, kClearScores,
                                        kInsertScores,   kUpsertHistory,  kUpsertState};

// The rows of `items` whose key was not repeated later in the list, in their original order.
template <class T, class KeyFn>
std::vector<const T*> LastOccurrences(const std::vector<T>& items, KeyFn key) {
  std::vector<const T*> out;
  out.reserve(items.size());
  absl::flat_hash_set<uint64_t> seen;
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    if (seen.insert(key(*it)).second) out.push_back(&*it);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// Executes `st` once per chunk of `rows`: `fill(row, columns)` appends one element to each of the
// `width` array builders. Returns the rows the executions changed.
template <class T, class Fill>
absl::StatusOr<int64_t> RunColumnar(PgConn& conn, const Statement& st, size_t width,
                                    std::span<const T* const> rows, size_t chunk, Fill fill) {
  int64_t changed = 0;
  std::vector<PgArray> columns(width);
  for (size_t start = 0; start < rows.size(); start += chunk) {
    const size_t end = std::min(rows.size(), start + chunk);
    for (size_t i = start; i < end; ++i) fill(*rows[i], columns);
    PgParams params;
    for (PgArray& c : columns) params.AddRaw(c.Take());
    REACH_ASSIGN_OR_RETURN(PgResult r, conn.ExecPrepared(st.name, params));
    changed += r.AffectedRows();
  }
  return changed;
}

absl::StatusOr<int64_t> DeleteIds(PgConn& conn, const Statement& st,
                                  const std::vector<PostId>& ids) {
  if (ids.empty()) return 0;
  PgArray array;
  for (PostId id : ids) array.Id(id);
  PgParams params;
  params.AddRaw(array.Take());
  REACH_ASSIGN_OR_RETURN(PgResult r, conn.ExecPrepared(st.name, params));
  return r.AffectedRows();
}

}  // namespace

// --- migrations --------------------------------------------------------------------------------

absl::StatusOr<int64_t> PostgresSchemaVersion(PgConn& conn) {
  REACH_ASSIGN_OR_RETURN(PgResult has_table,
                         conn.Query("SELECT to_regclass('schema_migrations') IS NOT NULL"));
  if (has_table.rows() == 0 || has_table.Text(0, 0) != "t") return 0;
  REACH_ASSIGN_OR_RETURN(PgResult version,
                         conn.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return version.rows() == 0 ? 0 : version.Int64(0, 0);
}

absl::Status MigratePostgres(PgConn& conn, const Clock& clock) {
  REACH_RETURN_IF_ERROR(conn.Exec("BEGIN"));
  auto apply = [&]() -> absl::Status {
    REACH_RETURN_IF_ERROR(
        conn.QueryParams("SELECT pg_advisory_xact_lock($1)", PgParams::Of(kMigrationLockKey))
            .status());
    REACH_RETURN_IF_ERROR(conn.Exec(kCreateSchemaMigrations));
    REACH_ASSIGN_OR_RETURN(int64_t version, PostgresSchemaVersion(conn));
    REACH_RETURN_IF_ERROR(CheckSchemaVersion(version));
    for (const Migration& m : AllMigrations()) {
      if (m.version <= version) continue;
      for (std::string_view sql : m.statements) REACH_RETURN_IF_ERROR(conn.Exec(sql));
      REACH_RETURN_IF_ERROR(
          conn.QueryParams("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                           PgParams::Of(m.version, FormatIso8601(clock.Now())))
              .status());
      log::info("store: postgres: applied migration {} ({})", m.version, m.description);
    }
    return absl::OkStatus();
  };
  absl::Status status = apply();
  if (!status.ok()) {
    if (conn.healthy()) (void)conn.Exec("ROLLBACK");
    return status;
  }
  return conn.Exec("COMMIT");
}

// --- PostgresStore -----------------------------------------------------------------------------

PostgresStore::PostgresStore(std::string url, const PostgresStoreOptions& options)
    : url_(std::move(url)),
      options_(options),
      clock_(options.clock != nullptr ? options.clock : &SystemClock::Get()) {}

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(
    const std::string& url, const PostgresStoreOptions& options) {
  if (!IsPostgresUrl(url)) {
    return absl::InvalidArgumentError(
        fmt::format("postgres: '{}' is not a postgres:// or postgresql:// URL", url));
  }
  if (options.rows_per_statement == 0) {
    return absl::InvalidArgumentError("postgres: rows_per_statement must be positive");
  }
  std::unique_ptr<PostgresStore> store(new PostgresStore(url, options));
  REACH_RETURN_IF_ERROR(store->EnsureConnected());
  return store;
}

absl::Status PostgresStore::EnsureConnected() {
  if (conn_.healthy()) return absl::OkStatus();
  conn_ = PgConn();
  REACH_ASSIGN_OR_RETURN(PgConn conn, PgConn::Connect(url_));
  REACH_RETURN_IF_ERROR(MigratePostgres(conn, *clock_));
  for (const Statement& st : kAllStatements) REACH_RETURN_IF_ERROR(conn.Prepare(st.name, st.sql));
  conn_ = std::move(conn);
  log::info("store: connected to {}", description());
  return absl::OkStatus();
}

absl::Status PostgresStore::Write(const engine::StoreBatch& batch) {
  absl::StatusOr<int64_t> rows = [&]() -> absl::StatusOr<int64_t> {
    REACH_RETURN_IF_ERROR(EnsureConnected());
    REACH_RETURN_IF_ERROR(conn_.Exec("BEGIN"));
    absl::StatusOr<int64_t> written = WriteRows(batch);
    if (written.ok()) {
      absl::Status committed = conn_.Exec("COMMIT");
      if (committed.ok()) return written;
      written = std::move(committed);
    }
    if (conn_.healthy() && conn_.in_transaction()) {
      if (absl::Status rolled_back = conn_.Exec("ROLLBACK"); !rolled_back.ok()) {
        log::error("store: {}: rollback failed: {}", description(), rolled_back.ToString());
      }
    }
    return written.status();
  }();
  if (!rows.ok() && !conn_.healthy()) conn_ = PgConn();  // reconnect on the next Write

  std::lock_guard lock(stats_mu_);
  if (!rows.ok()) {
    ++stats_.failures;
    log::warn("store: {}: flush failed: {}", description(), rows.status().ToString());
    return rows.status();
  }
  ++stats_.flushes;
  stats_.rows_written += *rows;
  stats_.last_flush = batch.flushed_at.known() ? batch.flushed_at : clock_->Now();
  return absl::OkStatus();
}

absl::StatusOr<int64_t> PostgresStore::WriteRows(const engine::StoreBatch& batch) {
  const size_t chunk = options_.rows_per_statement;
  int64_t rows = 0;

  const auto users =
      LastOccurrences(batch.users, [](const engine::UserInfo& u) { return u.user.value; });
  REACH_ASSIGN_OR_RETURN(int64_t n, RunColumnar<engine::UserInfo>(
                                        conn_, kUpsertUsers, 10, users, chunk,
                                        [](const engine::UserInfo& u, std::vector<PgArray>& c) {
                                          c[0].Id(u.user);
                                          c[1].Text(u.handle);
                                          c[2].Text(u.name);
                                          c[3].Text(u.location);
                                          c[4].Int64(u.followers);
                                          c[5].Int64(u.following);
                                          c[6].Int64(u.posts_reported);
                                          c[7].Int64(u.verified ? 1 : 0);
                                          c[8].Int64(u.created.micros);
                                          c[9].Int64(u.observed.micros);
                                        }));
  rows += n;

  const auto posts =
      LastOccurrences(batch.posts, [](const engine::PostRecord& p) { return p.id.value; });
  REACH_ASSIGN_OR_RETURN(
      n, RunColumnar<engine::PostRecord>(conn_, kUpsertPosts, 14, posts, chunk,
                                         [](const engine::PostRecord& p, std::vector<PgArray>& c) {
                                           c[0].Id(p.id);
                                           c[1].Text(model::PlatformName(p.platform));
                                           c[2].Text(model::PostKindName(p.kind));
                                           c[3].Id(p.author);
                                           c[4].Int64(p.time.micros);
                                           c[5].Text(p.text);
                                           c[6].Text(p.lang);
                                           c[7].Id(p.parent);
                                           c[8].Id(p.root);
                                           c[9].Id(p.in_reply_to);
                                           c[10].Int64(p.depth);
                                           c[11].Text(p.country_code);
                                           c[12].Int64(p.reported_likes);
                                           c[13].Int64(p.reported_reshares);
                                         }));
  rows += n;

  REACH_ASSIGN_OR_RETURN(n, DeleteIds(conn_, kDeletePosts, batch.deleted_posts));
  rows += n;
  REACH_ASSIGN_OR_RETURN(n, DeleteIds(conn_, kDeleteCascades, batch.deleted_posts));
  rows += n;

  const auto cascades =
      LastOccurrences(batch.cascades, [](const engine::CascadeSummary& c) { return c.root.value; });
  REACH_ASSIGN_OR_RETURN(n, RunColumnar<engine::CascadeSummary>(
                                conn_, kUpsertCascades, 7, cascades, chunk,
                                [](const engine::CascadeSummary& s, std::vector<PgArray>& c) {
                                  c[0].Id(s.root);
                                  c[1].Id(s.author);
                                  c[2].Int64(s.size);
                                  c[3].Int64(s.depth);
                                  c[4].Int64(s.max_breadth);
                                  c[5].Int64(s.started.micros);
                                  c[6].Int64(s.last_activity.micros);
                                }));
  rows += n;

  REACH_ASSIGN_OR_RETURN(n, DeleteIds(conn_, kDeleteCascades, batch.deleted_cascades));
  rows += n;

  if (batch.scores != nullptr) {
    REACH_ASSIGN_OR_RETURN(n, WriteScores(*batch.scores));
    rows += n;
  }

  const std::vector<StateEntry> state = EncodeEngineState(batch);
  std::vector<const StateEntry*> entries;
  entries.reserve(state.size());
  for (const StateEntry& e : state) entries.push_back(&e);
  REACH_ASSIGN_OR_RETURN(n,
                         RunColumnar<StateEntry>(conn_, kUpsertState, 2, entries, chunk,
                                                 [](const StateEntry& e, std::vector<PgArray>& c) {
                                                   c[0].Text(e.key);
                                                   c[1].Text(e.value);
                                                 }));
  rows += n;
  return rows;
}

absl::StatusOr<int64_t> PostgresStore::WriteScores(const engine::Snapshot& snapshot) {
  struct Scored {
    std::string_view win;
    const engine::InfluencerRow* row;
  };
  std::vector<Scored> all;
  std::vector<Scored> top;
  for (engine::Window w : engine::kAllWindows) {
    const engine::WindowBoard& board = snapshot.board(w);
    const std::string_view win = engine::WindowName(w);
    for (size_t i = 0; i < board.rows.size(); ++i) {
      all.push_back({win, &board.rows[i]});
      if (i < options_.history_top_n) top.push_back({win, &board.rows[i]});
    }
  }
  std::vector<const Scored*> all_rows;
  all_rows.reserve(all.size());
  for (const Scored& s : all) all_rows.push_back(&s);
  std::vector<const Scored*> top_rows;
  top_rows.reserve(top.size());
  for (const Scored& s : top) top_rows.push_back(&s);

  int64_t rows = 0;
  REACH_ASSIGN_OR_RETURN(PgResult cleared, conn_.ExecPrepared(kClearScores.name, PgParams()));
  rows += cleared.AffectedRows();
  REACH_ASSIGN_OR_RETURN(
      int64_t n,
      RunColumnar<Scored>(conn_, kInsertScores, 26, all_rows, options_.rows_per_statement,
                          [](const Scored& s, std::vector<PgArray>& c) {
                            const engine::InfluencerRow& r = *s.row;
                            c[0].Text(s.win);
                            c[1].Id(r.user);
                            c[2].Int64(r.rank);
                            c[3].Double(r.score);
                            c[4].Double(r.components.reshares);
                            c[5].Double(r.components.likes);
                            c[6].Double(r.components.followers);
                            c[7].Double(r.components.depth);
                            c[8].Int64(r.metrics.posts);
                            c[9].Int64(r.metrics.reshares);
                            c[10].Int64(r.metrics.quotes);
                            c[11].Int64(r.metrics.replies);
                            c[12].Int64(r.metrics.likes);
                            c[13].Int64(r.metrics.mentions);
                            c[14].Int64(r.metrics.depth);
                            c[15].Int64(r.followers);
                            c[16].Text(r.handle);
                            c[17].Text(r.name);
                            c[18].Double(r.components.pagerank);
                            c[19].Double(r.components.audience);
                            c[20].Double(r.pagerank);
                            c[21].Int64(r.metrics.audience);
                            c[22].Int64(r.metrics.h_index);
                            c[23].Int64(r.metrics.second_level);
                            c[24].Int64(r.metrics.cascade_nodes);
                            c[25].Double(r.metrics.depth_mean);
                          }));
  rows += n;
  const int64_t as_of = snapshot.as_of.micros;
  REACH_ASSIGN_OR_RETURN(
      n, RunColumnar<Scored>(conn_, kUpsertHistory, 9, top_rows, options_.rows_per_statement,
                             [as_of](const Scored& s, std::vector<PgArray>& c) {
                               const engine::InfluencerRow& r = *s.row;
                               c[0].Int64(as_of);
                               c[1].Text(s.win);
                               c[2].Id(r.user);
                               c[3].Int64(r.rank);
                               c[4].Double(r.score);
                               c[5].Int64(r.metrics.reshares);
                               c[6].Int64(r.metrics.likes);
                               c[7].Int64(r.followers);
                               c[8].Int64(r.metrics.depth);
                             }));
  rows += n;
  return rows;
}

StoreStats PostgresStore::stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

std::string PostgresStore::description() const { return RedactPostgresUrl(url_); }

}  // namespace reach::store
