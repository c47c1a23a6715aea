// The store suite, run once per backend: every test below runs on a SQLite file and on a real
// PostgreSQL server (a throwaway cluster started by the test process, pg_test_cluster.h), through
// the Store and ReadModel interfaces. Backend-only behaviour lives in sqlite_store_test.cc and
// postgres_util_test.cc.
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/clock.h"
#include "store/migrations.h"
#include "store/pg_test_cluster.h"
#include "store/postgres_read_model.h"
#include "store/postgres_store.h"
#include "store/sqlite_read_model.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "store/store_test_util.h"

namespace reach::store {
namespace {

using engine::Window;
using testing::Cascade;
using ::testing::ElementsAre;
using testing::FillBoard;
using ::testing::HasSubstr;
using testing::MakeSnapshot;
using testing::PgTestCluster;
using testing::Post;
using testing::TempDir;
using testing::User;

constexpr int64_t kAsOf = 1'352'000'000'000'000;

enum class Backend { kSqlite, kPostgres };
using Rows = std::vector<std::vector<std::string>>;

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "sqlite" : "postgres";
}

class StoreBackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      location_ = dir_.File("reach.db");
    } else {
      absl::StatusOr<PgTestCluster*> cluster = PgTestCluster::Shared();
      ASSERT_TRUE(cluster.ok()) << cluster.status();
      absl::StatusOr<std::string> url = (*cluster)->CreateDatabase();
      ASSERT_TRUE(url.ok()) << url.status();
      location_ = *url;
    }
    auto store = Open(options_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  struct Options {
    size_t history_top_n = 100;
    const Clock* clock = nullptr;
  };

  absl::StatusOr<std::unique_ptr<Store>> Open(const Options& o) {
    if (GetParam() == Backend::kSqlite) {
      SqliteStoreOptions options;
      options.history_top_n = o.history_top_n;
      options.clock = o.clock;
      REACH_ASSIGN_OR_RETURN(auto store, SqliteStore::Open(location_, options));
      return std::unique_ptr<Store>(std::move(store));
    }
    PostgresStoreOptions options;
    options.history_top_n = o.history_top_n;
    options.clock = o.clock;
    REACH_ASSIGN_OR_RETURN(auto store, PostgresStore::Open(location_, options));
    return std::unique_ptr<Store>(std::move(store));
  }

  absl::StatusOr<std::unique_ptr<Store>> OpenWithHistoryTopN(size_t n) {
    store_.reset();
    Options o;
    o.history_top_n = n;
    return Open(o);
  }

  std::unique_ptr<engine::ReadModel> Reader() {
    auto model = OpenReadModel(location_);
    EXPECT_TRUE(model.ok()) << model.status();
    return model.ok() ? std::move(*model) : nullptr;
  }

  static absl::StatusOr<StoredEngineState> EngineState(const engine::ReadModel& reader) {
    if (const auto* s = dynamic_cast<const SqliteReadModel*>(&reader)) return s->GetEngineState();
    return dynamic_cast<const PostgresReadModel&>(reader).GetEngineState();
  }

  // Every row of a query, each value as text; fails the test on error.
  Rows QueryRows(const std::string& sql) {
    Rows rows;
    if (GetParam() == Backend::kSqlite) {
      sqlite3* db = nullptr;
      EXPECT_EQ(sqlite3_open_v2(location_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
      sqlite3_stmt* st = nullptr;
      EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK)
          << sqlite3_errmsg(db) << " in " << sql;
      while (st != nullptr && sqlite3_step(st) == SQLITE_ROW) {
        std::vector<std::string>& out = rows.emplace_back();
        for (int c = 0; c < sqlite3_column_count(st); ++c) {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
          out.emplace_back(text != nullptr ? text : "");
        }
      }
      sqlite3_finalize(st);
      sqlite3_close(db);
      return rows;
    }
    auto conn = PgConn::Connect(location_);
    EXPECT_TRUE(conn.ok()) << conn.status();
    if (!conn.ok()) return rows;
    auto r = conn->Query(sql);
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return rows;
    for (int i = 0; i < r->rows(); ++i) {
      std::vector<std::string>& out = rows.emplace_back();
      for (int c = 0; c < r->columns(); ++c) out.emplace_back(r->Text(i, c));
    }
    return rows;
  }

  int64_t QueryInt(const std::string& sql) {
    Rows rows = QueryRows(sql);
    if (rows.empty() || rows[0].empty() || rows[0][0].empty()) return -1;
    return std::stoll(rows[0][0]);
  }

  void Exec(const std::string& sql) {
    if (GetParam() == Backend::kSqlite) {
      auto db = SqliteDb::Open(location_, SQLITE_OPEN_READWRITE);
      ASSERT_TRUE(db.ok()) << db.status();
      ASSERT_TRUE(db->Exec(sql).ok()) << sql;
      return;
    }
    auto conn = PgConn::Connect(location_);
    ASSERT_TRUE(conn.ok()) << conn.status();
    absl::Status st = conn->Exec(sql);
    ASSERT_TRUE(st.ok()) << st;
  }

  // Makes inserting a cascade of size 666 fail inside the database, to test rollbacks.
  void RejectCascadesOfSize666() {
    if (GetParam() == Backend::kSqlite) {
      Exec(
          "CREATE TRIGGER reject_big BEFORE INSERT ON cascades "
          "WHEN NEW.size = 666 BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
      return;
    }
    Exec(
        "CREATE FUNCTION reject_big() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.size = 666 THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$");
    Exec(
        "CREATE TRIGGER reject_big BEFORE INSERT ON cascades FOR EACH ROW "
        "EXECUTE FUNCTION reject_big()");
  }

  // Table, view and index names of the reach schema, sorted.
  std::vector<std::string> SchemaObjects() {
    const std::string sql =
        GetParam() == Backend::kSqlite
            ? "SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'view') AND "
              "name NOT LIKE 'sqlite_%' ORDER BY name"
            : "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
              "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 'v') AND "
              "relname NOT LIKE '%_pkey' ORDER BY relname COLLATE \"C\"";
    std::vector<std::string> names;
    for (const auto& row : QueryRows(sql)) {
      // SQLite's automatic primary-key indexes are sqlite_autoindex_*, filtered above.
      names.push_back(row[0]);
    }
    return names;
  }

  // Users 1..5 in every window, in rank order 1..5 for "all" and reversed for 15m.
  static engine::StoreBatch ScoredBatch() {
    engine::StoreBatch batch;
    batch.as_of = EventTime::FromMicros(kAsOf);
    batch.flushed_at = EventTime::FromSeconds(1'700'000'000);
    for (uint64_t id = 1; id <= 5; ++id) batch.users.push_back(User(id, "u" + std::to_string(id)));
    batch.posts = {Post(100, 1, 100), Post(101, 2, 100), Post(102, 3, 100), Post(200, 2, 200)};
    batch.cascades = {Cascade(100, 1, 3), Cascade(200, 2, 1)};
    auto snap = MakeSnapshot(kAsOf);
    FillBoard(snap.get(), Window::kAll, 1, 5);
    FillBoard(snap.get(), Window::k24h, 1, 3);
    FillBoard(snap.get(), Window::k1h, 2, 1);
    engine::WindowBoard& quarter = snap->boards[static_cast<int>(Window::k15m)];
    for (int i = 0; i < 5; ++i) {
      quarter.rows.push_back(testing::Row(static_cast<uint64_t>(5 - i), i + 1, 50.0 - i));
    }
    batch.scores = snap;
    batch.stats.events_applied = 17;
    batch.stats.posts = 4;
    batch.stats.users = 5;
    batch.stats.watermark = EventTime::FromMicros(kAsOf);
    return batch;
  }

  TempDir dir_;
  std::string location_;
  Options options_;
  std::unique_ptr<Store> store_;
};

std::vector<uint64_t> UserIds(const engine::Leaderboard& board) {
  std::vector<uint64_t> ids;
  for (const auto& r : board.items) ids.push_back(r.user.value);
  return ids;
}

TEST_P(StoreBackendTest, WritesBatchAndReadsLeaderboardInRankOrder) {
  ASSERT_TRUE(store_->Write(ScoredBatch()).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM users"), 5);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM posts"), 4);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM cascades"), 2);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM scores"), 5 + 3 + 1 + 5);

  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  auto all = reader->GetLeaderboard({Window::kAll, 50, 0});
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->window, Window::kAll);
  EXPECT_EQ(all->total, 5);
  EXPECT_EQ(all->as_of, EventTime::FromMicros(kAsOf));
  EXPECT_THAT(UserIds(*all), ElementsAre(1, 2, 3, 4, 5));
  EXPECT_EQ(all->items[0].rank, 1);
  EXPECT_DOUBLE_EQ(all->items[0].score, 100.0);

  auto quarter = reader->GetLeaderboard({Window::k15m, 50, 0});
  ASSERT_TRUE(quarter.ok());
  EXPECT_THAT(UserIds(*quarter), ElementsAre(5, 4, 3, 2, 1));

  auto hour = reader->GetLeaderboard({Window::k1h, 50, 0});
  ASSERT_TRUE(hour.ok());
  EXPECT_EQ(hour->total, 1);
  EXPECT_THAT(UserIds(*hour), ElementsAre(2));
}

