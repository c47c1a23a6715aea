#include "store/postgres_read_model.h"

#include <utility>
#include <vector>

#include <fmt/format.h>

#include "common/log.h"
#include "engine/window.h"
#include "store/migrations.h"
#include "store/postgres_store.h"

namespace reach::store {
namespace {

constexpr int kMaxLimit = 1000;

// Columns 0..24 of every score query, in the order ReadRow expects.
#define REACH_SCORE_COLUMNS                                                                    \
  "user_id, rank, score, c_reshares, c_likes, c_followers, c_depth, posts, reshares, quotes, " \
  "replies, likes, mentions, depth, followers, handle, name, c_pagerank, c_audience, "         \
  "pagerank, audience, h_index, second_level, cascade_nodes, depth_mean"

struct Statement {
  const char* name;
  std::string_view sql;
};

constexpr Statement kCountWindow = {"reach_rm_count", "SELECT COUNT(*) FROM scores WHERE win = $1"};
constexpr Statement kPage = {"reach_rm_page", "SELECT " REACH_SCORE_COLUMNS
                                              " FROM scores WHERE win = $1 ORDER BY rank, user_id "
                                              "LIMIT $2 OFFSET $3"};
constexpr Statement kUser = {
    "reach_rm_user",
    "SELECT handle, name, location, followers, following, posts_reported, verified, "
    "created_at_us, observed_us FROM users WHERE user_id = $1"};
constexpr Statement kUserScores = {
    "reach_rm_user_scores", "SELECT " REACH_SCORE_COLUMNS ", win FROM scores WHERE user_id = $1"};
constexpr Statement kState = {"reach_rm_state", "SELECT key, value FROM engine_state"};

#undef REACH_SCORE_COLUMNS

constexpr Statement kAllStatements[] = {kCountWindow, kPage, kUser, kUserScores, kState};

engine::InfluencerRow ReadRow(const PgResult& r, int i) {
  engine::InfluencerRow row;
  row.user = UserId{static_cast<uint64_t>(r.Int64(i, 0))};
  row.rank = r.Int64(i, 1);
  row.score = r.Double(i, 2);
  row.components.reshares = r.Double(i, 3);
  row.components.likes = r.Double(i, 4);
  row.components.followers = r.Double(i, 5);
  row.components.depth = r.Double(i, 6);
  row.metrics.posts = r.Int64(i, 7);
  row.metrics.reshares = r.Int64(i, 8);
  row.metrics.quotes = r.Int64(i, 9);
  row.metrics.replies = r.Int64(i, 10);
  row.metrics.likes = r.Int64(i, 11);
  row.metrics.mentions = r.Int64(i, 12);
  row.metrics.depth = static_cast<int32_t>(r.Int64(i, 13));
  row.followers = r.Int64(i, 14);
  row.handle = std::string(r.Text(i, 15));
  row.name = std::string(r.Text(i, 16));
  row.components.pagerank = r.Double(i, 17);
  row.components.audience = r.Double(i, 18);
  row.pagerank = r.Double(i, 19);
  row.metrics.audience = r.Int64(i, 20);
  row.metrics.h_index = static_cast<int32_t>(r.Int64(i, 21));
  row.metrics.second_level = r.Int64(i, 22);
  row.metrics.cascade_nodes = r.Int64(i, 23);
  row.metrics.depth_mean = r.Double(i, 24);
  return row;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresReadModel>> PostgresReadModel::Open(const std::string& url) {
  if (!IsPostgresUrl(url)) {
    return absl::InvalidArgumentError(
        fmt::format("postgres: '{}' is not a postgres:// or postgresql:// URL", url));
  }
  std::unique_ptr<PostgresReadModel> model(new PostgresReadModel(url));
  std::lock_guard lock(model->mu_);
  REACH_RETURN_IF_ERROR(model->EnsureConnectedLocked());
  return model;
}

absl::Status PostgresReadModel::EnsureConnectedLocked() const {
  if (conn_.healthy()) return absl::OkStatus();
  conn_ = PgConn();
  REACH_ASSIGN_OR_RETURN(PgConn conn, PgConn::Connect(url_));
  REACH_ASSIGN_OR_RETURN(int64_t version, PostgresSchemaVersion(conn));
  const std::string where = RedactPostgresUrl(url_);
  if (version == 0) {
    return absl::FailedPreconditionError(
        fmt::format("postgres: {} has no reach schema (run reach with this store first)", where));
  }
  REACH_RETURN_IF_ERROR(CheckSchemaVersion(version));
  if (version < LatestSchemaVersion()) {
    return absl::FailedPreconditionError(fmt::format(
        "postgres: {} has schema version {}, this program needs {}; open it with a writer to "
        "migrate it",
        where, version, LatestSchemaVersion()));
  }
  for (const Statement& st : kAllStatements) REACH_RETURN_IF_ERROR(conn.Prepare(st.name, st.sql));
  conn_ = std::move(conn);
  return absl::OkStatus();
}

template <class T, class F>
absl::StatusOr<T> PostgresReadModel::InReadTransaction(F&& body) const {
  REACH_RETURN_IF_ERROR(EnsureConnectedLocked());
  absl::Status begun = conn_.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!begun.ok()) {
    if (!conn_.healthy()) conn_ = PgConn();
    return begun;
  }
  absl::StatusOr<T> result = std::forward<F>(body)();
  absl::Status ended = conn_.Exec(result.ok() ? "COMMIT" : "ROLLBACK");
  if (!conn_.healthy()) conn_ = PgConn();
  if (!ended.ok() && result.ok()) return ended;
  return result;
}

absl::StatusOr<StoredEngineState> PostgresReadModel::ReadStateLocked() const {
  REACH_ASSIGN_OR_RETURN(PgResult r, conn_.ExecPrepared(kState.name, PgParams()));
  std::vector<StateEntry> rows;
  rows.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    rows.push_back({std::string(r.Text(i, 0)), std::string(r.Text(i, 1))});
  }
  StoredEngineState state = DecodeEngineState(rows);
  last_stats_ = state.stats;
  return state;
}

absl::StatusOr<engine::Leaderboard> PostgresReadModel::GetLeaderboard(
    const engine::LeaderboardQuery& q) const {
  if (!q.country.empty()) {
    return absl::UnimplementedError(
        "filtering the leaderboard by country is served by `reach run`");
  }
  if (q.limit < 1 || q.limit > kMaxLimit) {
    return absl::InvalidArgumentError(
        fmt::format("limit must be between 1 and {}, got {}", kMaxLimit, q.limit));
  }
  if (q.offset < 0) {
    return absl::InvalidArgumentError(fmt::format("offset must be >= 0, got {}", q.offset));
  }
  const std::string_view win = engine::WindowName(q.window);
  std::lock_guard lock(mu_);
  return InReadTransaction<engine::Leaderboard>([&]() -> absl::StatusOr<engine::Leaderboard> {
    engine::Leaderboard board;
    board.window = q.window;
    REACH_ASSIGN_OR_RETURN(StoredEngineState state, ReadStateLocked());
    board.as_of = state.scores_as_of;
    board.weights = state.weights;
    REACH_ASSIGN_OR_RETURN(PgResult count,
                           conn_.ExecPrepared(kCountWindow.name, PgParams::Of(win)));
    board.total = count.rows() > 0 ? count.Int64(0, 0) : 0;
    REACH_ASSIGN_OR_RETURN(PgResult page,
                           conn_.ExecPrepared(kPage.name, PgParams::Of(win, q.limit, q.offset)));
    board.items.reserve(static_cast<size_t>(page.rows()));
    for (int i = 0; i < page.rows(); ++i) board.items.push_back(ReadRow(page, i));
    return board;
  });
}

absl::StatusOr<engine::UserProfile> PostgresReadModel::GetUser(UserId id) const {
  std::lock_guard lock(mu_);
  return InReadTransaction<engine::UserProfile>([&]() -> absl::StatusOr<engine::UserProfile> {
    engine::UserProfile profile;
    profile.info.user = id;
    REACH_ASSIGN_OR_RETURN(PgResult user, conn_.ExecPrepared(kUser.name, PgParams::Of(id)));
    const bool known = user.rows() > 0;
    if (known) {
      engine::UserInfo& info = profile.info;
      info.handle = std::string(user.Text(0, 0));
      info.name = std::string(user.Text(0, 1));
      info.location = std::string(user.Text(0, 2));
      info.followers = user.Int64(0, 3);
      info.following = user.Int64(0, 4);
      info.posts_reported = user.Int64(0, 5);
      info.verified = user.Int64(0, 6) != 0;
      info.created = EventTime::FromMicros(user.Int64(0, 7));
      info.observed = EventTime::FromMicros(user.Int64(0, 8));
    }
    REACH_ASSIGN_OR_RETURN(PgResult scores, conn_.ExecPrepared(kUserScores.name, PgParams::Of(id)));
    bool scored = false;
    for (int i = 0; i < scores.rows(); ++i) {
      std::optional<engine::Window> w = engine::ParseWindow(scores.Text(i, 25));
      if (!w.has_value()) continue;
      engine::InfluencerRow r = ReadRow(scores, i);
      if (!known) {
        // Scored but never stored as a user row: the score row carries the names.
        profile.info.handle = r.handle;
        profile.info.name = r.name;
        profile.info.followers = r.followers;
      }
      profile.windows[static_cast<int>(*w)] = std::move(r);
      scored = true;
    }
    if (!known && !scored) {
      return absl::NotFoundError(fmt::format("user {} not found", id.value));
    }
    REACH_ASSIGN_OR_RETURN(StoredEngineState state, ReadStateLocked());
    profile.as_of = state.scores_as_of;
    profile.weights = state.weights;
    return profile;
  });
}

absl::StatusOr<StoredEngineState> PostgresReadModel::GetEngineState() const {
  std::lock_guard lock(mu_);
  return InReadTransaction<StoredEngineState>([&] { return ReadStateLocked(); });
}

engine::EngineStats PostgresReadModel::GetStats() const {
  absl::StatusOr<StoredEngineState> state = GetEngineState();
  if (!state.ok()) {
    log::warn("store: {}: cannot read engine_state: {}", RedactPostgresUrl(url_),
              state.status().ToString());
    std::lock_guard lock(mu_);
    return last_stats_;
  }
  return state->stats;
}

}  // namespace reach::store
