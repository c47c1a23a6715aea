#include "store/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace reach::store {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

TEST(OpenStoreTest, SqlitePrefixAndBarePathOpenTheSameFile) {
  TempDir dir;
  const std::string path = dir.File("reach.db");
  {
    auto store = OpenStore("sqlite:" + path);
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ((*store)->description(), "sqlite:" + path);
    engine::StoreBatch batch;
    batch.users = {testing::User(4, "four")};
    ASSERT_TRUE((*store)->Write(batch).ok());
  }
  auto bare = OpenStore(path);
  ASSERT_TRUE(bare.ok()) << bare.status();
  EXPECT_EQ((*bare)->description(), "sqlite:" + path);

  auto model = OpenReadModel(path);
  ASSERT_TRUE(model.ok()) << model.status();
  auto user = (*model)->GetUser(UserId{4});
  ASSERT_TRUE(user.ok()) << user.status();
  EXPECT_EQ(user->info.handle, "four");
  auto prefixed = OpenReadModel("sqlite:" + path);
  ASSERT_TRUE(prefixed.ok()) << prefixed.status();
}

TEST(OpenStoreTest, PostgresUrlsGoToThePostgresBackend) {
  // Port 1 on loopback refuses connections: the PostgreSQL backend answers Unavailable (a
  // retryable error) and names the server, for both URL schemes.
  for (const char* url : {"postgres://u@127.0.0.1:1/reach", "postgresql://127.0.0.1:1/reach"}) {
    auto store = OpenStore(url);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable) << store.status();
    EXPECT_THAT(store.status().message(), HasSubstr("postgres: cannot connect to"));
    auto model = OpenReadModel(url);
    ASSERT_FALSE(model.ok());
    EXPECT_EQ(model.status().code(), absl::StatusCode::kUnavailable);
  }
}

TEST(OpenStoreTest, EmptyPathIsInvalid) {
  for (const char* location : {"", "sqlite:"}) {
    auto store = OpenStore(location);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(OpenStoreTest, MissingDirectoryIsNotCreated) {
  TempDir dir;
  auto store = OpenStore("sqlite:" + dir.File("absent/reach.db"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(store.status().message(), HasSubstr("absent"));
}

}  // namespace
}  // namespace reach::store
