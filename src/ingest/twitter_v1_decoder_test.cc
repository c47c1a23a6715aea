#include "ingest/twitter_v1_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "common/time.h"

namespace reach::ingest {
namespace {

using model::Event;
using model::Post;
using model::PostKind;
using model::UserSnapshot;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kFixture[] = REACH_SHARED_DATA "/twitter-v1/all_fixture_tweets_v11.jsonl";

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

const Post& LastPost(const std::vector<Event>& events) { return std::get<Post>(events.back()); }

std::vector<const Post*> Posts(const std::vector<Event>& events) {
  std::vector<const Post*> posts;
  for (const Event& e : events) {
    if (const auto* p = std::get_if<Post>(&e)) posts.push_back(p);
  }
  return posts;
}

// Decodes the fixture once; maps each top-level post id to the events of its line.
class FixtureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    lines_ = new std::vector<std::string>(ReadLines(kFixture));
    by_id_ = new std::map<uint64_t, std::vector<Event>>();
    TwitterV1Decoder decoder;
    for (const std::string& line : *lines_) {
      std::vector<Event> events;
      DecodeResult r = decoder.Decode(line, &events);
      if (!r.accepted) continue;
      uint64_t id = LastPost(events).id.value;
      (*by_id_)[id] = std::move(events);
    }
  }
  static void TearDownTestSuite() {
    delete lines_;
    delete by_id_;
  }
  static const std::vector<Event>& EventsOf(uint64_t id) { return by_id_->at(id); }

  static std::vector<std::string>* lines_;
  static std::map<uint64_t, std::vector<Event>>* by_id_;
};
std::vector<std::string>* FixtureTest::lines_ = nullptr;
std::map<uint64_t, std::vector<Event>>* FixtureTest::by_id_ = nullptr;

TEST_F(FixtureTest, AcceptsEveryLineWithExpectedKindCounts) {
  ASSERT_EQ(lines_->size(), 546u);
  TwitterV1Decoder decoder;
  int accepted = 0, reshares = 0, quotes = 0, retweets_of_quotes = 0, replies = 0, originals = 0;
  for (const std::string& line : *lines_) {
    std::vector<Event> events;
    DecodeResult r = decoder.Decode(line, &events);
    ASSERT_TRUE(r.accepted) << RejectReasonName(r.reason) << ": " << r.detail << "\n"
                            << line.substr(0, 200);
    EXPECT_TRUE(r.control.empty());
    ++accepted;
    const Post& top = LastPost(events);
    switch (top.kind) {
      case PostKind::kReshare: {
        ++reshares;
        // The retweeted status is decoded just before the retweeter's snapshot.
        std::vector<const Post*> posts = Posts(events);
        ASSERT_GE(posts.size(), 2u);
        const Post& original = *posts[posts.size() - 2];
        EXPECT_EQ(top.parent, original.id);
        EXPECT_EQ(top.parent_author, original.author);
        if (original.kind == PostKind::kQuote) ++retweets_of_quotes;
        break;
      }
      case PostKind::kQuote:
        ++quotes;
        break;
      case PostKind::kReply:
        ++replies;
        break;
      case PostKind::kOriginal:
        ++originals;
        break;
    }
  }
  // SOURCE.txt: 546 tweets: 260 retweets, 30 quote tweets (8 retweets of quotes), 87 replies.
  EXPECT_EQ(accepted, 546);
  EXPECT_EQ(reshares, 260);
  EXPECT_EQ(quotes + retweets_of_quotes, 30);
  EXPECT_EQ(retweets_of_quotes, 8);
  EXPECT_EQ(replies, 87);
  EXPECT_EQ(originals, 546 - 260 - 22 - 87);
}

TEST_F(FixtureTest, FirstTweetTimeAndUser) {
  const std::vector<Event>& events = EventsOf(266367358078169089ull);
  const Post& post = LastPost(events);
  EXPECT_EQ(FormatIso8601(post.time), "2012-11-08T02:31:41.000Z");
  const auto& user = std::get<UserSnapshot>(events[events.size() - 2]);
  EXPECT_EQ(user.id, post.author);
  EXPECT_EQ(user.observed, post.time);
  EXPECT_EQ(user.platform, model::Platform::kTwitter);
}

