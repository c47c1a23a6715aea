#include "store/export.h"

#include <cstdio>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/migrations.h"
#include "store/pg_test_cluster.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "store/store_test_util.h"

namespace reach::store {
namespace {

using testing::Cascade;
using ::testing::HasSubstr;
using testing::Post;
using testing::TempDir;
using testing::User;

// Runs ExportView into a memory buffer.
absl::StatusOr<std::string> Export(const std::string& location, std::string_view view,
                                   std::string_view format) {
  char* data = nullptr;
  size_t size = 0;
  std::FILE* out = ::open_memstream(&data, &size);
  absl::Status st = ExportView(location, view, format, out);
  std::fclose(out);
  std::string text(data, size);
  std::free(data);
  if (!st.ok()) return st;
  return text;
}

// Users with awkward handles, two cascades, one scored window.
void WriteFixture(Store& store) {
  engine::StoreBatch batch;
  engine::UserInfo big = User(0xFEDCBA9876543210ull, "comma,and\"quote");
  big.name = "line\nbreak";
  batch.users = {User(1, "plain"), big};
  batch.posts = {Post(10, 1, 10)};
  batch.cascades = {Cascade(10, 1, 3), Cascade(0x8000000000000001ull, 0xFEDCBA9876543210ull, 2)};
  auto snap = testing::MakeSnapshot(1'352'000'000'000'000);
  engine::InfluencerRow r = testing::Row(1, 1, 87.5, "plain");
  r.components.likes = 0.1;
  snap->boards[static_cast<int>(engine::Window::k1h)].rows = {r};
  batch.scores = snap;
  ASSERT_TRUE(store.Write(batch).ok());
}

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("reach.db");
    auto store = OpenStore(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    WriteFixture(**store);
  }
  TempDir dir_;
  std::string path_;
};

TEST_F(ExportTest, CsvQuotesFieldsAndWritesIdsUnsigned) {
  auto csv = Export(path_, "v_cascades", "csv");
  ASSERT_TRUE(csv.ok()) << csv.status();
  // Ordered by root_id as stored (signed): the id above 2^63 is negative in SQL, so it sorts first.
  const std::string expected =
      "root_id,author_id,author_handle,size,depth,max_breadth,started_us,last_activity_us,"
      "duration_us,root_text\r\n"
      "9223372036854775809,18364758544493064720,\"comma,and\"\"quote\",2,1,1,1352000000000000,"
      "1352000100000000,100000000,\r\n"
      "10,1,plain,3,1,2,1352000000000000,1352000100000000,100000000,post 10\r\n";
  EXPECT_EQ(*csv, expected);
}

TEST_F(ExportTest, NdjsonHasOneObjectPerRowWithIdsAsStrings) {
  auto ndjson = Export(path_, "v_influencers", "ndjson");
  ASSERT_TRUE(ndjson.ok()) << ndjson.status();
  EXPECT_EQ(*ndjson,
            "{\"win\":\"1h\",\"rank\":1,\"user_id\":\"1\",\"handle\":\"plain\",\"name\":\"Name 1\","
            "\"followers\":10,\"score\":87.5,\"c_reshares\":0.875,\"c_likes\":0.1,"
            "\"c_followers\":0,\"c_depth\":0,\"posts\":1,\"reshares\":99,\"quotes\":0,"
            "\"replies\":0,\"likes\":2,\"mentions\":0,\"depth\":1,\"verified\":0,"
            "\"location\":\"Paris\",\"as_of_us\":1352000000000000,\"c_pagerank\":0,"
            "\"c_audience\":0,\"pagerank\":0,\"audience\":0,\"h_index\":0,\"second_level\":0,"
            "\"cascade_nodes\":0,\"depth_mean\":0}\n");
}

TEST_F(ExportTest, EmptyViewHasOnlyTheHeader) {
  auto csv = Export(path_, "v_topic_trends", "csv");
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(*csv, "as_of_us,win,topic,count,sentiment,count_change\r\n");
  auto ndjson = Export(path_, "v_topic_trends", "ndjson");
  ASSERT_TRUE(ndjson.ok());
  EXPECT_EQ(*ndjson, "");
}

TEST_F(ExportTest, UnknownViewOrFormatNamesTheKnownOnes) {
  auto view = Export(path_, "users", "csv");
  ASSERT_FALSE(view.ok());
  EXPECT_EQ(view.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(view.status().message(),
              HasSubstr("known views: v_influencers, v_score_history, v_cascades, v_topic_trends"));
  auto format = Export(path_, "v_cascades", "xml");
  ASSERT_FALSE(format.ok());
  EXPECT_EQ(format.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(format.status().message(), HasSubstr("known formats: csv, ndjson"));
}

TEST(ExportOpenTest, MissingFileIsUnavailable) {
  TempDir dir;
  auto csv = Export(dir.File("absent.db"), "v_cascades", "csv");
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().code(), absl::StatusCode::kUnavailable);
}

TEST(ExportOpenTest, OldSchemaIsFailedPrecondition) {
  TempDir dir;
  const std::string path = dir.File("old.db");
  {
    auto db = SqliteDb::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec(kCreateSchemaMigrations).ok());
    ASSERT_TRUE(db->Exec("INSERT INTO schema_migrations VALUES (1, 'x')").ok());
  }
  auto csv = Export(path, "v_cascades", "csv");
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(csv.status().message(), HasSubstr("the views need 2"));
}

// The same data exported from PostgreSQL is byte-for-byte what SQLite gives.
TEST(PostgresExportTest, SameBytesAsSqlite) {
  auto cluster = testing::PgTestCluster::Shared();
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  auto url = (*cluster)->CreateDatabase();
  ASSERT_TRUE(url.ok()) << url.status();
  TempDir dir;
  const std::string path = dir.File("reach.db");
  for (const std::string& location : {*url, path}) {
    auto store = OpenStore(location);
    ASSERT_TRUE(store.ok()) << store.status();
    WriteFixture(**store);
  }
  for (const ExportableView& view : ExportableViews()) {
    for (std::string_view format : ExportFormats()) {
      auto pg = Export(*url, view.name, format);
      auto lite = Export(path, view.name, format);
      ASSERT_TRUE(pg.ok()) << pg.status();
      ASSERT_TRUE(lite.ok()) << lite.status();
      EXPECT_EQ(*pg, *lite) << view.name << " " << format;
    }
  }
}

}  // namespace
}  // namespace reach::store
