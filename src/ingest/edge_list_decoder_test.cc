#include "ingest/edge_list_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/stable_hash.h"
#include "ingest/twitter_v2_decoder_golden_counts.h"

namespace reach::ingest {
namespace {

using model::Event;
using model::Post;
using model::PostKind;
using ::testing::HasSubstr;

constexpr char kHiggs[] = REACH_SHARED_DATA "/higgs/higgs-activity_time.txt.gz";

Post DecodeOne(EdgeListDecoder* d, std::string_view line) {
  std::vector<Event> out;
  DecodeResult r = d->Decode(line, &out);
  EXPECT_TRUE(r.accepted) << RejectReasonName(r.reason) << ": " << r.detail;
  EXPECT_TRUE(r.control.empty());
  EXPECT_EQ(out.size(), 1u);
  if (out.size() != 1 || !std::holds_alternative<Post>(out[0])) return Post{};
  return std::get<Post>(out[0]);
}

TEST(EdgeListGoldenTest, HiggsActivityMatchesThePythonReference) {
  golden::Table expected = golden::ReadExpected();
  const std::string rel = "higgs/higgs-activity_time.txt.gz";
  ASSERT_TRUE(expected.contains(rel));
  EdgeListDecoder decoder;
  std::map<std::string, int64_t> got = golden::CountFile(kHiggs, &decoder);
  for (const auto& [column, value] : expected[rel]) {
    if (column == "withheld" || column == "edited") continue;  // v2 only
    EXPECT_EQ(got[column], value) << column;
  }
  // SOURCE.txt: 563,069 lines (354,930 RT, 171,237 MT, 36,902 RE).
  EXPECT_EQ(got["records"], 563069);
  EXPECT_EQ(got["reshares"], 354930);
  EXPECT_EQ(got["originals"], 171237);
  EXPECT_EQ(got["replies"], 36902);
  // The file has no duplicate lines, so every line must get its own synthetic post id.
  EXPECT_EQ(got["distinct_post_ids"], 563069);
}

TEST(EdgeListDecoderTest, FirstHiggsLines) {
  EdgeListDecoder d;
  Post mt = DecodeOne(&d, "223789 213163 1341100972 MT");
  EXPECT_EQ(mt.id, PostId(StableHash64("snap:223789 213163 1341100972 MT")));
  EXPECT_EQ(mt.platform, model::Platform::kDataset);
  EXPECT_EQ(mt.kind, PostKind::kOriginal);
  EXPECT_EQ(mt.author, UserId(223789));
  EXPECT_EQ(mt.time, EventTime::FromSeconds(1341100972));
  ASSERT_EQ(mt.mentions.size(), 1u);
  EXPECT_EQ(mt.mentions[0].user, UserId(213163));
  EXPECT_FALSE(mt.parent.valid());
  EXPECT_FALSE(mt.in_reply_to_user.valid());

  Post re = DecodeOne(&d, "223789 213163 1341100972 RE");
  EXPECT_EQ(re.kind, PostKind::kReply);
  EXPECT_NE(re.id, mt.id);
  EXPECT_EQ(re.in_reply_to_user, UserId(213163));
  EXPECT_FALSE(re.in_reply_to.valid());
  EXPECT_TRUE(re.mentions.empty());

  Post rt = DecodeOne(&d, "376989 50329 1341101181 RT");
  EXPECT_EQ(rt.kind, PostKind::kReshare);
  EXPECT_EQ(rt.author, UserId(376989));
  EXPECT_EQ(rt.parent_author, UserId(50329));
  EXPECT_EQ(rt.parent, EdgeListDecoder::RootPostId(UserId(50329), 1341101181));
  EXPECT_EQ(rt.parent, PostId(StableHash64("snap:root:50329:15522")));  // 1341101181 / 86400
  EXPECT_FALSE(rt.in_reply_to_user.valid());
}

TEST(EdgeListDecoderTest, OneCascadeRootPerRetweetedUserAndDay) {
  EdgeListDecoder d;
  Post a = DecodeOne(&d, "1 9 1341100800 RT");  // 2012-07-01 00:00:00 UTC
  Post b = DecodeOne(&d, "2 9 1341187199 RT");  // same UTC day, last second
  Post c = DecodeOne(&d, "3 9 1341187200 RT");  // next day
  Post other = DecodeOne(&d, "4 8 1341100800 RT");
  EXPECT_EQ(a.parent, b.parent);
  EXPECT_NE(a.parent, c.parent);
  EXPECT_NE(a.parent, other.parent);
  EXPECT_NE(a.id, b.id);
}

TEST(EdgeListDecoderTest, WhitespaceDoesNotChangeTheId) {
  EdgeListDecoder d;
  Post plain = DecodeOne(&d, "5 6 1341100972 RT");
  Post tabs = DecodeOne(&d, "5\t6\t1341100972\tRT\r");
  Post spaced = DecodeOne(&d, "  5   6 1341100972 RT  ");
  EXPECT_EQ(tabs.id, plain.id);
  EXPECT_EQ(spaced.id, plain.id);
  // Decoding is deterministic across decoder instances (replay).
  EdgeListDecoder other;
  EXPECT_EQ(DecodeOne(&other, "5 6 1341100972 RT").id, plain.id);
}

TEST(EdgeListDecoderTest, CommentLinesAreControl) {
  EdgeListDecoder d;
  std::vector<Event> out;
  DecodeResult r = d.Decode("# Directed graph: higgs-activity_time.txt", &out);
  EXPECT_TRUE(r.accepted);
  EXPECT_EQ(r.control, "comment");
  EXPECT_TRUE(out.empty());
}

TEST(EdgeListDecoderTest, RejectionsNameTheReason) {
  struct Case {
    const char* line;
    RejectReason reason;
    const char* detail;
  };
  const Case cases[] = {
      {"", RejectReason::kMissingField, "got 0"},
      {"1 2 1341100972", RejectReason::kMissingField, "got 3"},
      {"1 2 1341100972 RT extra", RejectReason::kUnknownFormat, "got more"},
      {"a 2 1341100972 RT", RejectReason::kWrongType, "userA"},
      {"1 -2 1341100972 RT", RejectReason::kWrongType, "userB"},
      {"0 2 1341100972 RT", RejectReason::kWrongType, "userA"},
      {"1 99999999999999999999 1341100972 RT", RejectReason::kWrongType, "userB"},
      {"1 2 yesterday RT", RejectReason::kBadTimestamp, "unix_time"},
      {"1 2 1341100972.5 RT", RejectReason::kBadTimestamp, "unix_time"},
      {"1 2 0 RT", RejectReason::kBadTimestamp, "unix_time"},
      {"1 2 99999999999999 RT", RejectReason::kBadTimestamp, "unix_time"},
      {"1 2 1341100972 LK", RejectReason::kUnknownFormat, "\"LK\""},
      {"1 2 1341100972 rt", RejectReason::kUnknownFormat, "RT, MT or RE"},
  };
  EdgeListDecoder d;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.line);
    std::vector<Event> out(1, model::Delete{});
    DecodeResult r = d.Decode(c.line, &out);
    EXPECT_FALSE(r.accepted);
    EXPECT_EQ(r.reason, c.reason) << RejectReasonName(r.reason) << ": " << r.detail;
    EXPECT_THAT(r.detail, HasSubstr(c.detail));
    EXPECT_EQ(out.size(), 1u);
  }
}

TEST(EdgeListDecoderTest, MakeDecoder) {
  auto d = MakeDecoder("snap-activity");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ((*d)->format(), "snap-activity");
}

}  // namespace
}  // namespace reach::ingest