TEST_F(FixtureTest, CoordinatesPlaceHashtagsAndUrlText) {
  const std::vector<Event>& events = EventsOf(675109065039749120ull);
  const Post& post = LastPost(events);
  EXPECT_EQ(post.kind, PostKind::kOriginal);
  EXPECT_EQ(post.text,
            "Join the VMware team! See our latest #IT #job opening here: https://t.co/qqr2N9pr2A "
            "#PALOALTO, CA #Hiring #CareerArc");
  EXPECT_THAT(post.hashtags, ElementsAre("IT", "job", "PALOALTO", "Hiring", "CareerArc"));
  EXPECT_EQ(post.lang, "en");
  ASSERT_TRUE(post.place.has_value());
  EXPECT_EQ(post.place->country_code, "US");
  EXPECT_EQ(post.place->full_name, "Palo Alto, CA");
  ASSERT_TRUE(post.coordinates.has_value());
  EXPECT_DOUBLE_EQ(post.coordinates->lon, -122.1575745);
  EXPECT_DOUBLE_EQ(post.coordinates->lat, 37.4457966);
  EXPECT_EQ(post.author, UserId(20827150));
  EXPECT_EQ(std::get<UserSnapshot>(events[events.size() - 2]).handle, "tmj_sfo_it");
}

TEST_F(FixtureTest, MentionsUrlsUserProfileAndCounters) {
  const std::vector<Event>& events = EventsOf(668698218901979136ull);
  const Post& post = LastPost(events);
  EXPECT_EQ(post.lang, "ru");
  EXPECT_THAT(post.hashtags, ElementsAre("космос"));
  ASSERT_EQ(post.mentions.size(), 1u);
  EXPECT_EQ(post.mentions[0].user, UserId(4040207472ull));
  EXPECT_EQ(post.mentions[0].handle, "himawari8bot");
  EXPECT_THAT(post.urls, ElementsAre("https://twitter.com/himawari8bot/status/668673031045120001"));
  EXPECT_EQ(post.counters.reshares, 0);
  EXPECT_EQ(post.counters.likes, 0);
  EXPECT_EQ(post.counters.replies, -1);  // not in this REST object
  EXPECT_THAT(post.text, HasSubstr("Твиттер-бот @himawari8bot"));
  const auto& user = std::get<UserSnapshot>(events[events.size() - 2]);
  EXPECT_EQ(user.id, UserId(40845892));
  EXPECT_EQ(user.handle, "_vecs");
  EXPECT_EQ(user.name, "vecs ");
  EXPECT_EQ(user.location, "");
  EXPECT_EQ(user.followers, 755);
  EXPECT_EQ(user.following, 2147);
  EXPECT_EQ(user.posts, 5201);
  EXPECT_FALSE(user.verified);
  EXPECT_EQ(FormatIso8601(user.created), "2009-05-18T09:50:09.000Z");
}

TEST_F(FixtureTest, ExtendedTweetFullTextEntitiesAndTimestampMs) {
  const Post& post = LastPost(EventsOf(972473004721627137ull));
  EXPECT_EQ(post.text.rfind("@resisterhood @TheLastPersont2 My sincere prayers of comfort", 0), 0u);
  EXPECT_THAT(post.text, ::testing::EndsWith("#BlueWave"));
  EXPECT_THAT(post.hashtags,
              ElementsAre("GunControlNow", "NeverAgain", "NoNRA", "VoteThemOut", "BlueWave"));
  ASSERT_EQ(post.mentions.size(), 2u);
  EXPECT_EQ(post.mentions[1].handle, "TheLastPersont2");
  EXPECT_EQ(post.time.micros, 1520690606657000);  // timestamp_ms, not created_at's seconds
  EXPECT_EQ(post.counters.quotes, 0);
  EXPECT_EQ(post.counters.replies, 0);
}

