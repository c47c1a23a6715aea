#include "store/migrations.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "common/clock.h"
#include "store/sqlite_read_model.h"
#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace reach::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::QueryInt;
using testing::TempDir;

TEST(MigrationsTest, NumberedFromOneWithoutGaps) {
  int expected = 1;
  for (const Migration& m : AllMigrations()) {
    EXPECT_EQ(m.version, expected);
    EXPECT_FALSE(m.statements.empty());
    ++expected;
  }
  EXPECT_EQ(LatestSchemaVersion(), expected - 1);
  EXPECT_EQ(LatestSchemaVersion(), 3);
}

TEST(MigrationsTest, CheckSchemaVersion) {
  EXPECT_TRUE(CheckSchemaVersion(0).ok());
  EXPECT_TRUE(CheckSchemaVersion(LatestSchemaVersion()).ok());
  absl::Status newer = CheckSchemaVersion(LatestSchemaVersion() + 1);
  EXPECT_EQ(newer.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(newer.message(), HasSubstr("schema version 4"));
  EXPECT_EQ(CheckSchemaVersion(-1).code(), absl::StatusCode::kInvalidArgument);
}

// The list is meant for PostgreSQL too: no SQLite-only syntax, no column named "window".
TEST(MigrationsTest, SchemaSqlIsPortable) {
  for (const Migration& m : AllMigrations()) {
    for (std::string_view sql : m.statements) {
      std::string upper(sql);
      absl::AsciiStrToUpper(&upper);
      EXPECT_THAT(upper, ::testing::Not(HasSubstr("AUTOINCREMENT"))) << sql;
      EXPECT_THAT(upper, ::testing::Not(HasSubstr("WITHOUT ROWID"))) << sql;
      EXPECT_THAT(upper, ::testing::Not(HasSubstr("PRAGMA"))) << sql;
      EXPECT_THAT(upper, ::testing::Not(HasSubstr(" REAL"))) << sql;
      EXPECT_THAT(upper, ::testing::Not(HasSubstr("WINDOW"))) << sql;
      EXPECT_THAT(upper, ::testing::Not(HasSubstr("IF NOT EXISTS"))) << sql;
    }
  }
}

TEST(MigrationsTest, FreshDatabaseGetsEveryTableAndIndex) {
  TempDir dir;
  const std::string path = dir.File("fresh.db");
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  auto db = SqliteDb::Open(path, SQLITE_OPEN_READONLY);
  ASSERT_TRUE(db.ok()) << db.status();
  auto st = db->Prepare(
      "SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'view') AND name NOT LIKE "
      "'sqlite_%' ORDER BY name");
  ASSERT_TRUE(st.ok()) << st.status();
  std::vector<std::string> names;
  while (*st->Step()) names.push_back(st->ColumnText(0));
  EXPECT_THAT(names,
              ElementsAre("cascades", "cascades_by_author", "engine_state", "posts",
                          "posts_by_author", "posts_by_root", "schema_migrations", "score_history",
                          "scores", "scores_by_rank", "topics", "topics_by_time", "users",
                          "v_cascades", "v_influencers", "v_score_history", "v_topic_trends"));
  EXPECT_EQ(QueryInt(path, "SELECT MAX(version) FROM schema_migrations"), 3);
}

TEST(MigrationsTest, OpeningTwiceAppliesEachMigrationOnce) {
  TempDir dir;
  const std::string path = dir.File("twice.db");
  ManualClock clock(EventTime::FromSeconds(1'700'000'000));
  SqliteStoreOptions options;
  options.clock = &clock;
  ASSERT_TRUE(SqliteStore::Open(path, options).ok());
  clock.Advance(Duration::Hours(1));
  auto again = SqliteStore::Open(path, options);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM schema_migrations"), 3);
  // applied_at is the first open's time, not overwritten by the second.
  auto db = SqliteDb::Open(path, SQLITE_OPEN_READONLY);
  ASSERT_TRUE(db.ok());
  auto st = db->Prepare("SELECT applied_at FROM schema_migrations WHERE version = 1");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->ColumnText(0), "2023-11-14T22:13:20.000Z");
}

TEST(MigrationsTest, NewerDatabaseIsRejectedByWriterAndReader) {
  TempDir dir;
  const std::string path = dir.File("newer.db");
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  {
    auto db = SqliteDb::Open(path, SQLITE_OPEN_READWRITE);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(
        db->Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (7, 'later')").ok());
  }
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("schema version 7"));
  auto reader = SqliteReadModel::Open(path);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kFailedPrecondition);
  // The rejected open changed nothing.
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM schema_migrations"), 4);
}

// A database written by the previous version (schema 2) with a score row: migration 3 adds the
// score v2 columns with zeros and the BI view shows them.
TEST(MigrationsTest, VersionTwoDatabaseUpgradesWithItsRows) {
  TempDir dir;
  const std::string path = dir.File("v2.db");
  {
    auto db = SqliteDb::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec(std::string(kCreateSchemaMigrations)).ok());
    for (const Migration& m : AllMigrations()) {
      if (m.version > 2) break;
      for (std::string_view sql : m.statements) ASSERT_TRUE(db->Exec(std::string(sql)).ok()) << sql;
      ASSERT_TRUE(db->Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (" +
                           std::to_string(m.version) + ", 'before')")
                      .ok());
    }
    ASSERT_TRUE(db->Exec("INSERT INTO scores VALUES ('all', 7, 1, 50.5, 0.5, 0.5, 0.5, 0.5, 1, 2, "
                         "3, 4, 5, 6, 1, 100, 'ann', 'Ann')")
                    .ok());
  }
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  EXPECT_EQ(QueryInt(path, "SELECT MAX(version) FROM schema_migrations"), 3);
  EXPECT_EQ(QueryInt(path, "SELECT reshares FROM v_influencers WHERE user_id = 7"), 2);
  EXPECT_EQ(QueryInt(path,
                     "SELECT audience + h_index + second_level + cascade_nodes FROM "
                     "v_influencers WHERE user_id = 7"),
            0);
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM scores WHERE c_pagerank = 0 AND depth_mean = 0"),
            1);
}

TEST(MigrationsTest, SchemaVersionOfEmptyDatabaseIsZero) {
  TempDir dir;
  auto db = SqliteDb::Open(dir.File("empty.db"), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  ASSERT_TRUE(db.ok());
  auto version = SqliteSchemaVersion(*db);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 0);
  ASSERT_TRUE(MigrateSqlite(*db, SystemClock::Get()).ok());
  version = SqliteSchemaVersion(*db);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, LatestSchemaVersion());
}

}  // namespace
}  // namespace reach::store
