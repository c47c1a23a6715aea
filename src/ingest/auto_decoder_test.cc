#include "ingest/auto_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "ingest/line_reader.h"
#include "ingest/twitter_v1_decoder.h"
#include "tests/golden/golden_counts.h"

namespace reach::ingest {
namespace {

using model::Event;
using ::testing::HasSubstr;

constexpr char kCountsTsv[] = REACH_SOURCE_DIR "/tests/golden/expected_counts.tsv";
constexpr char kTwitter[] = REACH_SHARED_DATA "/twitter-v1/all_fixture_tweets_v11.jsonl";

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Counts of the first 50,000 lines of a file that OpenLineReader reads (.gz included).
golden::Counts CountLines(Decoder& decoder, const std::string& path) {
  golden::Counts c;
  auto reader = OpenLineReader(path);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return c;
  Line line;
  while (c["records"] < 50'000) {
    auto more = (*reader)->Next(&line);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    ++c["records"];
    std::vector<Event> events;
    DecodeResult r = decoder.Decode(line.text, &events);
    if (!r.accepted) continue;
    ++c["accepted"];
    if (!r.control.empty()) ++c["controls"];
    golden::CountEvents(events, &c);
  }
  return c;
}

TEST(AutoDecoderTest, SniffReadsOnlyTopLevelKeys) {
  EXPECT_EQ(AutoDecoder::Sniff(R"({"did":"did:plc:a","time_us":1,"kind":"commit"})"),
            "bluesky-jetstream");
  EXPECT_EQ(AutoDecoder::Sniff(R"( {"created_at":"Thu Nov 08 02:31:41 +0000 2012","id":1,)"
                               R"("id_str":"1"})"),
            "twitter-v1");
  EXPECT_EQ(AutoDecoder::Sniff(R"({"delete":{"status":{"id":1}}})"), "twitter-v1");
  EXPECT_EQ(AutoDecoder::Sniff(R"({"id":"1","created_at":"2023-05-28T15:20:18Z","uri":"x"})"),
            "mastodon");
  EXPECT_EQ(AutoDecoder::Sniff(R"({"stream":["user"],"event":"update","payload":"{}"})"),
            "mastodon");
  EXPECT_EQ(AutoDecoder::Sniff(R"({"data":{"id":"1","text":"x"},"includes":{}})"), "twitter-v2");
  // Keys of nested objects, string values and escaped keys do not count.
  EXPECT_EQ(AutoDecoder::Sniff(R"({"x":{"did":"a","user":1},"y":["did"],"z":"did"})"), "");
  EXPECT_EQ(AutoDecoder::Sniff(R"({"d\u0069d":"a"})"), "");
  EXPECT_EQ(AutoDecoder::Sniff(R"({"x":{"did":"a"},"account":{}})"), "mastodon");
  EXPECT_EQ(AutoDecoder::Sniff(R"({"a\"b":1,"did":1})"), "bluesky-jetstream");
  EXPECT_EQ(AutoDecoder::Sniff("[1,2]"), "");
  EXPECT_EQ(AutoDecoder::Sniff(""), "");
}

TEST(AutoDecoderTest, SniffRecognisesTheTextFormatsByTheirShape) {
  EXPECT_EQ(AutoDecoder::Sniff("223789 213163 1341100972 MT"), "snap-activity");
  EXPECT_EQ(AutoDecoder::Sniff("1\t2\t3\tRT\r\n"), "snap-activity");
  EXPECT_EQ(AutoDecoder::Sniff("# Directed graph: higgs-activity_time.txt"), "snap-activity");
  EXPECT_EQ(AutoDecoder::Sniff("14709\t1\t1464739201\t3\t1:0 1/850430:481 1/2:501"),
            "weibo-cascades");
  EXPECT_EQ(AutoDecoder::Sniff("1 2 3 XX"), "");        // not an action
  EXPECT_EQ(AutoDecoder::Sniff("1 2 3 RT extra"), "");  // five fields
  EXPECT_EQ(AutoDecoder::Sniff("a 2 3 RT"), "");
  EXPECT_EQ(AutoDecoder::Sniff("1\t2\t3\t4\tnothing"), "");
  EXPECT_EQ(AutoDecoder::Sniff("4963 0.500381944444"), "");  // SEISMIC needs --format seismic
}

TEST(AutoDecoderTest, TextDatasetsDecodeAsWithTheirOwnDecoders) {
  const std::pair<const char*, const char*> files[] = {
      {REACH_SHARED_DATA "/higgs/higgs-activity_time.txt.gz", "snap-activity"},
      {REACH_SHARED_DATA "/cascades-weibo/weibo_sample_dataset.txt", "weibo-cascades"},
  };
  for (const auto& [path, format] : files) {
    auto own = MakeDecoder(format);
    ASSERT_TRUE(own.ok());
    AutoDecoder decoder;
    golden::Counts by_own = CountLines(**own, path);
    golden::Counts by_auto = CountLines(decoder, path);
    EXPECT_GT(by_own["posts"], 0) << path;
    EXPECT_EQ(by_auto, by_own) << path;
    EXPECT_EQ(decoder.last_format(), format);
  }
}

TEST(AutoDecoderTest, EverySampleFileMatchesItsIndependentCount) {
  auto expected = golden::ReadExpectedCounts(kCountsTsv);
  ASSERT_GE(expected.size(), 3u);
  for (const auto& [rel, counts] : expected) {
    AutoDecoder decoder;
    golden::Counts got = golden::CountFile(decoder, REACH_SHARED_DATA "/" + rel);
    for (const auto& [column, value] : counts) {
      if (column == "via") continue;  // not an event property (checked in the Jetstream test)
      EXPECT_EQ(got[column], value) << rel << " column " << column;
    }
    EXPECT_EQ(decoder.last_format(),
              rel.substr(0, rel.find('/')) == "mastodon" ? "mastodon" : "bluesky-jetstream");
  }
}

TEST(AutoDecoderTest, TwitterFixtureDecodesAsWithTheTwitterDecoder) {
  AutoDecoder auto_decoder;
  TwitterV1Decoder twitter;
  golden::Counts by_auto = golden::CountFile(auto_decoder, kTwitter);
  golden::Counts by_twitter = golden::CountFile(twitter, kTwitter);
  EXPECT_GT(by_twitter["posts"], 0);
  EXPECT_EQ(by_auto, by_twitter);
  EXPECT_EQ(auto_decoder.last_format(), "twitter-v1");
}

TEST(AutoDecoderTest, InterleavedFormatsGiveTheSumOfTheirCounts) {
  auto expected = golden::ReadExpectedCounts(kCountsTsv);
  std::vector<std::vector<std::string>> files;
  golden::Counts want;
  for (const auto& [rel, counts] : expected) {
    files.push_back(ReadLines(REACH_SHARED_DATA "/" + rel));
    for (const auto& [column, value] : counts) {
      if (column != "via") want[column] += value;
    }
  }
  files.push_back(ReadLines(kTwitter));
  {
    TwitterV1Decoder twitter;
    for (const auto& [column, value] : golden::CountFile(twitter, kTwitter)) want[column] += value;
  }
  // Round-robin, one line of each file in turn, through one decoder.
  AutoDecoder decoder;
  golden::Counts got;
  for (size_t i = 0;; ++i) {
    bool any = false;
    for (const auto& lines : files) {
      if (i >= lines.size()) continue;
      any = true;
      ++got["records"];
      std::vector<Event> events;
      DecodeResult r = decoder.Decode(lines[i], &events);
      if (!r.accepted) continue;
      ++got["accepted"];
      if (!r.control.empty()) ++got["controls"];
      golden::CountEvents(events, &got);
    }
    if (!any) break;
  }
  EXPECT_EQ(got, want);
}

TEST(AutoDecoderTest, Rejections) {
  struct Case {
    std::string line;
    RejectReason reason;
    std::string_view format;  // last_format() after the call
  };
  const std::vector<Case> cases = {
      {R"({"foo":1})", RejectReason::kUnknownFormat, ""},
      {R"([1,2])", RejectReason::kUnknownFormat, ""},
      {R"({"foo":)", RejectReason::kMalformedJson, ""},
      {"{\"foo\":\"\xff\"}", RejectReason::kInvalidUtf8, ""},
      {std::string(3000, '[') + std::string(3000, ']'), RejectReason::kTooDeep, ""},
      // Recognised, then rejected by the delegate with its own reason.
      {R"({"did":"did:plc:a","time_us":1,"kind":"commit","commit":)", RejectReason::kMalformedJson,
       "bluesky-jetstream"},
      {R"({"did":"did:plc:a","time_us":"x","kind":"identity"})", RejectReason::kWrongType,
       "bluesky-jetstream"},
      {R"({"_source_host":"m.social","status":{"id":"1"}})", RejectReason::kMissingField,
       "mastodon"},
      {R"({"created_at":"yesterday","id_str":"1","user":{"id":1}})", RejectReason::kBadTimestamp,
       "twitter-v1"},
  };
  AutoDecoder decoder;
  for (const Case& c : cases) {
    std::vector<Event> events(1, model::Delete{});
    DecodeResult r = decoder.Decode(c.line, &events);
    EXPECT_FALSE(r.accepted) << c.line.substr(0, 80);
    EXPECT_EQ(r.reason, c.reason) << c.line.substr(0, 80) << " -> " << r.detail;
    EXPECT_EQ(decoder.last_format(), c.format) << c.line.substr(0, 80);
    EXPECT_EQ(events.size(), 1u);
  }
}

TEST(AutoDecoderTest, TwitterV2RecordsNeedTheTwitterV2Format) {
  AutoDecoder decoder;
  std::vector<Event> events;
  DecodeResult r = decoder.Decode(R"({"data":{"id":"1","text":"hi"}})", &events);
  if (MakeDecoder("twitter-v2").ok()) {
    EXPECT_EQ(decoder.last_format(), "twitter-v2");
  } else {
    EXPECT_FALSE(r.accepted);
    EXPECT_EQ(r.reason, RejectReason::kUnknownFormat);
    EXPECT_THAT(r.detail, HasSubstr("twitter-v2"));
  }
}

TEST(AutoDecoderTest, MakeDecoderAuto) {
  auto d = MakeDecoder("auto");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)->format(), "auto");
  std::vector<Event> events;
  EXPECT_TRUE(
      (*d)->Decode(R"({"did":"did:plc:a","time_us":1,"kind":"identity"})", &events).accepted);
}

}  // namespace
}  // namespace reach::ingest