TEST_F(FixtureTest, RetweetOfAQuoteCarriesTheChain) {
  const std::vector<Event>& events = EventsOf(668246004051873793ull);
  std::vector<const Post*> posts = Posts(events);
  // The quoted original, the quote, the retweet; the retweet's top-level copy is not repeated.
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0]->id, PostId(668239849581903872ull));
  EXPECT_EQ(posts[0]->author, UserId(93069110));
  EXPECT_EQ(posts[1]->id, PostId(668245508411006977ull));
  EXPECT_EQ(posts[1]->kind, PostKind::kQuote);
  EXPECT_EQ(posts[1]->parent, PostId(668239849581903872ull));
  EXPECT_EQ(posts[1]->parent_author, UserId(93069110));
  EXPECT_EQ(posts[2]->kind, PostKind::kReshare);
  EXPECT_EQ(posts[2]->parent, PostId(668245508411006977ull));
  EXPECT_EQ(posts[2]->parent_author, UserId(604940737));
  EXPECT_EQ(posts[2]->author, UserId(372018022));
  // Each post is preceded by its author's snapshot.
  ASSERT_EQ(events.size(), 6u);
  for (size_t i = 0; i < events.size(); i += 2) {
    EXPECT_EQ(std::get<UserSnapshot>(events[i]).id, std::get<Post>(events[i + 1]).author);
  }
}

TEST_F(FixtureTest, Reply) {
  const Post& post = LastPost(EventsOf(505874854134820864ull));
  EXPECT_EQ(post.kind, PostKind::kReply);
  EXPECT_EQ(post.in_reply_to, PostId(505868030329364480ull));
  EXPECT_EQ(post.in_reply_to_user, UserId(2286548834ull));
  EXPECT_FALSE(post.parent.valid());
}

TEST_F(FixtureTest, EveryTruncationIsRejected) {
  TwitterV1Decoder decoder;
  std::vector<Event> events;
  int checked = 0;
  for (size_t i = 0; i < lines_->size(); i += 7) {
    const std::string& line = (*lines_)[i];
    for (size_t cut : {size_t{1}, line.size() / 3, line.size() / 2, line.size() - 40,
                       line.size() - 2, line.size() - 1}) {
      DecodeResult r = decoder.Decode(std::string_view(line).substr(0, cut), &events);
      EXPECT_FALSE(r.accepted) << "line " << i << " cut at " << cut;
      EXPECT_TRUE(r.reason == RejectReason::kMalformedJson ||
                  r.reason == RejectReason::kInvalidUtf8)  // a cut inside a UTF-8 sequence
          << RejectReasonName(r.reason) << " line " << i << " cut at " << cut;
      EXPECT_TRUE(events.empty());
      ++checked;
    }
  }
  EXPECT_GT(checked, 400);
}

// ---- handcrafted records ----

std::string Tweet(std::string_view id, std::string_view user_id, std::string_view extra = "") {
  std::string s = R"({"created_at":"Mon Jan 02 03:04:05 +0000 2017","id_str":")";
  s += id;
  s += R"(","text":"t)";
  s += id;
  s += R"(","user":{"id_str":")";
  s += user_id;
  s += R"(","screen_name":"u)";
  s += user_id;
  s += R"("})";
  s += extra;
  s += "}";
  return s;
}

