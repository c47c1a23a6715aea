#include "store/sqlite_store.h"

#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/sqlite_read_model.h"
#include "store/store_test_util.h"

namespace reach::store {
namespace {

using engine::Window;
using testing::Cascade;
using ::testing::ElementsAre;
using testing::FillBoard;
using ::testing::HasSubstr;
using testing::MakeSnapshot;
using testing::Post;
using testing::QueryInt;
using testing::TempDir;
using testing::User;

constexpr int64_t kAsOf = 1'352'000'000'000'000;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("reach.db");
    auto store = SqliteStore::Open(path_, options_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  std::unique_ptr<SqliteReadModel> Reader() {
    auto model = SqliteReadModel::Open(path_);
    EXPECT_TRUE(model.ok()) << model.status();
    return model.ok() ? std::move(*model) : nullptr;
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
  std::string path_;
  SqliteStoreOptions options_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteStoreTest, OpensInWalModeWithDescription) {
  auto db = SqliteDb::Open(path_, SQLITE_OPEN_READONLY);
  ASSERT_TRUE(db.ok());
  auto st = db->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->ColumnText(0), "wal");
  EXPECT_EQ(store_->description(), "sqlite:" + path_);
}

TEST(SqliteStoreOpenTest, MissingDirectoryIsAClearError) {
  TempDir dir;
  const std::string path = dir.File("no/such/dir/reach.db");
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(store.status().message(), HasSubstr("does not exist"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "no"));
}

TEST(SqliteStoreOpenTest, NotADatabaseIsInternal) {
  TempDir dir;
  const std::string path = dir.File("junk.db");
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("this is not a sqlite database, just some text that is long enough...........\n", f);
    std::fclose(f);
  }
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(store.status().message(), HasSubstr("not a database"));
}

TEST(SqliteReadModelOpenTest, MissingFileIsUnavailable) {
  TempDir dir;
  auto model = SqliteReadModel::Open(dir.File("missing.db"));
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(std::filesystem::exists(dir.File("missing.db")));
}

TEST(SqliteReadModelOpenTest, DatabaseWithoutSchemaIsFailedPrecondition) {
  TempDir dir;
  const std::string path = dir.File("plain.db");
  {
    auto db = SqliteDb::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("CREATE TABLE other (x INTEGER)").ok());
  }
  auto model = SqliteReadModel::Open(path);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(model.status().message(), HasSubstr("no reach schema"));
}

}  // namespace
}  // namespace reach::store
