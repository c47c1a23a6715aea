#include "cli/sim_source.h"

#include <unistd.h>

#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace reach::cli {
namespace {

constexpr int64_t kNow = 1'700'000'000;

TEST(ParseSimSourceTest, DefaultsAreALiveWorldAtWallClockSpeed) {
  EXPECT_TRUE(IsSimSource("sim"));
  EXPECT_TRUE(IsSimSource("sim:"));
  EXPECT_FALSE(IsSimSource("simulated.jsonl"));
  auto spec = ParseSimSource("sim:", kNow);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->options.users, 50'000u);
  EXPECT_EQ(spec->options.posts, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(spec->options.rate, 2000);
  EXPECT_EQ(spec->options.start_time_s, kNow);
  EXPECT_NEAR(spec->options.root_rate, 2000 / 1.7, 1e-9);
  EXPECT_TRUE(spec->truth_path.empty());
}

TEST(ParseSimSourceTest, ReadsEveryKey) {
  auto spec = ParseSimSource(
      "sim:seed=7,users=1000,posts=500,rate=10000/s,follow_degree=12,root_rate=5,start=1672531200,"
      "format=jetstream,truth=/tmp/t.ndjson,monte_carlo=3",
      kNow);
  ASSERT_TRUE(spec.ok()) << spec.status();
  const sim::SimOptions& o = spec->options;
  EXPECT_EQ(o.seed, 7u);
  EXPECT_EQ(o.users, 1000u);
  EXPECT_EQ(o.posts, 500u);
  EXPECT_EQ(o.rate, 10000);
  EXPECT_EQ(o.follow_degree, 12);
  EXPECT_EQ(o.root_rate, 5);
  EXPECT_EQ(o.start_time_s, 1'672'531'200);
  EXPECT_EQ(o.format, sim::Format::kJetstream);
  EXPECT_EQ(spec->truth_path, "/tmp/t.ndjson");
  EXPECT_EQ(o.monte_carlo_runs, 3u);
  // posts=0 is endless; rate=0 leaves the simulated clock alone.
  auto endless = ParseSimSource("sim:posts=0,rate=0", kNow);
  ASSERT_TRUE(endless.ok());
  EXPECT_EQ(endless->options.posts, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(endless->options.root_rate, sim::SimOptions().root_rate);
}

TEST(ParseSimSourceTest, RejectsBadSpecsNamingTheKey) {
  for (const char* bad : {"sim:users", "sim:users=many", "sim:rate=-5", "sim:color=blue",
                          "sim:format=xml", "sim:start=yesterday", "sim:users=1", "file.jsonl"}) {
    auto spec = ParseSimSource(bad, kNow);
    EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_NE(ParseSimSource("sim:color=blue", kNow).status().message().find("color"),
            std::string::npos);
  EXPECT_NE(ParseSimSource("sim:users=1", kNow).status().message().find("users"),
            std::string::npos);
}

std::vector<std::string> ReadAll(ingest::LineReader& reader, std::vector<uint64_t>* numbers) {
  std::vector<std::string> lines;
  ingest::Line line;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&line);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    EXPECT_EQ(line.position.source, "sim");
    EXPECT_EQ(line.length, line.text.size());
    if (numbers != nullptr) numbers->push_back(line.position.line);
    lines.emplace_back(line.text);
  }
  return lines;
}

// The reader yields exactly the simulator's lines, in order, and ends with it.
TEST(OpenSimSourceTest, YieldsTheSimulatorsLinesInOrder) {
  auto spec = ParseSimSource("sim:seed=3,users=500,posts=3000,rate=0,start=1672531200", kNow);
  ASSERT_TRUE(spec.ok()) << spec.status();
  std::vector<std::string> expected;
  ASSERT_TRUE(
      sim::Simulate(
          spec->options, [&](std::string_view l) { expected.emplace_back(l); }, nullptr, nullptr)
          .ok());
  ASSERT_EQ(expected.size(), 3000u);

  auto reader = OpenSimSource(*spec);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::vector<uint64_t> numbers;
  std::vector<std::string> got = ReadAll(**reader, &numbers);
  EXPECT_EQ(got, expected);
  ASSERT_EQ(numbers.size(), got.size());
  for (size_t i = 0; i < numbers.size(); ++i) ASSERT_EQ(numbers[i], i + 1);
  EXPECT_GT((*reader)->bytes_read(), 3000u * 100);
}

TEST(OpenSimSourceTest, WritesTheGroundTruth) {
  const std::string truth =
      ::testing::TempDir() + "/sim_source_truth_" + std::to_string(::getpid()) + ".ndjson";
  auto spec = ParseSimSource("sim:seed=3,users=300,posts=400,rate=0,truth=" + truth, kNow);
  ASSERT_TRUE(spec.ok()) << spec.status();
  {
    auto reader = OpenSimSource(*spec);
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ(ReadAll(**reader, nullptr).size(), 400u);
  }
  std::FILE* f = std::fopen(truth.c_str(), "r");
  ASSERT_NE(f, nullptr);
  int posts = 0, users = 0;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, f) != nullptr) {
    std::string_view l(buf);
    posts += l.find("\"type\":\"post\"") != std::string_view::npos;
    users += l.find("\"type\":\"user\"") != std::string_view::npos;
  }
  std::fclose(f);
  std::remove(truth.c_str());
  EXPECT_EQ(posts, 400);
  EXPECT_EQ(users, 300);
}

// Destroying the reader of an endless paced world stops its thread promptly.
TEST(OpenSimSourceTest, DestroyingTheReaderStopsAnEndlessWorld) {
  auto spec = ParseSimSource("sim:users=200,rate=5000/s", kNow);
  ASSERT_TRUE(spec.ok()) << spec.status();
  auto reader = OpenSimSource(*spec);
  ASSERT_TRUE(reader.ok());
  ingest::Line line;
  for (int i = 0; i < 50; ++i) {
    auto more = (*reader)->Next(&line);
    ASSERT_TRUE(more.ok() && *more);
  }
  reader->reset();  // joins the simulator thread; the test would hang if it did not stop
  SUCCEED();
}

}  // namespace
}  // namespace reach::cli
