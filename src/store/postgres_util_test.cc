// PostgreSQL-only behaviour: literal encoding, URL redaction, outages and reconnection, schema
// checks of the read model. The behaviour shared with SQLite is in store_backend_test.cc.
#include "store/postgres_util.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/pg_test_cluster.h"
#include "store/postgres_read_model.h"
#include "store/postgres_store.h"
#include "store/store_test_util.h"

namespace reach::store {
namespace {

using ::testing::HasSubstr;
using testing::PgTestCluster;
using testing::User;

TEST(PgArrayTest, QuotesEveryTextAndEscapesQuotesAndBackslashes) {
  PgArray a;
  a.Text("plain");
  a.Text("with \"quote\", comma {brace}");
  a.Text("back\\slash");
  a.Text("NULL");
  a.Text(std::string("nul\0byte", 8));
  EXPECT_EQ(a.size(), 5u);
  EXPECT_EQ(a.Take(),
            "{\"plain\",\"with \\\"quote\\\", comma {brace}\",\"back\\\\slash\",\"NULL\","
            "\"nulbyte\"}");
  EXPECT_EQ(a.Take(), "{}");
  a.Int64(-5);
  a.Id(UserId{0xFFFFFFFFFFFFFFFFull});
  a.Double(0.1);
  EXPECT_EQ(a.Take(), "{-5,-1,0.1}");
}

TEST(PgArrayTest, RedactsPasswordsOnly) {
  EXPECT_EQ(RedactPostgresUrl("postgres://reach:s3cret@db:5432/reach"),
            "postgres://reach:***@db:5432/reach");
  EXPECT_EQ(RedactPostgresUrl("postgres://reach@db:5432/reach"), "postgres://reach@db:5432/reach");
  EXPECT_EQ(RedactPostgresUrl("postgresql://db/reach"), "postgresql://db/reach");
  EXPECT_TRUE(IsPostgresUrl("postgresql://x"));
  EXPECT_FALSE(IsPostgresUrl("sqlite:postgres://x"));
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = PgTestCluster::Shared();
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    auto url = (*cluster)->CreateDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
  }

  int64_t QueryInt(const std::string& sql) {
    auto conn = PgConn::Connect(url_);
    EXPECT_TRUE(conn.ok()) << conn.status();
    if (!conn.ok()) return -1;
    auto r = conn->Query(sql);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() && r->rows() > 0 ? r->Int64(0, 0) : -1;
  }

  std::string url_;
};

TEST_F(PostgresStoreTest, SmallStatementChunksWriteEveryRow) {
  PostgresStoreOptions options;
  options.rows_per_statement = 2;
  auto store = PostgresStore::Open(url_, options);
  ASSERT_TRUE(store.ok()) << store.status();
  engine::StoreBatch batch;
  for (uint64_t id = 1; id <= 5; ++id) batch.users.push_back(User(id, "u" + std::to_string(id)));
  ASSERT_TRUE((*store)->Write(batch).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM users"), 5);
  // 5 users + the 10 engine_state keys of a batch without scores.
  EXPECT_EQ((*store)->stats().rows_written, 5 + 10);
}

TEST_F(PostgresStoreTest, NulBytesAreDroppedFromText) {
  auto store = PostgresStore::Open(url_);
  ASSERT_TRUE(store.ok()) << store.status();
  engine::StoreBatch batch;
  batch.users = {User(1, std::string("a\0b", 3))};
  ASSERT_TRUE((*store)->Write(batch).ok());
  auto conn = PgConn::Connect(url_);
  ASSERT_TRUE(conn.ok());
  auto r = conn->Query("SELECT handle FROM users");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Text(0, 0), "ab");
}

TEST_F(PostgresStoreTest, ZeroRowsPerStatementIsInvalid) {
  PostgresStoreOptions options;
  options.rows_per_statement = 0;
  auto store = PostgresStore::Open(url_, options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(PostgresStoreTest, ReadModelRejectsDatabaseWithoutSchema) {
  auto model = PostgresReadModel::Open(url_);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(model.status().message(), HasSubstr("no reach schema"));
}

TEST_F(PostgresStoreTest, DescriptionHidesThePassword) {
  auto store = PostgresStore::Open(url_);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->description(), url_);
  EXPECT_EQ(url_.find(':', std::string("postgres://").size()) != std::string::npos, true);
}

// The server goes away and comes back on the same port: writes fail as Unavailable while it is
// down, nothing half-written remains, and the same store and reader carry on once it is back.
TEST(PostgresOutageTest, StoreAndReaderReconnectAfterServerRestart) {
  auto cluster = PgTestCluster::Start();  // its own server: stopping it must not disturb others
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  auto url = (*cluster)->CreateDatabase("outage");
  ASSERT_TRUE(url.ok()) << url.status();
  auto store = PostgresStore::Open(*url);
  ASSERT_TRUE(store.ok()) << store.status();
  engine::StoreBatch first;
  first.users = {User(1, "before")};
  ASSERT_TRUE((*store)->Write(first).ok());
  auto reader = PostgresReadModel::Open(*url);
  ASSERT_TRUE(reader.ok()) << reader.status();
  ASSERT_TRUE((*reader)->GetUser(UserId{1}).ok());

  ASSERT_TRUE((*cluster)->StopServer().ok());
  engine::StoreBatch during;
  during.users = {User(2, "during")};
  absl::Status down = (*store)->Write(during);
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.code(), absl::StatusCode::kUnavailable) << down;
  // A second attempt while down fails the same way (reconnect refused).
  EXPECT_EQ((*store)->Write(during).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ((*store)->stats().failures, 2);
  auto unreadable = (*reader)->GetUser(UserId{1});
  ASSERT_FALSE(unreadable.ok());
  EXPECT_EQ(unreadable.status().code(), absl::StatusCode::kUnavailable);

  ASSERT_TRUE((*cluster)->StartServer().ok());
  ASSERT_TRUE((*store)->Write(during).ok());
  EXPECT_EQ((*store)->stats().flushes, 2);
  auto after = (*reader)->GetUser(UserId{2});
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->info.handle, "during");
  auto before = (*reader)->GetUser(UserId{1});
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->info.handle, "before");
}

}  // namespace
}  // namespace reach::store