TEST(TwitterV1DecoderTest, QuoteOfAQuoteOfAQuote) {
  std::string q1 = Tweet("1", "11");
  std::string q2 = Tweet("2", "12", R"(,"quoted_status_id_str":"1","quoted_status":)" + q1);
  std::string q3 = Tweet("3", "13", R"(,"quoted_status_id_str":"2","quoted_status":)" + q2);
  std::string q4 = Tweet("4", "14",
                         R"(,"in_reply_to_status_id_str":"99","in_reply_to_user_id_str":"98",)"
                         R"("quoted_status_id_str":"3","quoted_status":)" +
                             q3);
  TwitterV1Decoder decoder;
  std::vector<Event> events;
  DecodeResult r = decoder.Decode(q4, &events);
  ASSERT_TRUE(r.accepted) << r.detail;
  std::vector<const Post*> posts = Posts(events);
  ASSERT_EQ(posts.size(), 4u);
  EXPECT_EQ(posts[0]->id, PostId(1));
  EXPECT_EQ(posts[0]->kind, PostKind::kOriginal);
  for (int i = 1; i < 4; ++i) {
    EXPECT_EQ(posts[i]->id, PostId(i + 1));
    EXPECT_EQ(posts[i]->kind, PostKind::kQuote);
    EXPECT_EQ(posts[i]->parent, PostId(i));
    EXPECT_EQ(posts[i]->parent_author, UserId(10 + i));
    EXPECT_EQ(posts[i]->author, UserId(11 + i));
  }
  // A quote that also replies stays a quote and keeps its conversation parent.
  EXPECT_EQ(posts[3]->in_reply_to, PostId(99));
  EXPECT_EQ(posts[3]->in_reply_to_user, UserId(98));
  EXPECT_EQ(FormatIso8601(posts[0]->time), "2017-01-02T03:04:05.000Z");
}

TEST(TwitterV1DecoderTest, QuoteWithoutEmbeddedStatusUsesQuotedId) {
  TwitterV1Decoder decoder;
  std::vector<Event> events;
  ASSERT_TRUE(decoder.Decode(Tweet("5", "6", R"(,"quoted_status_id_str":"77")"), &events).accepted);
  EXPECT_EQ(LastPost(events).kind, PostKind::kQuote);
  EXPECT_EQ(LastPost(events).parent, PostId(77));
  EXPECT_FALSE(LastPost(events).parent_author.valid());
}

TEST(TwitterV1DecoderTest, TrimmedEmbeddedStatusGivesOnlyTheParent) {
  // As in the search API's responses: the quoted status of a retweeted quote has no user.
  std::string quote = Tweet("2", "12",
                            R"(,"quoted_status_id_str":"1","quoted_status":)"
                            R"({"created_at":"Mon Jan 02 03:04:05 +0000 2017",)"
                            R"("id_str":"1","text":"trimmed"})");
  TwitterV1Decoder decoder;
  std::vector<Event> events;
  DecodeResult r = decoder.Decode(Tweet("3", "13", R"(,"retweeted_status":)" + quote), &events);
  ASSERT_TRUE(r.accepted) << r.detail;
  std::vector<const Post*> posts = Posts(events);
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(events.size(), 4u);
  EXPECT_EQ(posts[0]->id, PostId(2));
  EXPECT_EQ(posts[0]->kind, PostKind::kQuote);
  EXPECT_EQ(posts[0]->parent, PostId(1));
  EXPECT_FALSE(posts[0]->parent_author.valid());
  EXPECT_EQ(posts[1]->kind, PostKind::kReshare);
  EXPECT_EQ(posts[1]->parent, PostId(2));
  EXPECT_EQ(posts[1]->parent_author, UserId(12));
}

TEST(TwitterV1DecoderTest, NumericIdsWhenNoIdStr) {
  TwitterV1Decoder decoder;
  std::vector<Event> events;
  DecodeResult r = decoder.Decode(
      R"({"created_at":"Mon Jan 02 03:04:05 -0130 2017","id":12345678901234567,"text":"x",)"
      R"("user":{"id":42,"followers_count":7,"verified":true,"location":null}})",
      &events);
  ASSERT_TRUE(r.accepted) << r.detail;
  EXPECT_EQ(LastPost(events).id, PostId(12345678901234567ull));
  EXPECT_EQ(FormatIso8601(LastPost(events).time), "2017-01-02T04:34:05.000Z");
  const auto& user = std::get<UserSnapshot>(events[0]);
  EXPECT_EQ(user.id, UserId(42));
  EXPECT_EQ(user.followers, 7);
  EXPECT_EQ(user.following, -1);
  EXPECT_TRUE(user.verified);
}