TEST_P(StoreBackendTest, LeaderboardLimitAndOffsetKeepTotal) {
  ASSERT_TRUE(store_->Write(ScoredBatch()).ok());
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  auto page = reader->GetLeaderboard({Window::kAll, 2, 1});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 5);
  EXPECT_THAT(UserIds(*page), ElementsAre(2, 3));
  EXPECT_EQ(page->items[0].rank, 2);

  auto past_end = reader->GetLeaderboard({Window::kAll, 10, 5});
  ASSERT_TRUE(past_end.ok());
  EXPECT_EQ(past_end->total, 5);
  EXPECT_TRUE(past_end->items.empty());

  auto tail = reader->GetLeaderboard({Window::kAll, 10, 3});
  ASSERT_TRUE(tail.ok());
  EXPECT_THAT(UserIds(*tail), ElementsAre(4, 5));
}

TEST_P(StoreBackendTest, LeaderboardRejectsBadQueries) {
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  for (engine::LeaderboardQuery q : {engine::LeaderboardQuery{Window::kAll, 0, 0},
                                     engine::LeaderboardQuery{Window::kAll, 1001, 0},
                                     engine::LeaderboardQuery{Window::kAll, 10, -1}}) {
    auto result = reader->GetLeaderboard(q);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  }
  auto edge = reader->GetLeaderboard({Window::kAll, 1000, 0});
  ASSERT_TRUE(edge.ok()) << edge.status();
  EXPECT_EQ(edge->total, 0);
}

