#include "ingest/live/sse_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reach::ingest {
namespace {

struct Got {
  std::string type, data, id;
};

std::vector<Got> FeedAll(SseParser& p, const std::vector<std::string>& chunks) {
  std::vector<Got> out;
  for (const std::string& c : chunks) {
    p.Feed(c, [&](const SseEvent& e) {
      out.push_back({std::string(e.type), std::string(e.data), std::string(e.id)});
    });
  }
  return out;
}

TEST(SseParserTest, MastodonFraming) {
  SseParser p;
  auto got = FeedAll(
      p, {":thump\n", "event: update\ndata: {\"id\":\"1\"}\n\n", "event: delete\ndata: 109\n\n"});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].type, "update");
  EXPECT_EQ(got[0].data, "{\"id\":\"1\"}");
  EXPECT_EQ(got[1].type, "delete");
  EXPECT_EQ(got[1].data, "109");
  EXPECT_EQ(p.comments(), 1u);
}

TEST(SseParserTest, EveryByteSplitAndCrLf) {
  const std::string wire =
      "event: status.update\r\ndata: a\r\ndata:b\r\nid: 7\r\nretry: 3000\r\n\r\ndata: c\r\r";
  std::vector<std::string> bytes;
  for (char c : wire) bytes.emplace_back(1, c);
  SseParser p;
  auto got = FeedAll(p, bytes);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].type, "status.update");
  EXPECT_EQ(got[0].data, "a\nb");
  EXPECT_EQ(got[0].id, "7");
  EXPECT_EQ(got[1].type, "message");
  EXPECT_EQ(got[1].data, "c");
  EXPECT_EQ(p.retry_ms(), 3000);
}

TEST(SseParserTest, EventWithoutDataIsNotDispatched) {
  SseParser p;
  EXPECT_TRUE(FeedAll(p, {"event: update\n\n"}).empty());
}

TEST(SseParserTest, ResetDropsHalfAnEvent) {
  SseParser p;
  EXPECT_TRUE(FeedAll(p, {"event: update\ndata: {\"id\":"}).empty());
  p.Reset();
  auto got = FeedAll(p, {"event: update\ndata: {}\n\n"});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].data, "{}");
}

TEST(SseParserTest, OversizedEventIsTruncatedWithItsLengthAndParsingResumes) {
  SseParser p(/*max_event_bytes=*/16);
  std::vector<SseEvent> kept;
  std::vector<std::string> data;
  for (const std::string& c :
       {std::string("event: update\ndata: "), std::string(100, 'x'),
        std::string("\ndata: more\n\n"), std::string("event: delete\ndata: 5\n\n")}) {
    p.Feed(c, [&](const SseEvent& e) {
      kept.push_back(e);
      data.emplace_back(e.data);
    });
  }
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_TRUE(kept[0].truncated);
  EXPECT_EQ(data[0], std::string(16, 'x'));
  EXPECT_EQ(kept[0].length, 100u + 1 + 4);  // "xxx...\nmore"
  EXPECT_FALSE(kept[1].truncated);
  EXPECT_EQ(data[1], "5");
  EXPECT_EQ(kept[1].length, 1u);
  EXPECT_EQ(p.oversized(), 1u);
}

TEST(SseParserTest, ManyDataLinesOverTheLimit) {
  SseParser p(/*max_event_bytes=*/10);
  std::vector<std::string> data;
  std::vector<uint64_t> lengths;
  p.Feed("data: 12345\ndata: 67890\ndata: abc\n\ndata: ok\n\n", [&](const SseEvent& e) {
    data.emplace_back(e.data);
    lengths.push_back(e.length);
  });
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0].size(), 10u);
  EXPECT_EQ(lengths[0], 15u);  // "12345\n67890\nabc"
  EXPECT_EQ(data[1], "ok");
}

}  // namespace
}  // namespace reach::ingest
