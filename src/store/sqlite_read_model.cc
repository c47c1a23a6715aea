#include "store/sqlite_read_model.h"

#include <utility>
#include <vector>

#include <fmt/format.h>

#include "common/log.h"
#include "engine/window.h"
#include "store/migrations.h"
#include "store/sqlite_store.h"

namespace reach::store {
namespace {

constexpr int kMaxLimit = 1000;

// Columns 0..24 of every score query, in the order ReadRow expects.
#define REACH_SCORE_COLUMNS                                                                    \
  "user_id, rank, score, c_reshares, c_likes, c_followers, c_depth, posts, reshares, quotes, " \
  "replies, likes, mentions, depth, followers, handle, name, c_pagerank, c_audience, "         \
  "pagerank, audience, h_index, second_level, cascade_nodes, depth_mean"

constexpr std::string_view kCountWindow = "SELECT COUNT(*) FROM scores WHERE win = ?";
constexpr std::string_view kPage = "SELECT " REACH_SCORE_COLUMNS
                                   " FROM scores WHERE win = ? ORDER BY rank, user_id "
                                   "LIMIT ? OFFSET ?";
constexpr std::string_view kUser =
    "SELECT handle, name, location, followers, following, posts_reported, verified, "
    "created_at_us, observed_us FROM users WHERE user_id = ?";
constexpr std::string_view kUserScores =
    "SELECT " REACH_SCORE_COLUMNS ", win FROM scores WHERE user_id = ?";
constexpr std::string_view kState = "SELECT key, value FROM engine_state";

#undef REACH_SCORE_COLUMNS

engine::InfluencerRow ReadRow(const SqliteStatement& st) {
  engine::InfluencerRow r;
  r.user = IdFromSql<UserId>(st.ColumnInt64(0));
  r.rank = st.ColumnInt64(1);
  r.score = st.ColumnDouble(2);
  r.components.reshares = st.ColumnDouble(3);
  r.components.likes = st.ColumnDouble(4);
  r.components.followers = st.ColumnDouble(5);
  r.components.depth = st.ColumnDouble(6);
  r.metrics.posts = st.ColumnInt64(7);
  r.metrics.reshares = st.ColumnInt64(8);
  r.metrics.quotes = st.ColumnInt64(9);
  r.metrics.replies = st.ColumnInt64(10);
  r.metrics.likes = st.ColumnInt64(11);
  r.metrics.mentions = st.ColumnInt64(12);
  r.metrics.depth = static_cast<int32_t>(st.ColumnInt64(13));
  r.followers = st.ColumnInt64(14);
  r.handle = st.ColumnText(15);
  r.name = st.ColumnText(16);
  r.components.pagerank = st.ColumnDouble(17);
  r.components.audience = st.ColumnDouble(18);
  r.pagerank = st.ColumnDouble(19);
  r.metrics.audience = st.ColumnInt64(20);
  r.metrics.h_index = static_cast<int32_t>(st.ColumnInt64(21));
  r.metrics.second_level = st.ColumnInt64(22);
  r.metrics.cascade_nodes = st.ColumnInt64(23);
  r.metrics.depth_mean = st.ColumnDouble(24);
  return r;
}

// Resets a statement when a query leaves it early (on error or after the rows it needed).
class ResetOnExit {
 public:
  explicit ResetOnExit(SqliteStatement& st) : st_(st) {}
  ~ResetOnExit() { st_.Reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  SqliteStatement& st_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteReadModel>> SqliteReadModel::Open(const std::string& path,
                                                                       int busy_timeout_ms) {
  REACH_ASSIGN_OR_RETURN(SqliteDb db, SqliteDb::Open(path, SQLITE_OPEN_READONLY, busy_timeout_ms));
  REACH_ASSIGN_OR_RETURN(int64_t version, SqliteSchemaVersion(db));
  if (version == 0) {
    return absl::FailedPreconditionError(
        fmt::format("sqlite: {} has no reach schema (run reach with this store first)", path));
  }
  REACH_RETURN_IF_ERROR(CheckSchemaVersion(version));
  if (version < LatestSchemaVersion()) {
    return absl::FailedPreconditionError(fmt::format(
        "sqlite: {} has schema version {}, this program needs {}; open it with a writer to "
        "migrate it",
        path, version, LatestSchemaVersion()));
  }
  std::unique_ptr<SqliteReadModel> model(new SqliteReadModel(std::move(db)));
  REACH_RETURN_IF_ERROR(model->PrepareStatements());
  return model;
}

absl::Status SqliteReadModel::PrepareStatements() {
  struct Entry {
    SqliteStatement* target;
    std::string_view sql;
  };
  const Entry entries[] = {
      {&begin_, "BEGIN"}, {&end_, "COMMIT"}, {&count_window_, kCountWindow},
      {&page_, kPage},    {&user_, kUser},   {&user_scores_, kUserScores},
      {&state_, kState},
  };
  for (const Entry& e : entries) {
    REACH_ASSIGN_OR_RETURN(*e.target, db_.Prepare(e.sql, /*persistent=*/true));
  }
  return absl::OkStatus();
}

template <class T, class F>
absl::StatusOr<T> SqliteReadModel::InReadTransaction(F&& body) const {
  REACH_RETURN_IF_ERROR(begin_.Execute().status());
  absl::StatusOr<T> result = std::forward<F>(body)();
  if (absl::Status ended = end_.Execute().status(); !ended.ok()) {
    if (sqlite3_get_autocommit(db_.get()) == 0) (void)db_.Exec("ROLLBACK");
    if (result.ok()) return ended;
  }
  return result;
}

absl::StatusOr<StoredEngineState> SqliteReadModel::ReadStateLocked() const {
  ResetOnExit reset(state_);
  std::vector<StateEntry> rows;
  while (true) {
    REACH_ASSIGN_OR_RETURN(bool row, state_.Step());
    if (!row) break;
    rows.push_back({state_.ColumnText(0), state_.ColumnText(1)});
  }
  StoredEngineState state = DecodeEngineState(rows);
  last_stats_ = state.stats;
  return state;
}

absl::StatusOr<engine::Leaderboard> SqliteReadModel::GetLeaderboard(
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
    {
      ResetOnExit reset(count_window_);
      REACH_RETURN_IF_ERROR(count_window_.BindAll(win));
      REACH_ASSIGN_OR_RETURN(bool row, count_window_.Step());
      board.total = row ? count_window_.ColumnInt64(0) : 0;
    }
    ResetOnExit reset(page_);
    REACH_RETURN_IF_ERROR(page_.BindAll(win, q.limit, q.offset));
    board.items.reserve(static_cast<size_t>(q.limit));
    while (true) {
      REACH_ASSIGN_OR_RETURN(bool row, page_.Step());
      if (!row) break;
      board.items.push_back(ReadRow(page_));
    }
    return board;
  });
}

absl::StatusOr<engine::UserProfile> SqliteReadModel::GetUser(UserId id) const {
  std::lock_guard lock(mu_);
  return InReadTransaction<engine::UserProfile>([&]() -> absl::StatusOr<engine::UserProfile> {
    engine::UserProfile profile;
    profile.info.user = id;
    bool known = false;
    {
      ResetOnExit reset(user_);
      REACH_RETURN_IF_ERROR(user_.BindAll(id));
      REACH_ASSIGN_OR_RETURN(bool row, user_.Step());
      if (row) {
        known = true;
        engine::UserInfo& info = profile.info;
        info.handle = user_.ColumnText(0);
        info.name = user_.ColumnText(1);
        info.location = user_.ColumnText(2);
        info.followers = user_.ColumnInt64(3);
        info.following = user_.ColumnInt64(4);
        info.posts_reported = user_.ColumnInt64(5);
        info.verified = user_.ColumnInt64(6) != 0;
        info.created = EventTime::FromMicros(user_.ColumnInt64(7));
        info.observed = EventTime::FromMicros(user_.ColumnInt64(8));
      }
    }
    {
      ResetOnExit reset(user_scores_);
      REACH_RETURN_IF_ERROR(user_scores_.BindAll(id));
      while (true) {
        REACH_ASSIGN_OR_RETURN(bool row, user_scores_.Step());
        if (!row) break;
        std::optional<engine::Window> w = engine::ParseWindow(user_scores_.ColumnText(25));
        if (!w.has_value()) continue;
        engine::InfluencerRow r = ReadRow(user_scores_);
        if (!known) {
          // Scored but never stored as a user row: the score row carries the names.
          profile.info.handle = r.handle;
          profile.info.name = r.name;
          profile.info.followers = r.followers;
        }
        profile.windows[static_cast<int>(*w)] = std::move(r);
      }
    }
    bool scored = false;
    for (const auto& w : profile.windows) scored = scored || w.has_value();
    if (!known && !scored) {
      return absl::NotFoundError(fmt::format("user {} not found", id.value));
    }
    REACH_ASSIGN_OR_RETURN(StoredEngineState state, ReadStateLocked());
    profile.as_of = state.scores_as_of;
    profile.weights = state.weights;
    return profile;
  });
}

absl::StatusOr<StoredEngineState> SqliteReadModel::GetEngineState() const {
  std::lock_guard lock(mu_);
  return InReadTransaction<StoredEngineState>([&] { return ReadStateLocked(); });
}

engine::EngineStats SqliteReadModel::GetStats() const {
  absl::StatusOr<StoredEngineState> state = GetEngineState();
  if (!state.ok()) {
    log::warn("store: {}: cannot read engine_state: {}", db_.path(), state.status().ToString());
    std::lock_guard lock(mu_);
    return last_stats_;
  }
  return state->stats;
}

}  // namespace reach::store
