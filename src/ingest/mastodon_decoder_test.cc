#include "ingest/mastodon_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/golden/golden_counts.h"

namespace reach::ingest {
namespace {

using model::Event;
using model::Post;
using model::PostKind;
using model::UserSnapshot;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kStatusesRel[] = "mastodon/mastodon-py/mastodon_statuses_real_instances.jsonl";
constexpr char kStatuses[] =
    REACH_SHARED_DATA "/mastodon/mastodon-py/mastodon_statuses_real_instances.jsonl";
constexpr char kCountsTsv[] = REACH_SOURCE_DIR "/tests/golden/expected_counts.tsv";

PostId PostOf(std::string_view host, std::string_view id) { return PostId(MastodonId(host, id)); }
UserId UserOf(std::string_view host, std::string_view id) { return UserId(MastodonId(host, id)); }

// The sample line whose status (not an embedded one) has this id.
std::string LineOfStatus(std::string_view id) {
  std::ifstream in(kStatuses);
  const std::string needle = "\"status\": {\"id\": \"" + std::string(id) + "\"";
  for (std::string line; std::getline(in, line);) {
    if (line.find(needle) != std::string::npos) return line;
  }
  ADD_FAILURE() << "no status " << id;
  return {};
}

std::vector<Event> DecodeOk(MastodonDecoder& decoder, const std::string& line,
                            DecodeResult* result = nullptr) {
  std::vector<Event> events;
  DecodeResult r = decoder.Decode(line, &events);
  EXPECT_TRUE(r.accepted) << RejectReasonName(r.reason) << ": " << r.detail << "\n"
                          << line.substr(0, 200);
  if (result != nullptr) *result = r;
  return events;
}

std::vector<Event> DecodeOk(const std::string& line, DecodeResult* result = nullptr) {
  MastodonDecoder decoder;
  return DecodeOk(decoder, line, result);
}

// `json` as a JSON string literal (the streaming API's payload encoding).
std::string JsonString(std::string_view json) {
  std::string s = "\"";
  for (char c : json) {
    if (c == '"' || c == '\\') {
      s += '\\';
      s += c;
    } else if (c == '\n') {
      s += "\\n";
    } else {
      s += c;
    }
  }
  return s + "\"";
}

// The "status" object of a sample line, as text.
std::string StatusJson(const std::string& line) {
  size_t start = line.find("\"status\": {") + 10;
  return line.substr(start, line.size() - start - 1);  // drop the wrapper's closing brace
}

TEST(MastodonDecoderTest, SampleCountsMatchIndependentCount) {
  auto expected = golden::ReadExpectedCounts(kCountsTsv);
  ASSERT_TRUE(expected.count(kStatusesRel));
  MastodonDecoder decoder;
  golden::Counts got = golden::CountFile(decoder, kStatuses);
  for (const auto& [column, value] : expected[kStatusesRel]) {
    EXPECT_EQ(got[column], value) << column;
  }
  EXPECT_EQ(got["records"], 70);
}

TEST(MastodonDecoderTest, StatusUserAndPostFields) {
  auto events = DecodeOk(LineOfStatus("110446983178245440"));
  ASSERT_EQ(events.size(), 2u);
  const auto& u = std::get<UserSnapshot>(events[0]);
  EXPECT_EQ(u.id, UserOf("mastodon.social", "43"));
  EXPECT_EQ(u.platform, model::Platform::kMastodon);
  EXPECT_EQ(u.handle, "halcy");
  EXPECT_EQ(u.name, "autumnal halcy");
  EXPECT_EQ(u.followers, 126);
  EXPECT_EQ(u.following, 35);
  EXPECT_EQ(u.posts, 988);
  EXPECT_EQ(u.created.micros, 1458518400000000);
  EXPECT_TRUE(u.location.empty());
  EXPECT_EQ(u.observed.micros, 1685287218907000);
  const auto& p = std::get<Post>(events[1]);
  EXPECT_EQ(p.id, PostOf("mastodon.social", "110446983178245440"));
  EXPECT_EQ(p.author, u.id);
  EXPECT_EQ(p.kind, PostKind::kOriginal);
  EXPECT_EQ(p.text, "first status");
  EXPECT_EQ(p.lang, "de");
  EXPECT_EQ(p.time.micros, 1685287218907000);
  EXPECT_EQ(p.counters.replies, 0);
  EXPECT_EQ(p.counters.likes, 0);
  EXPECT_EQ(p.counters.reshares, 0);
  EXPECT_EQ(p.counters.quotes, 0);
}

TEST(MastodonDecoderTest, HashtagsMentionsAndTextOfHtml) {
  auto events = DecodeOk(LineOfStatus("110446223051565765"));
  const auto& p = std::get<Post>(events.back());
  EXPECT_THAT(p.hashtags, ElementsAre("thisisahashtag"));
  ASSERT_EQ(p.mentions.size(), 1u);
  EXPECT_EQ(p.mentions[0].handle, "halcy@icosahedron.website");
  EXPECT_EQ(p.mentions[0].user, UserOf("mastodon.social", "23972"));
  EXPECT_EQ(p.text,
            "@halcy you're a doo-doo head\n\nedit: editing this to have the maximum amount of "
            "fields filled :trans_heart: #ThisIsAHashtag");
  EXPECT_THAT(p.urls, IsEmpty());  // the mention and the hashtag are not links
}

TEST(MastodonDecoderTest, RepliesLinkToTheirParentWithinTheServingInstance) {
  // Served by icosahedron.website; the parent is a merveilles.town status that the same instance
  // knows as 116387888405259344.
  auto reply = DecodeOk(LineOfStatus("116387892856015132"));
  const auto& p = std::get<Post>(reply.back());
  EXPECT_EQ(p.kind, PostKind::kReply);
  EXPECT_EQ(p.in_reply_to, PostOf("icosahedron.website", "116387888405259344"));
  EXPECT_EQ(p.in_reply_to_user, UserOf("icosahedron.website", "125814"));
  auto parent = DecodeOk(LineOfStatus("116387888405259344"));
  EXPECT_EQ(std::get<Post>(parent.back()).id, p.in_reply_to);
  EXPECT_EQ(std::get<Post>(parent.back()).author, p.in_reply_to_user);
}

TEST(MastodonDecoderTest, QuoteWithEmbeddedStatusComesFirstObservedAtTheOuterTime) {
  auto events = DecodeOk(LineOfStatus("116386066936197501"));
  ASSERT_EQ(events.size(), 4u);
  const auto& inner = std::get<Post>(events[1]);
  EXPECT_EQ(inner.id, PostOf("icosahedron.website", "101256876982565163"));
  EXPECT_EQ(inner.time.micros, 1545057327282000);
  EXPECT_EQ(inner.observed.micros, 1775910445195000);
  EXPECT_EQ(std::get<UserSnapshot>(events[0]).observed.micros, 1775910445195000);
  EXPECT_EQ(inner.counters.likes, 4);
  const auto& outer = std::get<Post>(events[3]);
  EXPECT_EQ(outer.kind, PostKind::kQuote);
  EXPECT_EQ(outer.parent, inner.id);
  EXPECT_EQ(outer.parent_author, UserOf("icosahedron.website", "1"));
  EXPECT_EQ(outer.time.micros, 1775910445195000);
}

TEST(MastodonDecoderTest, QuoteByIdOnly) {
  auto events = DecodeOk(LineOfStatus("115044070560414080"));
  ASSERT_EQ(events.size(), 2u);
  const auto& p = std::get<Post>(events[1]);
  EXPECT_EQ(p.kind, PostKind::kQuote);
  EXPECT_EQ(p.parent, PostOf("mastodon.social", "115044056977193502"));
  EXPECT_FALSE(p.parent_author.valid());
  EXPECT_EQ(p.in_reply_to, PostOf("mastodon.social", "115044053131672379"));  // also a reply
  EXPECT_THAT(p.urls, ElementsAre("https://bsky.app/profile/h4lcy.bsky.social/post/3lwlug73kn22i",
                                  "https://bsky.app/profile/did:plc:5syfqzormjkutgo5hi2u2gpr/"
                                  "post/3lwlug73kn22i"));
}

TEST(MastodonDecoderTest, ReblogDecodesTheReblogedStatusFirst) {
  const std::string inner = StatusJson(LineOfStatus("116386304083189708"));
  const std::string line =
      R"({"id":"900","created_at":"2026-04-11T14:00:00.000Z","uri":"https://icosahedron.website/users/halcy/statuses/900/activity",)"
      R"("content":"","account":{"id":"1","acct":"halcy","followers_count":10},"reblog":)" +
      inner + "}";
  auto events = DecodeOk(line);
  ASSERT_EQ(events.size(), 4u);
  const auto& original = std::get<Post>(events[1]);
  EXPECT_EQ(original.id, PostOf("icosahedron.website", "116386304083189708"));
  EXPECT_EQ(original.author, UserOf("icosahedron.website", "111132"));
  EXPECT_THAT(original.hashtags, ElementsAre("hungary"));
  EXPECT_THAT(original.text, HasSubstr("Dear friends in #Hungary that vote tomorrow: Send Orbán"));
  EXPECT_EQ(original.observed.micros, 1775916000000000);
  EXPECT_EQ(std::get<UserSnapshot>(events[0]).followers, 11744);
  const auto& reblog = std::get<Post>(events[3]);
  EXPECT_EQ(reblog.kind, PostKind::kReshare);
  EXPECT_EQ(reblog.id, PostOf("icosahedron.website", "900"));
  EXPECT_EQ(reblog.parent, original.id);
  EXPECT_EQ(reblog.parent_author, original.author);
  EXPECT_EQ(reblog.time.micros, 1775916000000000);
}

TEST(MastodonDecoderTest, StreamingEvents) {
  const std::string status = StatusJson(LineOfStatus("110446983178245440"));
  MastodonDecoder decoder(MastodonOptions{.instance = "mastodon.social"});
  DecodeResult r;
  auto update = DecodeOk(
      decoder, R"({"stream":["user"],"event":"update","payload":)" + JsonString(status) + "}", &r);
  ASSERT_EQ(update.size(), 2u);
  EXPECT_TRUE(r.control.empty());
  EXPECT_EQ(std::get<Post>(update[1]).id, PostOf("mastodon.social", "110446983178245440"));
  EXPECT_EQ(std::get<Post>(update[1]).text, "first status");

  std::string edited = status;
  edited.replace(edited.find("\"edited_at\": null"), 17, R"("edited_at": "2023-05-28T16:00:00Z")");
  auto edit =
      DecodeOk(decoder, R"({"event":"status.update","payload":)" + JsonString(edited) + "}", &r);
  ASSERT_EQ(edit.size(), 2u);
  EXPECT_EQ(r.control, "status_update");
  EXPECT_EQ(std::get<Post>(edit[1]).observed.micros, 1685289600000000);
  EXPECT_EQ(std::get<Post>(edit[1]).time.micros, 1685287218907000);

  auto del = DecodeOk(decoder, R"({"event":"delete","payload":"110446983178245440"})", &r);
  ASSERT_EQ(del.size(), 1u);
  EXPECT_EQ(r.control, "delete");
  EXPECT_EQ(std::get<model::Delete>(del[0]).post, PostOf("mastodon.social", "110446983178245440"));

  auto note = DecodeOk(decoder, R"({"event":"notification","payload":"{\"id\":\"14\"}"})", &r);
  EXPECT_TRUE(note.empty());
  EXPECT_EQ(r.control, "other_event");

  // Without a known instance a delete cannot be mapped; a status uses its uri's host.
  MastodonDecoder unknown;
  auto unmapped = DecodeOk(unknown, R"({"event":"delete","payload":"5"})", &r);
  EXPECT_TRUE(unmapped.empty());
  EXPECT_EQ(r.control, "delete");
  auto bare = DecodeOk(unknown, status);
  EXPECT_EQ(std::get<Post>(bare[1]).id, PostOf("mastodon.social", "110446983178245440"));
}

TEST(MastodonDecoderTest, MakeDecoderWithInstance) {
  auto d = MakeDecoder("mastodon:example.social");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)->format(), "mastodon");
  std::vector<Event> events;
  ASSERT_TRUE((*d)->Decode(R"({"event":"delete","payload":"77"})", &events).accepted);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<model::Delete>(events[0]).post, PostOf("example.social", "77"));
  ASSERT_TRUE(MakeDecoder("mastodon").ok());
}