TEST_P(StoreBackendTest, UserProfileHasInfoAndOneRowPerActiveWindow) {
  ASSERT_TRUE(store_->Write(ScoredBatch()).ok());
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);

  auto two = reader->GetUser(UserId{2});
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_EQ(two->info.user, UserId{2});
  EXPECT_EQ(two->info.handle, "u2");
  EXPECT_EQ(two->info.followers, 1002);
  EXPECT_TRUE(two->info.verified);
  EXPECT_EQ(two->as_of, EventTime::FromMicros(kAsOf));
  ASSERT_TRUE(two->windows[static_cast<int>(Window::kAll)].has_value());
  EXPECT_EQ(two->windows[static_cast<int>(Window::kAll)]->rank, 2);
  EXPECT_EQ(two->windows[static_cast<int>(Window::k24h)]->rank, 2);
  EXPECT_EQ(two->windows[static_cast<int>(Window::k1h)]->rank, 1);
  EXPECT_EQ(two->windows[static_cast<int>(Window::k15m)]->rank, 4);

  auto five = reader->GetUser(UserId{5});
  ASSERT_TRUE(five.ok());
  EXPECT_FALSE(five->info.verified);
  EXPECT_TRUE(five->windows[static_cast<int>(Window::kAll)].has_value());
  EXPECT_FALSE(five->windows[static_cast<int>(Window::k24h)].has_value());
  EXPECT_FALSE(five->windows[static_cast<int>(Window::k1h)].has_value());
  EXPECT_EQ(five->windows[static_cast<int>(Window::k15m)]->rank, 1);
}

TEST_P(StoreBackendTest, UnknownUserIsNotFound) {
  ASSERT_TRUE(store_->Write(ScoredBatch()).ok());
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  auto missing = reader->GetUser(UserId{999});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("999"));
}

TEST_P(StoreBackendTest, UserKnownOnlyFromScoresTakesNamesFromScoreRow) {
  engine::StoreBatch batch;
  auto snap = MakeSnapshot(kAsOf);
  FillBoard(snap.get(), Window::kAll, 70, 1);
  batch.scores = snap;
  ASSERT_TRUE(store_->Write(batch).ok());
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  auto user = reader->GetUser(UserId{70});
  ASSERT_TRUE(user.ok()) << user.status();
  EXPECT_EQ(user->info.handle, "user70");
  EXPECT_EQ(user->info.name, "Name 70");
  EXPECT_EQ(user->info.followers, 700);
}