TEST(TwitterV1DecoderTest, DeleteMessage) {
  TwitterV1Decoder decoder;
  std::vector<Event> events;
  DecodeResult r = decoder.Decode(
      R"({"delete":{"status":{"id":1234,"id_str":"1234","user_id":3,"user_id_str":"3"},)"
      R"("timestamp_ms":"1520281034456"}})",
      &events);
  ASSERT_TRUE(r.accepted) << r.detail;
  EXPECT_EQ(r.control, "delete");
  ASSERT_EQ(events.size(), 1u);
  const auto& del = std::get<model::Delete>(events[0]);
  EXPECT_EQ(del.post, PostId(1234));
  EXPECT_EQ(del.author, UserId(3));
  EXPECT_EQ(del.time.micros, 1520281034456000);
  EXPECT_EQ(del.platform, model::Platform::kTwitter);

  events.clear();
  r = decoder.Decode(R"({"delete":{"status":{"id_str":"9"}}})", &events);
  ASSERT_TRUE(r.accepted);
  EXPECT_EQ(std::get<model::Delete>(events.at(0)).time.micros, 0);
  EXPECT_FALSE(std::get<model::Delete>(events.at(0)).author.valid());
}

TEST(TwitterV1DecoderTest, ControlMessages) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"limit", R"({"limit":{"track":1234,"timestamp_ms":"1520281034456"}})"},
      {"scrub_geo", R"({"scrub_geo":{"user_id":1,"user_id_str":"1","up_to_status_id":5}})"},
      {"status_withheld",
       R"({"status_withheld":{"id":1,"user_id":2,"withheld_in_countries":["DE","AR"]}})"},
      {"user_withheld", R"({"user_withheld":{"id":2,"withheld_in_countries":["DE"]}})"},
      {"disconnect", R"({"disconnect":{"code":4,"stream_name":"x","reason":"duplicate"}})"},
      {"warning", R"({"warning":{"code":"FALLING_BEHIND","message":"m","percent_full":60}})"},
  };
  TwitterV1Decoder decoder;
  for (const auto& [kind, json] : cases) {
    std::vector<Event> events;
    DecodeResult r = decoder.Decode(json, &events);
    EXPECT_TRUE(r.accepted) << kind << ": " << r.detail;
    EXPECT_EQ(r.control, kind);
    const bool carries_event =
        kind == "scrub_geo" || kind == "status_withheld" || kind == "user_withheld";
    EXPECT_EQ(events.size(), carries_event ? 1u : 0u) << kind;
    EXPECT_EQ(r.undelivered, kind == "limit" ? 1234u : 0u) << kind;
    // Notices carry their code and text for the log.
    EXPECT_EQ(r.detail, kind == "disconnect" ? "4: duplicate"
                        : kind == "warning"  ? "FALLING_BEHIND: m"
                                             : "")
        << kind;
  }
}

TEST(TwitterV1DecoderTest, ScrubGeoNamesTheAccountAndTheLastPost) {
  TwitterV1Decoder decoder;
  std::vector<Event> events;
  DecodeResult r = decoder.Decode(
      R"({"scrub_geo":{"user_id":14090452,"user_id_str":"14090452","up_to_status_id":23260136625,)"
      R"("up_to_status_id_str":"23260136625"}})",
      &events);
  ASSERT_TRUE(r.accepted) << r.detail;
  ASSERT_EQ(events.size(), 1u);
  const auto& s = std::get<model::ScrubGeo>(events[0]);
  EXPECT_EQ(s.user, UserId{14090452});
  EXPECT_EQ(s.up_to, PostId{23260136625});
  EXPECT_EQ(s.platform, model::Platform::kTwitter);
}