TEST(MastodonDecoderTest, HtmlToText) {
  std::vector<std::string> links;
  EXPECT_EQ(
      MastodonHtmlToText(
          R"(<p>it&#39;s <a href="https://x.org/a?b=1&amp;c=2" rel="nofollow"><span class="invisible">https://</span>x.org/a</a></p>)"
          R"(<p>line<br>two &amp; &lt;3 &#x1F600; &quot;q&quot; &unknown; a&b</p>)"
          R"(<p><a href="https://m.social/@bob" class="u-url mention">@<span>bob</span></a> )"
          R"(<a href="https://m.social/tags/t" class="mention hashtag" rel="tag">#<span>t</span></a></p>)",
          &links),
      "it's https://x.org/a\n\nline\ntwo & <3 😀 \"q\" &unknown; a&b\n\n@bob #t");
  EXPECT_THAT(links, ElementsAre("https://x.org/a?b=1&c=2"));
  EXPECT_EQ(MastodonHtmlToText("plain"), "plain");
  EXPECT_EQ(MastodonHtmlToText("<p>unterminated <b"), "unterminated ");
}

TEST(MastodonDecoderTest, ParseMastodonTime) {
  EXPECT_EQ(ParseMastodonTime("2023-05-28T15:20:18.907Z"), 1685287218907000);
  EXPECT_EQ(ParseMastodonTime("2024-02-29T23:59:59.123456+02:00"), 1709243999123456);
  EXPECT_EQ(ParseMastodonTime("2024-02-29T23:59:59.123456+0200"), 1709243999123456);
  EXPECT_EQ(ParseMastodonTime("2000-01-01"), 946684800000000);
  EXPECT_EQ(ParseMastodonTime("2023-02-29T00:00:00Z"), std::nullopt);  // not a leap year
  EXPECT_EQ(ParseMastodonTime("2023-05-28T25:00:00Z"), std::nullopt);
  EXPECT_EQ(ParseMastodonTime("2023-05-28T15:20:18.Z"), std::nullopt);
  EXPECT_EQ(ParseMastodonTime("2023-05-28T15:20:18Zjunk"), std::nullopt);
  EXPECT_EQ(ParseMastodonTime("yesterday"), std::nullopt);
  EXPECT_EQ(ParseMastodonTime(""), std::nullopt);
}