TEST_P(StoreBackendTest, UserWithoutScoresHasNoWindows) {
  engine::StoreBatch batch;
  batch.users = {User(8, "quiet")};
  ASSERT_TRUE(store_->Write(batch).ok());
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  auto user = reader->GetUser(UserId{8});
  ASSERT_TRUE(user.ok()) << user.status();
  EXPECT_EQ(user->info.handle, "quiet");
  for (const auto& w : user->windows) EXPECT_FALSE(w.has_value());
}

TEST_P(StoreBackendTest, DeletesRemovePostsAndTheirCascades) {
  ASSERT_TRUE(store_->Write(ScoredBatch()).ok());
  engine::StoreBatch deletes;
  deletes.deleted_posts = {PostId{100}, PostId{555}};  // 555 was never stored
  ASSERT_TRUE(store_->Write(deletes).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM posts WHERE post_id = 100"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM posts"), 3);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM cascades WHERE root_id = 100"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM cascades WHERE root_id = 200"), 1);

  engine::StoreBatch cascade_delete;
  cascade_delete.deleted_cascades = {PostId{200}};
  ASSERT_TRUE(store_->Write(cascade_delete).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM cascades"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM posts WHERE post_id = 200"), 1);
}

TEST_P(StoreBackendTest, PostBothUpsertedAndDeletedEndsDeleted) {
  engine::StoreBatch batch;
  batch.posts = {Post(300, 1, 300)};
  batch.deleted_posts = {PostId{300}};
  ASSERT_TRUE(store_->Write(batch).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM posts"), 0);
}

TEST_P(StoreBackendTest, UpsertsReplaceChangedRows) {
  ASSERT_TRUE(store_->Write(ScoredBatch()).ok());
  engine::StoreBatch update;
  engine::UserInfo u = User(3, "renamed");
  u.followers = 77;
  update.users = {u};
  engine::PostRecord p = Post(101, 2, 100);
  p.reported_likes = 12;
  update.posts = {p};
  update.cascades = {Cascade(100, 1, 9)};
  ASSERT_TRUE(store_->Write(update).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM users"), 5);
  EXPECT_EQ(QueryInt("SELECT followers FROM users WHERE user_id = 3"), 77);
  EXPECT_EQ(QueryInt("SELECT reported_likes FROM posts WHERE post_id = 101"), 12);
  EXPECT_EQ(QueryInt("SELECT size FROM cascades WHERE root_id = 100"), 9);
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  auto user = reader->GetUser(UserId{3});
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->info.handle, "renamed");
}

TEST_P(StoreBackendTest, ScoresAreReplacedNotAccumulated) {
  ASSERT_TRUE(store_->Write(ScoredBatch()).ok());
  engine::StoreBatch next;
  auto snap = MakeSnapshot(kAsOf + 1'000'000);
  FillBoard(snap.get(), Window::kAll, 40, 2);
  next.scores = snap;
  ASSERT_TRUE(store_->Write(next).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM scores"), 2);
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  auto all = reader->GetLeaderboard({Window::kAll, 50, 0});
  ASSERT_TRUE(all.ok());
  EXPECT_THAT(UserIds(*all), ElementsAre(40, 41));
  EXPECT_EQ(all->as_of, EventTime::FromMicros(kAsOf + 1'000'000));
  auto quarter = reader->GetLeaderboard({Window::k15m, 50, 0});
  ASSERT_TRUE(quarter.ok());
  EXPECT_EQ(quarter->total, 0);
  // A batch without scores leaves the scores table alone.
  engine::StoreBatch no_scores;
  no_scores.users = {User(9, "nine")};
  ASSERT_TRUE(store_->Write(no_scores).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM scores"), 2);
}

TEST_P(StoreBackendTest, FailingBatchRollsBackAndKeepsPreviousData) {
  ASSERT_TRUE(store_->Write(ScoredBatch()).ok());
  ASSERT_NO_FATAL_FAILURE(RejectCascadesOfSize666());
  engine::StoreBatch bad;
  bad.users = {User(50, "new_user"), User(1, "changed")};
  bad.posts = {Post(900, 50, 900)};
  bad.deleted_posts = {PostId{101}};
  bad.cascades = {Cascade(900, 50, 666)};
  auto snap = MakeSnapshot(kAsOf + 5);
  FillBoard(snap.get(), Window::kAll, 50, 1);
  bad.scores = snap;
  absl::Status status = store_->Write(bad);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(status.message(), HasSubstr("injected failure"));

  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM users WHERE user_id = 50"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM posts WHERE post_id = 900"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM posts WHERE post_id = 101"), 1);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM scores"), 14);
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  auto one = reader->GetUser(UserId{1});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->info.handle, "u1");

  StoreStats stats = store_->stats();
  EXPECT_EQ(stats.flushes, 1);
  EXPECT_EQ(stats.failures, 1);

  // The store stays usable after a failure.
  engine::StoreBatch good;
  good.users = {User(51, "after")};
  ASSERT_TRUE(store_->Write(good).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM users WHERE user_id = 51"), 1);
  EXPECT_EQ(store_->stats().flushes, 2);
}

TEST_P(StoreBackendTest, HistoryAppendsTopHundredPerWindowPerFlush) {
  engine::StoreBatch batch;
  auto snap = MakeSnapshot(kAsOf);
  FillBoard(snap.get(), Window::kAll, 1, 150);
  FillBoard(snap.get(), Window::k1h, 1, 30);
  batch.scores = snap;
  ASSERT_TRUE(store_->Write(batch).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM scores"), 180);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM score_history WHERE win = 'all'"), 100);
  EXPECT_EQ(QueryInt("SELECT MAX(rank) FROM score_history WHERE win = 'all'"), 100);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM score_history WHERE win = '1h'"), 30);

  engine::StoreBatch later;
  auto snap2 = MakeSnapshot(kAsOf + 60'000'000);
  FillBoard(snap2.get(), Window::kAll, 1, 150);
  later.scores = snap2;
  ASSERT_TRUE(store_->Write(later).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM score_history"), 230);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM score_history WHERE user_id = 1 AND "
                     "win = 'all'"),
            2);
  EXPECT_EQ(QueryInt("SELECT MAX(as_of_us) FROM score_history"), kAsOf + 60'000'000);

  // The same as_of written again overwrites its rows instead of duplicating them.
  ASSERT_TRUE(store_->Write(later).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM score_history"), 230);
}