TEST(TwitterV1DecoderTest, WithheldPostsAndAccounts) {
  TwitterV1Decoder decoder;
  std::vector<Event> events;
  ASSERT_TRUE(decoder
                  .Decode(R"({"status_withheld":{"id":1234567890,"user_id":123456,)"
                          R"("withheld_in_countries":["de","AR","DE"],"timestamp_ms":"1000"}})",
                          &events)
                  .accepted);
  ASSERT_TRUE(
      decoder.Decode(R"({"user_withheld":{"id":123456,"withheld_in_countries":["XX"]}})", &events)
          .accepted);
  ASSERT_EQ(events.size(), 2u);
  const auto& post = std::get<model::Withheld>(events[0]);
  EXPECT_EQ(post.post, PostId{1234567890});
  EXPECT_EQ(post.user, UserId{123456});
  EXPECT_EQ(post.countries, (std::vector<std::string>{"DE", "AR"}));  // upper-cased, distinct
  EXPECT_EQ(post.time, EventTime::FromMicros(1'000'000));
  const auto& user = std::get<model::Withheld>(events[1]);
  EXPECT_FALSE(user.post.valid());
  EXPECT_EQ(user.user, UserId{123456});
  EXPECT_EQ(user.countries, (std::vector<std::string>{"XX"}));
}

TEST(TwitterV1DecoderTest, MalformedControlMessagesAreRejectedWithTheirField) {
  const std::tuple<std::string_view, RejectReason, std::string_view> cases[] = {
      {R"({"scrub_geo":{"user_id":1}})", RejectReason::kMissingField, "scrub_geo.up_to_status_id"},
      {R"({"scrub_geo":{"up_to_status_id":5}})", RejectReason::kMissingField, "scrub_geo.user_id"},
      {R"({"scrub_geo":null})", RejectReason::kMissingField, "scrub_geo"},
      {R"({"scrub_geo":{"user_id":"1","up_to_status_id":5}})", RejectReason::kWrongType,
       "scrub_geo.user_id"},
      {R"({"status_withheld":{"user_id":2,"withheld_in_countries":["DE"]}})",
       RejectReason::kMissingField, "status_withheld.id"},
      {R"({"status_withheld":{"id":1,"withheld_in_countries":[]}})", RejectReason::kMissingField,
       "status_withheld.withheld_in_countries"},
      {R"({"user_withheld":{"id":2,"withheld_in_countries":["Germany"]}})",
       RejectReason::kWrongType, "user_withheld.withheld_in_countries"},
      {R"({"user_withheld":{"id":2,"withheld_in_countries":"DE"}})", RejectReason::kWrongType,
       "user_withheld.withheld_in_countries"},
      {R"({"limit":{"track":-3}})", RejectReason::kWrongType, "limit.track"},
      {R"({"limit":{"track":"many"}})", RejectReason::kWrongType, "limit.track"},
  };
  TwitterV1Decoder decoder;
  for (const auto& [json, reason, field] : cases) {
    std::vector<Event> events;
    DecodeResult r = decoder.Decode(json, &events);
    EXPECT_FALSE(r.accepted) << json;
    EXPECT_EQ(r.reason, reason) << json << ": " << r.detail;
    EXPECT_NE(r.detail.find(field), std::string::npos) << json << ": " << r.detail;
    EXPECT_TRUE(events.empty()) << json;
  }
}

struct RejectCase {
  std::string name;
  std::string record;
  RejectReason reason;
  std::string detail_part;
};