TEST(MastodonDecoderTest, RejectionsNameTheReasonAndLeaveOutputUnchanged) {
  struct Case {
    std::string line;
    RejectReason reason;
    std::string detail;
  };
  const std::string acct = R"("account":{"id":"1","acct":"a"})";
  const std::string base =
      R"({"id":"5","created_at":"2023-05-28T15:20:18Z","uri":"https://m.social/s/5",)";
  std::string nested =
      R"({"id":"0","created_at":"2023-05-28T15:20:18Z","uri":"https://m.social/s/0",)" + acct + "}";
  for (int i = 1; i <= 40; ++i) {
    nested = R"({"id":")" + std::to_string(i) +
             R"(","created_at":"2023-05-28T15:20:18Z","uri":"https://m.social/s/1",)" + acct +
             R"(,"reblog":)" + nested + "}";
  }
  const std::vector<Case> cases = {
      {base + acct, RejectReason::kMalformedJson, ""},
      {base + acct + R"(,"content":"x"})" + "}", RejectReason::kMalformedJson, ""},
      {base + acct + ",\"content\":\"\xC3\x28\"}", RejectReason::kInvalidUtf8, ""},
      {base + acct + R"(,"content":"x","x":)" + std::string(3000, '[') + std::string(3000, ']') +
           "}",
       RejectReason::kTooDeep, ""},
      {nested, RejectReason::kTooDeep, "embedded more than 32"},
      {base + R"("account":"bob","content":"x"})", RejectReason::kWrongType, "account"},
      {R"({"id":true,"created_at":"2023-05-28T15:20:18Z","uri":"https://m.social/s/5",)" + acct +
           R"(,"content":"x"})",
       RejectReason::kWrongType, "id"},
      {base + acct + R"(,"content":"x","favourites_count":"many"})", RejectReason::kWrongType,
       "favourites_count"},
      {R"({"created_at":"2023-05-28T15:20:18Z","uri":"https://m.social/s/5",)" + acct +
           R"(,"content":"x"})",
       RejectReason::kMissingField, "id"},
      {R"({"id":"5","uri":"https://m.social/s/5",)" + acct + R"(,"content":"x"})",
       RejectReason::kMissingField, "created_at"},
      {base + R"("account":{"acct":"a"},"content":"x"})", RejectReason::kMissingField,
       "account.id"},
      {R"({"id":"5","created_at":"2023-05-28T15:20:18Z",)" + acct + R"(,"content":"x"})",
       RejectReason::kMissingField, "uri"},
      {R"({"_source_host":"m.social","status":{"id":"5","created_at":"2023-05-28T15:20:18Z"}})",
       RejectReason::kMissingField, "account"},
      {R"({"event":"update"})", RejectReason::kMissingField, "payload"},
      {R"({"id":"5","created_at":"yesterday","uri":"https://m.social/s/5",)" + acct +
           R"(,"content":"x"})",
       RejectReason::kBadTimestamp, "created_at"},
      {base + R"("account":{"id":"1","created_at":"soon"},"content":"x"})",
       RejectReason::kBadTimestamp, "account.created_at"},
      {R"({"event":"update","payload":"{not json"})", RejectReason::kMalformedJson, "payload"},
      {R"({"event":"update","payload":"{\"id\":\"5\",\"uri\":\"https://m.social/s/5\"}"})",
       RejectReason::kMissingField, "payload.created_at"},
      {R"({"foo":1})", RejectReason::kUnknownFormat, ""},
      {R"("just a string")", RejectReason::kUnknownFormat, ""},
  };
  MastodonDecoder decoder;
  for (const Case& c : cases) {
    std::vector<Event> events(1, model::Delete{});
    DecodeResult r = decoder.Decode(c.line, &events);
    EXPECT_FALSE(r.accepted) << c.line.substr(0, 160);
    EXPECT_EQ(r.reason, c.reason) << c.line.substr(0, 160) << " -> " << r.detail;
    EXPECT_THAT(r.detail, HasSubstr(c.detail)) << c.line.substr(0, 160);
    EXPECT_EQ(events.size(), 1u);
  }
  std::vector<Event> events;
  EXPECT_TRUE(decoder.Decode(base + acct + R"(,"content":"<p>ok</p>"})", &events).accepted);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<Post>(events[1]).text, "ok");
}

}  // namespace
}  // namespace reach::ingest