TEST_P(StoreBackendTest, HistoryBoundIsConfigurable) {
  auto store = OpenWithHistoryTopN(2);
  ASSERT_TRUE(store.ok()) << store.status();
  engine::StoreBatch batch;
  auto snap = MakeSnapshot(kAsOf);
  FillBoard(snap.get(), Window::kAll, 1, 5);
  batch.scores = snap;
  ASSERT_TRUE((*store)->Write(batch).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM score_history"), 2);
}

TEST_P(StoreBackendTest, RoundTripsEveryFieldIncludingQuotesAndUnicode) {
  const uint64_t big_user = 0xFEDCBA9876543210ull;  // above INT64_MAX, as hashed ids may be
  const uint64_t big_post = 0x8000000000000001ull;
  engine::StoreBatch batch;
  engine::UserInfo u;
  u.user = UserId{big_user};
  u.handle = "o'brien\"x";
  u.name = "Zoë 🚀 \"quoted\" 'single' -- ; DROP TABLE users;";
  u.location = "São Paulo, 東京";
  u.followers = 123456789012;
  u.following = -1;
  u.posts_reported = 0;
  u.verified = true;
  u.created = EventTime::FromMicros(1'234'567'890'123'456);
  u.observed = EventTime::FromMicros(1'352'000'000'654'321);
  batch.users = {u};

  engine::PostRecord p;
  p.id = PostId{big_post};
  p.platform = model::Platform::kBluesky;
  p.kind = model::PostKind::kQuote;
  p.author = UserId{big_user};
  p.time = EventTime::FromMicros(1'352'000'000'000'001);
  p.text = "line1\nline2\t\"quote\" ‘curly’ 😀 \\ backslash";
  p.lang = "pt-BR";
  p.parent = PostId{7};
  p.root = PostId{5};
  p.in_reply_to = PostId{6};
  p.depth = 2;
  p.country_code = "BR";
  p.reported_likes = 3;
  p.reported_reshares = -1;
  batch.posts = {p};
  batch.cascades = {Cascade(5, 4, 3)};

  auto snap = MakeSnapshot(kAsOf);
  engine::InfluencerRow r;
  r.user = UserId{big_user};
  r.handle = u.handle;
  r.name = u.name;
  r.followers = 123456789012;
  r.metrics = {11, 12, 13, 14, 15, 16, 17};
  r.metrics.cascade_nodes = 18;
  r.metrics.second_level = 19;
  r.metrics.depth_mean = 1.0 / 7.0;
  r.metrics.h_index = 20;
  r.metrics.audience = 21;
  r.pagerank = 2.5e-3;
  r.components = {0.125, 0.25, 0.1 + 0.2, 1.0 / 3.0, 0.7, 1.0 / 9.0};
  r.score = 99.99999999999;
  r.rank = 1;
  snap->boards[static_cast<int>(Window::k24h)].rows = {r};
  batch.scores = snap;
  ASSERT_TRUE(store_->Write(batch).ok());

  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  auto profile = reader->GetUser(UserId{big_user});
  ASSERT_TRUE(profile.ok()) << profile.status();
  const engine::UserInfo& info = profile->info;
  EXPECT_EQ(info.user, u.user);
  EXPECT_EQ(info.handle, u.handle);
  EXPECT_EQ(info.name, u.name);
  EXPECT_EQ(info.location, u.location);
  EXPECT_EQ(info.followers, u.followers);
  EXPECT_EQ(info.following, -1);
  EXPECT_EQ(info.posts_reported, 0);
  EXPECT_TRUE(info.verified);
  EXPECT_EQ(info.created, u.created);
  EXPECT_EQ(info.observed, u.observed);

  const auto& row = profile->windows[static_cast<int>(Window::k24h)];
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->user, r.user);
  EXPECT_EQ(row->handle, r.handle);
  EXPECT_EQ(row->name, r.name);
  EXPECT_EQ(row->followers, r.followers);
  EXPECT_EQ(row->metrics.posts, 11);
  EXPECT_EQ(row->metrics.reshares, 12);
  EXPECT_EQ(row->metrics.quotes, 13);
  EXPECT_EQ(row->metrics.replies, 14);
  EXPECT_EQ(row->metrics.likes, 15);
  EXPECT_EQ(row->metrics.mentions, 16);
  EXPECT_EQ(row->metrics.depth, 17);
  EXPECT_EQ(row->components.reshares, 0.125);
  EXPECT_EQ(row->components.likes, 0.25);
  EXPECT_EQ(row->components.followers, 0.1 + 0.2);
  EXPECT_EQ(row->components.depth, 1.0 / 3.0);
  EXPECT_EQ(row->components.pagerank, 0.7);
  EXPECT_EQ(row->components.audience, 1.0 / 9.0);
  EXPECT_EQ(row->pagerank, 2.5e-3);
  EXPECT_EQ(row->metrics.cascade_nodes, 18);
  EXPECT_EQ(row->metrics.second_level, 19);
  EXPECT_EQ(row->metrics.depth_mean, 1.0 / 7.0);
  EXPECT_EQ(row->metrics.h_index, 20);
  EXPECT_EQ(row->metrics.audience, 21);
  EXPECT_EQ(row->score, 99.99999999999);
  EXPECT_EQ(row->rank, 1);

  // Posts have no reader in ReadModel yet: check the columns directly (as text, which both
  // backends give the same way).
  const Rows posts = QueryRows(
      "SELECT post_id, platform, kind, author_id, time_us, text, lang, parent_id, root_id, "
      "in_reply_to_id, depth, country_code, reported_likes, reported_reshares FROM posts");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_THAT(posts[0], ElementsAre(std::to_string(static_cast<int64_t>(big_post)), "bluesky",
                                    "quote", std::to_string(static_cast<int64_t>(big_user)),
                                    std::to_string(p.time.micros), p.text, "pt-BR", "7", "5", "6",
                                    "2", "BR", "3", "-1"));
  EXPECT_EQ(IdFromSql<PostId>(std::stoll(posts[0][0])), p.id);

  const Rows cascades = QueryRows(
      "SELECT root_id, author_id, size, depth, max_breadth, started_us, last_activity_us "
      "FROM cascades");
  ASSERT_EQ(cascades.size(), 1u);
  EXPECT_THAT(cascades[0],
              ElementsAre("5", "4", "3", "1", "2",
                          std::to_string(EventTime::FromSeconds(1'352'000'000).micros),
                          std::to_string(EventTime::FromSeconds(1'352'000'100).micros)));
}

TEST_P(StoreBackendTest, StatsAndEngineStateFollowFlushes) {
  EXPECT_EQ(store_->stats().flushes, 0);
  engine::StoreBatch batch = ScoredBatch();
  ASSERT_TRUE(store_->Write(batch).ok());
  StoreStats stats = store_->stats();
  EXPECT_EQ(stats.flushes, 1);
  EXPECT_EQ(stats.failures, 0);
  EXPECT_EQ(stats.last_flush, EventTime::FromSeconds(1'700'000'000));
  // 5 users + 4 posts + 2 cascades + 14 scores + 14 history + 19 engine_state keys.
  EXPECT_EQ(stats.rows_written, 5 + 4 + 2 + 14 + 14 + 19);

  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  engine::EngineStats engine_stats = reader->GetStats();
  EXPECT_EQ(engine_stats.events_applied, 17);
  EXPECT_EQ(engine_stats.posts, 4);
  EXPECT_EQ(engine_stats.users, 5);
  EXPECT_EQ(engine_stats.watermark, EventTime::FromMicros(kAsOf));

  engine::StoreBatch next;
  next.stats.events_applied = 20;
  next.as_of = EventTime::FromMicros(kAsOf + 9);
  ASSERT_TRUE(store_->Write(next).ok());
  EXPECT_EQ(reader->GetStats().events_applied, 20);
  auto state = EngineState(*reader);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->as_of, EventTime::FromMicros(kAsOf + 9));
  // The scores' as_of stays the one of the last scored flush.
  EXPECT_EQ(state->scores_as_of, EventTime::FromMicros(kAsOf));
  EXPECT_EQ(state->scores_sequence, 3u);
}

TEST_P(StoreBackendTest, ReaderSeesCommitsWhileWriterStaysOpen) {
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  auto empty = reader->GetLeaderboard({Window::kAll, 10, 0});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->total, 0);

  std::thread writer([&] { EXPECT_TRUE(store_->Write(ScoredBatch()).ok()); });
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto board = reader->GetLeaderboard({Window::kAll, 10, 0});
        ASSERT_TRUE(board.ok()) << board.status();
        // Each answer is one flush or the other, never a mix.
        EXPECT_TRUE(board->total == 0 || board->total == 5) << board->total;
        EXPECT_EQ(static_cast<int64_t>(board->items.size()), board->total);
      }
    });
  }
  writer.join();
  for (auto& t : readers) t.join();
  auto after = reader->GetLeaderboard({Window::kAll, 10, 0});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->total, 5);
}

TEST_P(StoreBackendTest, ReaderOpensAfterWriterClosed) {
  ASSERT_TRUE(store_->Write(ScoredBatch()).ok());
  store_.reset();
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  auto board = reader->GetLeaderboard({Window::kAll, 10, 0});
  ASSERT_TRUE(board.ok()) << board.status();
  EXPECT_EQ(board->total, 5);
}

// --- migrations, on both backends ---------------------------------------------------------------

TEST_P(StoreBackendTest, FreshDatabaseGetsEveryTableViewAndIndex) {
  EXPECT_THAT(SchemaObjects(),
              ElementsAre("cascades", "cascades_by_author", "engine_state", "posts",
                          "posts_by_author", "posts_by_root", "schema_migrations", "score_history",
                          "scores", "scores_by_rank", "topics", "topics_by_time", "users",
                          "v_cascades", "v_influencers", "v_score_history", "v_topic_trends"));
  EXPECT_EQ(QueryInt("SELECT MAX(version) FROM schema_migrations"), LatestSchemaVersion());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM schema_migrations"), LatestSchemaVersion());
}

TEST_P(StoreBackendTest, OpeningAgainAppliesEachMigrationOnce) {
  ManualClock clock(EventTime::FromSeconds(1'800'000'000));
  Options o;
  o.clock = &clock;
  store_.reset();
  auto again = Open(o);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM schema_migrations"), LatestSchemaVersion());
  // applied_at is the first open's time, not the second's.
  const Rows applied = QueryRows("SELECT applied_at FROM schema_migrations WHERE version = 1");
  ASSERT_EQ(applied.size(), 1u);
  EXPECT_NE(applied[0][0], FormatIso8601(clock.Now()));
}

TEST_P(StoreBackendTest, NewerDatabaseIsRejectedByWriterAndReader) {
  store_.reset();
  Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (70, 'later')");
  auto store = Open(options_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("schema version 70"));
  auto reader = OpenReadModel(location_);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM schema_migrations"), LatestSchemaVersion() + 1);
}

// --- BI views -----------------------------------------------------------------------------------

TEST_P(StoreBackendTest, InfluencerViewJoinsScoresWithUsersAndAsOf) {
  ASSERT_TRUE(store_->Write(ScoredBatch()).ok());
  const Rows rows = QueryRows(
      "SELECT win, rank, user_id, handle, followers, verified, location, as_of_us "
      "FROM v_influencers WHERE win = 'all' ORDER BY rank");
  ASSERT_EQ(rows.size(), 5u);
  // Score rows carry the score-time handle ("user2"); users carries the profile (verified).
  EXPECT_THAT(rows[1],
              ElementsAre("all", "2", "2", "user2", "20", "1", "Paris", std::to_string(kAsOf)));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM v_influencers"), 14);
}

TEST_P(StoreBackendTest, HistoryAndCascadeViewsNameTheAuthor) {
  ASSERT_TRUE(store_->Write(ScoredBatch()).ok());
  const Rows history = QueryRows(
      "SELECT as_of_us, win, user_id, handle, rank FROM v_score_history WHERE win = '15m' "
      "ORDER BY rank");
  ASSERT_EQ(history.size(), 5u);
  EXPECT_THAT(history[0], ElementsAre(std::to_string(kAsOf), "15m", "5", "u5", "1"));
  const Rows cascades = QueryRows(
      "SELECT root_id, author_handle, size, duration_us, root_text FROM v_cascades "
      "ORDER BY root_id");
  ASSERT_EQ(cascades.size(), 2u);
  EXPECT_THAT(cascades[0], ElementsAre("100", "u1", "3", "100000000", "post 100"));
}

TEST_P(StoreBackendTest, TopicTrendsShowCountChangeSincePreviousSnapshot) {
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM v_topic_trends"), 0);
  Exec(
      "INSERT INTO topics (win, topic, count, sentiment, as_of_us) VALUES "
      "('1h', 'reach', 10, 0.5, 1000), ('1h', 'reach', 25, 0.25, 2000), "
      "('1h', 'other', 3, -0.5, 2000)");
  const Rows rows = QueryRows(
      "SELECT as_of_us, topic, count, count_change FROM v_topic_trends "
      "ORDER BY as_of_us, topic");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[0], ElementsAre("1000", "reach", "10", "10"));
  EXPECT_THAT(rows[1], ElementsAre("2000", "other", "3", "3"));
  EXPECT_THAT(rows[2], ElementsAre("2000", "reach", "25", "15"));
}

// --- batching ------------------------------------------------------------------------------------

TEST_P(StoreBackendTest, RowsRepeatedInOneBatchEndAsTheLastOccurrence) {
  engine::StoreBatch batch;
  engine::UserInfo later = User(3, "second");
  later.followers = 9;
  batch.users = {User(3, "first"), User(4, "four"), later};
  engine::PostRecord p = Post(10, 3, 10);
  p.reported_likes = 99;
  batch.posts = {Post(10, 3, 10), p};
  batch.cascades = {Cascade(10, 3, 1), Cascade(10, 3, 2)};
  ASSERT_TRUE(store_->Write(batch).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM users"), 2);
  EXPECT_EQ(QueryInt("SELECT followers FROM users WHERE user_id = 3"), 9);
  EXPECT_EQ(QueryRows("SELECT handle FROM users WHERE user_id = 3")[0][0], "second");
  EXPECT_EQ(QueryInt("SELECT reported_likes FROM posts WHERE post_id = 10"), 99);
  EXPECT_EQ(QueryInt("SELECT size FROM cascades WHERE root_id = 10"), 2);
}

TEST_P(StoreBackendTest, LargeBatchIsWrittenCompletely) {
  engine::StoreBatch batch;
  for (uint64_t id = 1; id <= 12'000; ++id) {
    batch.users.push_back(User(id, "h" + std::to_string(id)));
    batch.posts.push_back(Post(100'000 + id, id, 100'000 + id));
  }
  auto snap = MakeSnapshot(kAsOf);
  FillBoard(snap.get(), Window::kAll, 1, 7'000);
  batch.scores = snap;
  ASSERT_TRUE(store_->Write(batch).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM users"), 12'000);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM posts"), 12'000);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM scores"), 7'000);
  EXPECT_EQ(QueryInt("SELECT MAX(rank) FROM scores"), 7'000);
  EXPECT_EQ(QueryRows("SELECT handle FROM users WHERE user_id = 11999")[0][0], "h11999");
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreBackendTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace reach::store
