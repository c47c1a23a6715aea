#include "cli/config.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace reach::cli {
namespace {

TEST(ParseDurationTest, AcceptsUnits) {
  EXPECT_EQ(ParseDuration("250ms")->micros, 250'000);
  EXPECT_EQ(ParseDuration("5s")->micros, 5'000'000);
  EXPECT_EQ(ParseDuration("2m")->micros, 120'000'000);
  EXPECT_EQ(ParseDuration("1h")->micros, 3'600'000'000);
}

TEST(ParseDurationTest, RejectsGarbage) {
  EXPECT_EQ(ParseDuration("5").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseDuration("fast").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseDuration("-1s").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseDuration("5 weeks").status().code(), absl::StatusCode::kInvalidArgument);
}

std::string WriteTemp(const std::string& text) {
  auto path =
      std::filesystem::temp_directory_path() /
      ("reach_config_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
       ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml");
  std::ofstream(path) << text;
  return path.string();
}

TEST(LoadConfigFileTest, ReadsEverySection) {
  std::string path = WriteTemp(R"(
[score]
reshares = 1.0
depth = 0.0
pagerank = 2
audience = 0.5
[store]
path = "x.db"
flush_interval = "2s"
[http]
listen = "127.0.0.1:9999"
api_token = "t0ken"
[engine]
publish_interval = "100ms"
window_clock = "wall"
follow_graph = "follows.txt.gz"
)");
  Config c;
  ASSERT_TRUE(LoadConfigFile(path, &c).ok());
  EXPECT_EQ(c.weights.reshares, 1.0);
  EXPECT_EQ(c.weights.depth, 0.0);
  EXPECT_EQ(c.weights.likes, 0.15);    // untouched default
  EXPECT_EQ(c.weights.pagerank, 2.0);  // an integer is a number too
  EXPECT_EQ(c.weights.audience, 0.5);
  EXPECT_EQ(c.store, "x.db");
  EXPECT_EQ(c.flush_interval.micros, 2'000'000);
  EXPECT_EQ(c.listen, "127.0.0.1:9999");
  EXPECT_EQ(c.api_token, "t0ken");
  EXPECT_EQ(c.publish_interval.micros, 100'000);
  EXPECT_TRUE(c.wall_clock_windows);
  EXPECT_EQ(c.follow_graph, "follows.txt.gz");
  std::remove(path.c_str());
}

TEST(LoadConfigFileTest, BadFilesNameTheProblem) {
  Config c;
  std::string syntax = WriteTemp("[score\nreshares = 1");
  absl::Status st = LoadConfigFile(syntax, &c);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find(syntax), std::string::npos);
  std::string negative = WriteTemp("[score]\nlikes = -2.0\n");
  st = LoadConfigFile(negative, &c);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("non-negative"), std::string::npos);
  std::string typo = WriteTemp("[score]\npagernk = 1.0\n");
  st = LoadConfigFile(typo, &c);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("unknown key 'pagernk'"), std::string::npos) << st.message();
  std::string text = WriteTemp("[score]\naudience = \"high\"\n");
  st = LoadConfigFile(text, &c);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("[score] audience must be a number"), std::string::npos)
      << st.message();
  std::string zero = WriteTemp(
      "[score]\nreshares = 0\nlikes = 0\nfollowers = 0\ndepth = 0\npagerank = 0\naudience = 0\n");
  st = LoadConfigFile(zero, &c);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("positive"), std::string::npos) << st.message();
  std::remove(typo.c_str());
  std::remove(text.c_str());
  std::remove(zero.c_str());
  std::string clock = WriteTemp("[engine]\nwindow_clock = \"sundial\"\n");
  EXPECT_EQ(LoadConfigFile(clock, &c).code(), absl::StatusCode::kInvalidArgument);
  std::remove(syntax.c_str());
  std::remove(negative.c_str());
  std::remove(clock.c_str());
}

TEST(ArchiveDirTest, BesideASqliteStoreUnlessToldOtherwise) {
  Config c;
  EXPECT_EQ(ResolveArchiveDir(c), "reach-archive");  // store reach.db
  c.store = "data/run1.db";
  EXPECT_EQ(ResolveArchiveDir(c), "data/run1-archive");
  c.store = "sqlite:/var/lib/reach/x.sqlite";
  EXPECT_EQ(ResolveArchiveDir(c), "/var/lib/reach/x-archive");
  c.store = "none";
  EXPECT_EQ(ResolveArchiveDir(c), "");
  c.store = "postgres://reach@db/reach";
  EXPECT_EQ(ResolveArchiveDir(c), "");
  c.archive = "/srv/archive";
  EXPECT_EQ(ResolveArchiveDir(c), "/srv/archive");
  c.store = "reach.db";
  c.archive = "none";
  EXPECT_EQ(ResolveArchiveDir(c), "");
}

TEST(LoadConfigFileTest, ArchiveAndTokenSettings) {
  Config c;
  std::string path = WriteTemp(
      "[ingest]\narchive = \"/a\"\narchive_fsync = \"never\"\n[http]\napi_token = \"s3cret\"\n");
  ASSERT_TRUE(LoadConfigFile(path, &c).ok());
  EXPECT_EQ(c.archive, "/a");
  EXPECT_EQ(c.archive_fsync, "never");
  EXPECT_EQ(c.api_token, "s3cret");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace reach::cli