TEST(TwitterV1DecoderTest, RejectionsLeaveOutputUnchanged) {
  std::string deep(2000, '[');
  deep += std::string(2000, ']');
  std::string deep_in_tweet = Tweet("1", "2", R"(,"x":)" + deep);
  const RejectCase cases[] = {
      {"truncated", Tweet("1", "2").substr(0, 60), RejectReason::kMalformedJson, ""},
      {"bad syntax", R"({"id":1,,})", RejectReason::kMalformedJson, ""},
      {"trailing content", Tweet("1", "2") + "}", RejectReason::kMalformedJson, "trailing"},
      {"wrong type id",
       R"({"created_at":"Mon Jan 02 03:04:05 +0000 2017","id":"abc","text":"x","user":{"id":1}})",
       RejectReason::kWrongType, "id"},
      {"non-numeric id_str", Tweet("12x", "2"), RejectReason::kWrongType, "id_str"},
      {"wrong type user", R"({"created_at":"Mon Jan 02 03:04:05 +0000 2017","id":1,"user":7})",
       RejectReason::kWrongType, "user"},
      {"wrong type count", Tweet("1", "2", R"(,"retweet_count":"many")"), RejectReason::kWrongType,
       "retweet_count"},
      {"invalid utf-8", Tweet("1", "2", ",\"lang\":\"\xff\xfe\""), RejectReason::kInvalidUtf8, ""},
      {"missing user", R"({"created_at":"Mon Jan 02 03:04:05 +0000 2017","id_str":"1","text":"x"})",
       RejectReason::kMissingField, "user"},
      {"missing id",
       R"({"created_at":"Mon Jan 02 03:04:05 +0000 2017","text":"x","user":{"id":1}})",
       RejectReason::kMissingField, "id"},
      {"missing created_at", R"({"id":1,"text":"x","user":{"id":1}})", RejectReason::kMissingField,
       "created_at"},
      {"missing user id", R"({"created_at":"Mon Jan 02 03:04:05 +0000 2017","id":1,"user":{}})",
       RejectReason::kMissingField, "user.id"},
      {"bad created_at",
       R"({"created_at":"2017-01-02T03:04:05Z","id":1,"text":"x","user":{"id":1}})",
       RejectReason::kBadTimestamp, "created_at"},
      {"bad month", R"({"created_at":"Mon Foo 02 03:04:05 +0000 2017","id":1,"user":{"id":1}})",
       RejectReason::kBadTimestamp, "created_at"},
      {"bad timestamp_ms", Tweet("1", "2", R"(,"timestamp_ms":"soon")"),
       RejectReason::kBadTimestamp, "timestamp_ms"},
      {"2000-deep array", deep, RejectReason::kTooDeep, ""},
      {"2000-deep inside a tweet", deep_in_tweet, RejectReason::kTooDeep, ""},
      {"unknown object", R"({"foo":1})", RejectReason::kUnknownFormat, "foo"},
      {"empty object", "{}", RejectReason::kUnknownFormat, ""},
      {"top-level array", "[1,2]", RejectReason::kUnknownFormat, ""},
      {"embedded missing id",
       Tweet(
           "5", "6",
           R"(,"retweeted_status":{"created_at":"Mon Jan 02 03:04:05 +0000 2017","user":{"id":1}})"),
       RejectReason::kMissingField, "retweeted_status.id"},
      {"embedded wrong type", Tweet("5", "6", R"(,"quoted_status":{"id":1,"user":{"id":"x"}})"),
       RejectReason::kWrongType, "quoted_status.user.id"},
  };
  TwitterV1Decoder decoder;
  for (const RejectCase& c : cases) {
    std::vector<Event> events;
    ASSERT_TRUE(decoder.Decode(Tweet("100", "200"), &events).accepted);
    ASSERT_EQ(events.size(), 2u);
    DecodeResult r = decoder.Decode(c.record, &events);
    EXPECT_FALSE(r.accepted) << c.name;
    EXPECT_EQ(RejectReasonName(r.reason), RejectReasonName(c.reason)) << c.name << ": " << r.detail;
    EXPECT_THAT(r.detail, HasSubstr(c.detail_part)) << c.name;
    EXPECT_EQ(events.size(), 2u) << c.name;
    EXPECT_EQ(LastPost(events).id, PostId(100)) << c.name;
  }
}

