#include "ingest/dead_letter.h"

#include <unistd.h>

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace reach::ingest {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(DeadLetterWriterTest, WritesOneJsonObjectPerReject) {
  std::string path =
      (fs::temp_directory_path() / ("reach_dead_letter_" + std::to_string(::getpid()) + ".jsonl"))
          .string();
  fs::remove(path);
  {
    DeadLetterWriter writer;
    ASSERT_TRUE(writer.Open(path).ok());
    SourcePosition pos{"in/a.jsonl", 17, 4096};
    std::string_view record = "{\"id\":1,\"text\":\"a\\\"b\"";
    ASSERT_TRUE(
        writer.Write(pos, RejectReason::kMalformedJson, "missing } at end", record, record.size())
            .ok());
    ASSERT_TRUE(writer
                    .Write(SourcePosition{"stdin", 3, 10}, RejectReason::kInvalidUtf8, "utf8",
                           "{\"t\":\"\xff\"}", 8)
                    .ok());
    std::string big(2 << 20, 'z');
    ASSERT_TRUE(
        writer.Write(SourcePosition{"b", 1, 0}, RejectReason::kTooLarge, "big", big, 10'000'000)
            .ok());
    ASSERT_TRUE(writer.Flush().ok());
  }
  std::vector<std::string> lines = ReadLines(path);
  ASSERT_EQ(lines.size(), 3u);
  simdjson::dom::parser parser;

  simdjson::dom::element first;
  ASSERT_EQ(parser.parse(lines[0]).get(first), simdjson::SUCCESS) << lines[0];
  EXPECT_EQ(std::string_view(first["source"]), "in/a.jsonl");
  EXPECT_EQ(uint64_t(first["line"]), 17u);
  EXPECT_EQ(uint64_t(first["offset"]), 4096u);
  EXPECT_EQ(std::string_view(first["reason"]), "malformed_json");
  EXPECT_EQ(std::string_view(first["detail"]), "missing } at end");
  EXPECT_EQ(uint64_t(first["length"]), 21u);
  EXPECT_EQ(std::string_view(first["record"]), "{\"id\":1,\"text\":\"a\\\"b\"");
  EXPECT_EQ(first["lossy"].error(), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(first["truncated"].error(), simdjson::NO_SUCH_FIELD);

  simdjson::dom::element second;
  ASSERT_EQ(parser.parse(lines[1]).get(second), simdjson::SUCCESS) << lines[1];
  EXPECT_EQ(std::string_view(second["reason"]), "invalid_utf8");
  EXPECT_TRUE(bool(second["lossy"]));
  EXPECT_EQ(std::string_view(second["record"]), "{\"t\":\"\xEF\xBF\xBD\"}");

  simdjson::dom::element third;
  ASSERT_EQ(parser.parse(lines[2]).get(third), simdjson::SUCCESS);
  EXPECT_TRUE(bool(third["truncated"]));
  EXPECT_EQ(uint64_t(third["length"]), 10'000'000u);
  EXPECT_EQ(std::string_view(third["record"]).size(), 1u << 20);
  fs::remove(path);
}

TEST(DeadLetterWriterTest, EmptyPathDisablesIt) {
  DeadLetterWriter writer;
  ASSERT_TRUE(writer.Open("").ok());
  EXPECT_TRUE(writer.Write(SourcePosition{}, RejectReason::kTooDeep, "", "x", 1).ok());
  EXPECT_TRUE(writer.Flush().ok());
}

TEST(DeadLetterWriterTest, UnwritablePathIsAnError) {
  DeadLetterWriter writer;
  EXPECT_EQ(writer.Open("/nonexistent-dir/x.jsonl").code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace reach::ingest