TEST(TwitterV1DecoderTest, DepthLimitCountsOnlyRealNesting) {
  TwitterV1Decoder decoder;
  std::vector<Event> events;
  // Brackets inside a string are text, not nesting.
  std::string text_brackets = Tweet("1", "2", R"(,"lang":")" + std::string(3000, '[') + "\"");
  EXPECT_TRUE(decoder.Decode(text_brackets, &events).accepted);
  // 1000 levels inside a tweet (1001 in all) is within the limit of 1024.
  std::string nested = std::string(1000, '[') + std::string(1000, ']');
  DecodeResult r = decoder.Decode(Tweet("1", "2", R"(,"x":)" + nested), &events);
  EXPECT_TRUE(r.accepted) << r.detail;
  std::string objects;
  for (int i = 0; i < 1100; ++i) objects += R"({"a":)";
  objects += "1" + std::string(1100, '}');
  r = decoder.Decode(objects, &events);
  EXPECT_EQ(r.reason, RejectReason::kTooDeep) << r.detail;
}

TEST(TwitterV1DecoderTest, ParseTwitterTime) {
  EXPECT_EQ(ParseTwitterTime("Thu Jan 01 00:00:00 +0000 1970"), 0);
  EXPECT_EQ(ParseTwitterTime("Thu Nov 08 02:31:41 +0000 2012"), int64_t{1352341901} * 1000000);
  EXPECT_EQ(ParseTwitterTime("Tue Feb 29 12:00:00 +0000 2000"), int64_t{951825600} * 1000000);
  EXPECT_EQ(ParseTwitterTime("Thu Nov 08 03:31:41 +0100 2012"), int64_t{1352341901} * 1000000);
  EXPECT_FALSE(ParseTwitterTime("Mon Feb 29 12:00:00 +0000 2017"));  // not a leap year
  EXPECT_FALSE(ParseTwitterTime("Thu Nov 08 24:31:41 +0000 2012"));
  EXPECT_FALSE(ParseTwitterTime("Thu Nov 08 02:31:41 +0000 201"));
  EXPECT_FALSE(ParseTwitterTime(""));
}

TEST(TwitterV1DecoderTest, MakeDecoder) {
  auto d = MakeDecoder("twitter-v1");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)->format(), "twitter-v1");
  ASSERT_TRUE(MakeDecoder("v1").ok());
  auto bad = MakeDecoder("myspace");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("twitter-v1"));
}

}  // namespace
}  // namespace reach::ingest

namespace reach::ingest {
namespace {

// Regression: the follower count in an embedded account is as of the outer tweet, so the embedded
// snapshot and post must carry the outer tweet's time as their observation time.
TEST(TwitterV1DecoderTest, EmbeddedObjectsAreObservedAtTheOuterTweetsTime) {
  const std::string line =
      R"({"created_at":"Fri Jan 15 06:38:38 +0000 2021","id_str":"2","text":"RT @a: hi",
    "user":{"id_str":"20","screen_name":"b","followers_count":5,"created_at":"Fri Jan 01 00:00:00 +0000 2021"},
    "retweeted_status":{"created_at":"Thu Nov 08 02:31:41 +0000 2012","id_str":"1","text":"hi",
      "favorite_count":9,"user":{"id_str":"10","screen_name":"a","followers_count":700,
      "created_at":"Thu Nov 01 00:00:00 +0000 2012"}}})";
  TwitterV1Decoder decoder;
  std::vector<Event> events;
  ASSERT_TRUE(decoder.Decode(line, &events).accepted);
  const EventTime outer =
      EventTime::FromMicros(*ParseTwitterTime("Fri Jan 15 06:38:38 +0000 2021"));
  int users = 0;
  for (const Event& e : events) {
    if (const auto* u = std::get_if<UserSnapshot>(&e)) {
      EXPECT_EQ(u->observed, outer) << u->handle;
      ++users;
    }
    if (const auto* p = std::get_if<Post>(&e); p != nullptr && p->id == PostId(1)) {
      EXPECT_EQ(p->observed, outer);
      EXPECT_LT(p->time, outer);  // its own creation time is kept
    }
  }
  EXPECT_EQ(users, 2);
}

}  // namespace
}  // namespace reach::ingest
