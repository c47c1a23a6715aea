#include "ingest/twitter_v2_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ingest/twitter_v2_decoder_golden_counts.h"

namespace reach::ingest {
namespace {

using model::Event;
using model::Post;
using model::PostKind;
using model::UserSnapshot;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kV2Dir[] = REACH_SHARED_DATA "/twitter-v2";

std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

int64_t Iso(std::string_view s) { return ParseTwitterV2Time(s).value(); }

// The events of one accepted record.
std::vector<Event> DecodeOk(TwitterV2Decoder* d, std::string_view record,
                            std::string_view control = "") {
  std::vector<Event> out;
  DecodeResult r = d->Decode(record, &out);
  EXPECT_TRUE(r.accepted) << RejectReasonName(r.reason) << ": " << r.detail;
  EXPECT_EQ(r.control, control);
  return out;
}

std::vector<Post> PostsOf(const std::vector<Event>& events) {
  std::vector<Post> posts;
  for (const Event& e : events) {
    if (const auto* p = std::get_if<Post>(&e)) posts.push_back(*p);
  }
  return posts;
}

const Post* FindPost(const std::vector<Event>& events, uint64_t id, size_t* index = nullptr) {
  for (size_t i = 0; i < events.size(); ++i) {
    const auto* p = std::get_if<Post>(&events[i]);
    if (p != nullptr && p->id.value == id) {
      if (index != nullptr) *index = i;
      return p;
    }
  }
  return nullptr;
}

const UserSnapshot* FindUser(const std::vector<Event>& events, uint64_t id,
                             size_t* index = nullptr) {
  for (size_t i = 0; i < events.size(); ++i) {
    const auto* u = std::get_if<UserSnapshot>(&events[i]);
    if (u != nullptr && u->id.value == id) {
      if (index != nullptr) *index = i;
      return u;
    }
  }
  return nullptr;
}

TEST(TwitterV2GoldenTest, EverySampleFileMatchesThePythonReference) {
  golden::Table expected = golden::ReadExpected();
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kV2Dir)) {
    if (entry.path().extension() != ".jsonl") continue;
    std::string rel = std::filesystem::relative(entry.path(), REACH_SHARED_DATA).string();
    SCOPED_TRACE(rel);
    ASSERT_TRUE(expected.contains(rel)) << "regenerate tests/golden/expected_counts_v2_snap.tsv";
    TwitterV2Decoder decoder;
    std::map<std::string, int64_t> got = golden::CountFile(entry.path().string(), &decoder);
    got["withheld"] = static_cast<int64_t>(decoder.notes().withheld_posts);
    got["edited"] = static_cast<int64_t>(decoder.notes().edited_posts);
    for (const auto& [column, value] : expected[rel]) {
      EXPECT_EQ(got[column], value) << column;
    }
    ++files;
  }
  EXPECT_EQ(files, 29);
}

TEST(TwitterV2GoldenTest, BlackLivesMatterMatchesItsSourceDescription) {
  // SOURCE.txt: 500 tweets (367 retweets, 35 replies, 18 quotes), 857 users, 291 referenced.
  TwitterV2Decoder decoder;
  auto counts = golden::CountFile(
      std::string(kV2Dir) + "/twarc-network/tweets_blacklivesmatter_2021-06-26.jsonl", &decoder);
  EXPECT_EQ(counts["records"], 5);
  EXPECT_EQ(counts["rejected"], 0);
  EXPECT_EQ(counts["reshares"], 367);
  EXPECT_EQ(counts["users"], 857);
  EXPECT_EQ(decoder.notes().error_entries, 4u);  // all on page 2, next to its data
}

TEST(TwitterV2DecoderTest, RetweetOnAPageCarriesTheOriginalFirst) {
  auto lines =
      ReadLines(std::string(kV2Dir) + "/twarc-network/tweets_blacklivesmatter_2021-06-26.jsonl");
  ASSERT_EQ(lines.size(), 5u);
  TwitterV2Decoder d;
  std::vector<Event> events = DecodeOk(&d, lines[0]);
  size_t rt_at = 0, original_at = 0, author_at = 0, original_author_at = 0;
  const Post* rt = FindPost(events, 1408876829491015681ull, &rt_at);
  const Post* original = FindPost(events, 1408678886733451268ull, &original_at);
  ASSERT_NE(rt, nullptr);
  ASSERT_NE(original, nullptr);
  ASSERT_NE(FindUser(events, 1350281236359614465ull, &author_at), nullptr);
  const UserSnapshot* original_author = FindUser(events, 454904118ull, &original_author_at);
  ASSERT_NE(original_author, nullptr);

  EXPECT_EQ(rt->kind, PostKind::kReshare);
  EXPECT_EQ(rt->platform, model::Platform::kTwitter);
  EXPECT_EQ(rt->author, UserId(1350281236359614465ull));
  EXPECT_EQ(rt->parent, PostId(1408678886733451268ull));
  EXPECT_EQ(rt->parent_author, UserId(454904118ull));
  EXPECT_EQ(rt->time.micros, Iso("2021-06-26T19:56:26.000Z"));
  EXPECT_FALSE(rt->observed.known());
  EXPECT_EQ(rt->lang, "en");
  EXPECT_THAT(rt->hashtags, ElementsAre("icantbreathe"));
  ASSERT_EQ(rt->mentions.size(), 1u);
  EXPECT_EQ(rt->mentions[0].user, UserId(454904118ull));
  EXPECT_EQ(rt->mentions[0].handle, "MbuyiseniNdlozi");

  // Causal order: original's author, original, retweeter, retweet.
  EXPECT_LT(original_author_at, original_at);
  EXPECT_LT(original_at, author_at);
  EXPECT_LT(author_at, rt_at);

  EXPECT_EQ(original->kind, PostKind::kOriginal);
  EXPECT_EQ(original->time.micros, Iso("2021-06-26T06:49:53.000Z"));
  EXPECT_EQ(original->observed, rt->time);  // observed when the retweet was made
  EXPECT_EQ(original->counters.reshares, 238);
  EXPECT_EQ(original->counters.likes, 1070);
  EXPECT_EQ(original->counters.replies, 55);
  EXPECT_EQ(original->counters.quotes, 17);
  EXPECT_EQ(original_author->handle, "MbuyiseniNdlozi");
  EXPECT_EQ(original_author->followers, 1342213);
  EXPECT_EQ(original_author->following, 5475);
  EXPECT_EQ(original_author->posts, 42280);
  EXPECT_EQ(original_author->observed, rt->time);
}

TEST(TwitterV2DecoderTest, EachPostAndUserOncePerPage) {
  auto lines =
      ReadLines(std::string(kV2Dir) + "/twarc-network/tweets_blacklivesmatter_2021-06-26.jsonl");
  TwitterV2Decoder d;
  std::vector<Event> events = DecodeOk(&d, lines[0]);
  std::set<uint64_t> posts, users;
  for (const Event& e : events) {
    if (const auto* p = std::get_if<Post>(&e)) {
      EXPECT_TRUE(posts.insert(p->id.value).second);
    }
    if (const auto* u = std::get_if<UserSnapshot>(&e)) {
      EXPECT_TRUE(users.insert(u->id.value).second);
    }
  }
  EXPECT_GE(posts.size(), 100u);
}

TEST(TwitterV2DecoderTest, StreamingReplyWithPlaceAndMentionResolvedByUsername) {
  auto lines = ReadLines(std::string(kV2Dir) + "/twarc-csv/streaming_output_with_error.jsonl");
  ASSERT_EQ(lines.size(), 8u);
  TwitterV2Decoder d;
  std::vector<Event> out;
  DecodeResult broken = d.Decode(lines[7], &out);  // the deliberately broken (truncated) line
  EXPECT_FALSE(broken.accepted);
  EXPECT_EQ(broken.reason, RejectReason::kMalformedJson);
  EXPECT_TRUE(out.empty());

  std::vector<Event> events = DecodeOk(&d, lines[1]);
  const Post* reply = FindPost(events, 1377650093109743620ull);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(reply->kind, PostKind::kReply);
  EXPECT_EQ(reply->author, UserId(3026521093ull));
  EXPECT_EQ(reply->in_reply_to, PostId(1377266697850257410ull));
  EXPECT_EQ(reply->in_reply_to_user, UserId(601852746ull));
  EXPECT_FALSE(reply->parent.valid());
  EXPECT_EQ(reply->time.micros, Iso("2021-04-01T15:52:32.000Z"));
  ASSERT_TRUE(reply->place.has_value());
  EXPECT_EQ(reply->place->country_code, "GB");
  EXPECT_EQ(reply->place->full_name, "Bournemouth, England");
  ASSERT_EQ(reply->mentions.size(), 1u);
  EXPECT_EQ(reply->mentions[0].handle, "PoliceMutual");
  EXPECT_EQ(reply->mentions[0].user, UserId(601852746ull));  // from includes.users
  EXPECT_EQ(reply->counters.likes, 0);

  const UserSnapshot* author = FindUser(events, 3026521093ull);
  ASSERT_NE(author, nullptr);
  EXPECT_EQ(author->handle, "sheelaghb18");
  EXPECT_EQ(author->location, "Earth");
  EXPECT_EQ(author->followers, 837);
  EXPECT_EQ(author->following, 526);
  EXPECT_EQ(author->posts, 96025);
  EXPECT_FALSE(author->verified);
  EXPECT_EQ(author->created.micros, Iso("2015-02-18T16:21:53.000Z"));
  EXPECT_EQ(author->observed, reply->time);
  // The mentioned account wrote the replied-to tweet (includes.tweets): that post and its author
  // come first, observed at the reply's time.
  size_t mentioned_at = 0, parent_at = 0, author_at = 0, reply_at = 0;
  const UserSnapshot* mentioned = FindUser(events, 601852746ull, &mentioned_at);
  const Post* parent = FindPost(events, 1377266697850257410ull, &parent_at);
  FindUser(events, 3026521093ull, &author_at);
  FindPost(events, 1377650093109743620ull, &reply_at);
  ASSERT_NE(mentioned, nullptr);
  ASSERT_NE(parent, nullptr);
  EXPECT_EQ(events.size(), 4u);
  EXPECT_LT(mentioned_at, parent_at);
  EXPECT_LT(parent_at, author_at);
  EXPECT_LT(author_at, reply_at);
  EXPECT_EQ(mentioned->followers, 8227);
  EXPECT_EQ(mentioned->observed, reply->time);
  EXPECT_EQ(parent->time.micros, Iso("2021-03-31T14:29:03.000Z"));
  EXPECT_EQ(parent->observed, reply->time);
}

TEST(TwitterV2DecoderTest, FlattenedTweetWithInlinedRetweetAndAuthors) {
  auto lines = ReadLines(std::string(kV2Dir) + "/twarc-csv/flat.jsonl");
  TwitterV2Decoder d;
  std::vector<Event> events = DecodeOk(&d, lines[0]);
  size_t rt_at = 0, original_at = 0;
  const Post* rt = FindPost(events, 1380242611781386245ull, &rt_at);
  const Post* original = FindPost(events, 1380175475545362437ull, &original_at);
  ASSERT_NE(rt, nullptr);
  ASSERT_NE(original, nullptr);
  EXPECT_LT(original_at, rt_at);
  EXPECT_EQ(rt->kind, PostKind::kReshare);
  EXPECT_EQ(rt->author, UserId(1352661060663336960ull));
  EXPECT_EQ(rt->parent, PostId(1380175475545362437ull));
  EXPECT_EQ(rt->parent_author, UserId(2718660392ull));
  EXPECT_EQ(rt->time.micros, Iso("2021-04-08T19:34:16.000Z"));
  EXPECT_EQ(original->author, UserId(2718660392ull));
  EXPECT_EQ(original->time.micros, Iso("2021-04-08T15:07:30.000Z"));
  EXPECT_EQ(original->counters.likes, 241);
  EXPECT_EQ(original->lang, "es");
  EXPECT_EQ(original->observed, rt->time);
  const UserSnapshot* original_author = FindUser(events, 2718660392ull);
  ASSERT_NE(original_author, nullptr);
  EXPECT_EQ(original_author->handle, "williamserafino");
  EXPECT_EQ(original_author->location, "Tierra Firme");
  EXPECT_EQ(original_author->followers, 28341);
  const UserSnapshot* author = FindUser(events, 1352661060663336960ull);
  ASSERT_NE(author, nullptr);
  EXPECT_EQ(author->handle, "Alexandravm12");
}

TEST(TwitterV2DecoderTest, EditedTweetCountsOnceAsItsNewestVersion) {
  // edited_before: data holds the first version, includes the newest; both map to the first id.
  for (const char* file : {"edited_before.jsonl", "edited.jsonl", "edited_after.jsonl"}) {
    SCOPED_TRACE(file);
    auto lines = ReadLines(std::string(kV2Dir) + "/twarc-csv/" + file);
    TwitterV2Decoder d;
    std::vector<Post> posts = PostsOf(DecodeOk(&d, lines[0]));
    ASSERT_EQ(posts.size(), 1u);
    EXPECT_EQ(posts[0].id, PostId(1576994746135764992ull));
    EXPECT_THAT(posts[0].text, HasSubstr("hey :)"));
    EXPECT_EQ(d.notes().edited_posts, 1u);
  }
}

TEST(TwitterV2DecoderTest, QuoteThatAlsoRepliesToAnEditedTweet) {
  auto lines = ReadLines(std::string(kV2Dir) + "/twarc-csv/quoted_edit.jsonl");
  TwitterV2Decoder d;
  std::vector<Event> events = DecodeOk(&d, lines[0]);
  const Post* quote = FindPost(events, 1576995594388000768ull);
  ASSERT_NE(quote, nullptr);
  EXPECT_EQ(quote->kind, PostKind::kQuote);
  // Quoted the first version, replied to the second: both are the same post.
  EXPECT_EQ(quote->parent, PostId(1576994746135764992ull));
  EXPECT_EQ(quote->in_reply_to, PostId(1576994746135764992ull));
  EXPECT_TRUE(quote->parent_author.valid());
  EXPECT_EQ(quote->in_reply_to_user, quote->parent_author);
  EXPECT_EQ(FindPost(events, 1576994789110992896ull), nullptr);
  ASSERT_NE(FindPost(events, 1576994746135764992ull), nullptr);
}

TEST(TwitterV2DecoderTest, WithheldPostsAreKeptAndNoted) {
  auto lines = ReadLines(std::string(kV2Dir) + "/twarc-csv/withheld.jsonl");
  TwitterV2Decoder d;
  size_t posts = 0, withheld_posts = 0, withheld_users = 0;
  for (const std::string& line : lines) {
    std::vector<Event> events = DecodeOk(&d, line);
    posts += PostsOf(events).size();
    for (size_t i = 0; i < events.size(); ++i) {
      const auto* w = std::get_if<model::Withheld>(&events[i]);
      if (w == nullptr) continue;
      ASSERT_GT(i, 0u);
      EXPECT_FALSE(w->countries.empty());
      if (w->post.valid()) {
        // It follows its post.
        const auto* p = std::get_if<model::Post>(&events[i - 1]);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(p->id, w->post);
        EXPECT_EQ(p->author, w->user);
        ++withheld_posts;
      } else {
        const auto* u = std::get_if<model::UserSnapshot>(&events[i - 1]);
        ASSERT_NE(u, nullptr);
        EXPECT_EQ(u->id, w->user);
        ++withheld_users;
      }
    }
  }
  EXPECT_EQ(posts, 284u);
  EXPECT_EQ(d.notes().withheld_posts, 14u);
  // Independent count (Python json): 14 distinct withheld tweets; 5 users of includes.users (all
  // of which are emitted) carry a withheld object.
  EXPECT_EQ(withheld_posts, 14u);
  EXPECT_EQ(withheld_users, 5u);
}

TEST(TwitterV2DecoderTest, UserLookupPageObservedAtRetrieval) {
  auto lines = ReadLines(std::string(kV2Dir) + "/twarc-csv/users.jsonl");
  TwitterV2Decoder d;
  std::vector<Event> events = DecodeOk(&d, lines[0]);
  ASSERT_EQ(events.size(), 91u);
  const auto* first = std::get_if<UserSnapshot>(&events[0]);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->id, UserId(119369819ull));
  EXPECT_EQ(first->handle, "DoDirty78");
  EXPECT_EQ(first->name, "DoDirtysHouse");
  EXPECT_EQ(first->location, "NC");
  EXPECT_EQ(first->followers, 580);
  EXPECT_EQ(first->posts, 55186);
  EXPECT_EQ(first->created.micros, Iso("2010-03-03T12:49:24.000Z"));
  EXPECT_EQ(first->observed.micros, Iso("2021-10-23T19:36:18+00:00"));
  EXPECT_TRUE(PostsOf(events).empty());  // pinned tweets in includes are not decoded
}

TEST(TwitterV2DecoderTest, ControlRecords) {
  TwitterV2Decoder d;
  auto counts = ReadLines(std::string(kV2Dir) + "/twarc-csv/counts.jsonl");
  EXPECT_TRUE(DecodeOk(&d, counts[0], "v2_counts").empty());
  EXPECT_TRUE(
      DecodeOk(&d, R"({"errors":[{"title":"Not Found Error","detail":"Could not find tweet"}]})",
               "v2_error")
          .empty());
  EXPECT_TRUE(DecodeOk(&d, R"({"data":[],"errors":[{"title":"x"}]})", "v2_error").empty());
  EXPECT_TRUE(DecodeOk(&d, R"({"meta":{"result_count":0}})", "v2_empty").empty());
  EXPECT_TRUE(DecodeOk(&d, R"({"data":null,"meta":{"result_count":0}})", "v2_empty").empty());
  EXPECT_EQ(d.notes().error_entries, 0u);  // pages without data count as controls only
}

constexpr char kPage[] = R"({"data":[
 {"id":"30","text":"quote and reply","author_id":"3","created_at":"2022-01-01T00:00:30.500Z",
  "referenced_tweets":[{"type":"quoted","id":"10"},{"type":"replied_to","id":"20"}],
  "entities":{"mentions":[{"username":"Nobody"}],"urls":[{"url":"https://t.co/x"}]},
  "geo":{"coordinates":{"type":"Point","coordinates":[13.4,52.5]},"place_id":"p1"}},
 {"id":"40","text":"reply to a trimmed tweet","author_id":"4","created_at":"2022-01-01T00:00:40Z",
  "in_reply_to_user_id":"2","referenced_tweets":[{"type":"replied_to","id":"25"}]}],
 "includes":{"users":[{"id":"1","username":"one","name":"One"},{"id":"3","username":"three","name":"Three"}],
  "tweets":[{"id":"10","text":"original","author_id":"1","created_at":"2022-01-01T00:00:10Z"},
            {"id":"20","text":"replied","author_id":"2","created_at":"2022-01-01T00:00:20Z"},
            {"id":"25","text":"trimmed"}],
  "places":[{"id":"p1","country_code":"de","full_name":"Berlin, Germany"}]},
 "errors":[{"title":"Not Found Error"},{"title":"Not Found Error"}],
 "matching_rules":[{"id":"1","tag":"x"}]})";

TEST(TwitterV2DecoderTest, PageWithQuoteReplyTrimmedReferenceAndPartialErrors) {
  TwitterV2Decoder d;
  std::vector<Event> events = DecodeOk(&d, kPage);
  EXPECT_EQ(d.notes().error_entries, 2u);
  std::vector<Post> posts = PostsOf(events);
  ASSERT_EQ(posts.size(), 4u);
  EXPECT_EQ(posts[0].id, PostId(10));
  EXPECT_EQ(posts[1].id, PostId(20));
  EXPECT_EQ(posts[2].id, PostId(30));
  EXPECT_EQ(posts[3].id, PostId(40));  // 25 has no author_id / created_at: no post

  const Post& q = posts[2];
  EXPECT_EQ(q.kind, PostKind::kQuote);
  EXPECT_EQ(q.parent, PostId(10));
  EXPECT_EQ(q.parent_author, UserId(1));
  EXPECT_EQ(q.in_reply_to, PostId(20));
  EXPECT_EQ(q.in_reply_to_user, UserId(2));  // author of the replied-to tweet
  EXPECT_EQ(q.time.micros, Iso("2022-01-01T00:00:30Z") + 500000);
  ASSERT_EQ(q.mentions.size(), 1u);
  EXPECT_EQ(q.mentions[0].handle, "Nobody");
  EXPECT_FALSE(q.mentions[0].user.valid());
  EXPECT_THAT(q.urls, ElementsAre("https://t.co/x"));
  ASSERT_TRUE(q.coordinates.has_value());
  EXPECT_DOUBLE_EQ(q.coordinates->lat, 52.5);
  EXPECT_DOUBLE_EQ(q.coordinates->lon, 13.4);
  ASSERT_TRUE(q.place.has_value());
  EXPECT_EQ(q.place->country_code, "DE");
  EXPECT_EQ(posts[0].observed, q.time);
  EXPECT_EQ(q.counters.likes, -1);  // not reported

  const Post& r = posts[3];
  EXPECT_EQ(r.kind, PostKind::kReply);
  EXPECT_EQ(r.in_reply_to, PostId(25));
  EXPECT_EQ(r.in_reply_to_user, UserId(2));

  // Users: 1 before its post 10, 3 before its post 30, none for 2 and 4 (not in includes).
  std::vector<uint64_t> order;
  for (const Event& e : events) {
    if (const auto* p = std::get_if<Post>(&e)) order.push_back(p->id.value * 100);
    if (const auto* u = std::get_if<UserSnapshot>(&e)) order.push_back(u->id.value);
  }
  EXPECT_THAT(order, ElementsAre(1, 1000, 2000, 3, 3000, 4000));
}

TEST(TwitterV2DecoderTest, SingleObjectDataAndBareTweet) {
  TwitterV2Decoder d;
  std::vector<Post> a = PostsOf(DecodeOk(
      &d,
      R"({"data":{"id":"5","text":"hi","author_id":"6","created_at":"2022-03-04T05:06:07Z"}})"));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].author, UserId(6));
  std::vector<Post> b = PostsOf(DecodeOk(
      &d, R"({"id":"5","text":"hi","author_id":"6","created_at":"2022-03-04T05:06:07Z"})"));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].time, a[0].time);
}

struct BadCase {
  const char* record;
  RejectReason reason;
  const char* detail;  // a substring of the detail
};

TEST(TwitterV2DecoderTest, RejectionsNameTheReasonAndLeaveOutputUnchanged) {
  const std::string deep = std::string(1100, '[') + std::string(1100, ']');
  const BadCase cases[] = {
      {R"({"data":[{"id":"1","text":"x")", RejectReason::kMalformedJson, ""},
      {"{\"data\":[{\"id\":\"1\",\"text\":\"\xff\"}]}", RejectReason::kInvalidUtf8, ""},
      {deep.c_str(), RejectReason::kTooDeep, "nesting"},
      {R"({"data":[{"id":"abc","text":"x","author_id":"1","created_at":"2022-01-01T00:00:00Z"}]})",
       RejectReason::kWrongType, "data[0].id: expected a numeric id string"},
      {R"({"data":[{"id":"1","text":"x","author_id":"1","created_at":"2022-01-01T00:00:00Z",
         "public_metrics":{"like_count":"many"}}]})",
       RejectReason::kWrongType, "data[0].public_metrics.like_count"},
      {R"({"data":[{"id":"1","text":"x","author_id":"1","created_at":"2022-01-01T00:00:00Z"},
                  {"id":"2","text":"y","created_at":"2022-01-01T00:00:00Z"}]})",
       RejectReason::kMissingField, "data[1].author_id"},
      {R"({"data":[{"id":"1","text":"x","author_id":"1"}]})", RejectReason::kMissingField,
       "data[0].created_at"},
      {R"({"data":[{"text":"x","author_id":"1","created_at":"2022-01-01T00:00:00Z"}]})",
       RejectReason::kMissingField, "data[0].id"},
      {R"({"data":[{"id":"1","text":"x","author_id":"1","created_at":"2022-01-01T00:00:00Z"}],
         "includes":{"users":[{"username":"nobody"}]}})",
       RejectReason::kMissingField, "includes.users[0].id"},
      {R"({"data":[{"id":"1","text":"x","author_id":"1","created_at":"yesterday"}]})",
       RejectReason::kBadTimestamp, "data[0].created_at"},
      {R"({"data":[{"id":"1","text":"x","author_id":"1","created_at":"2022-02-30T00:00:00Z"}]})",
       RejectReason::kBadTimestamp, "2022-02-30"},
      {R"({"id":"1170025343920402432","action":"delete","created_at":"2019-09-06T17:25:54.667Z"})",
       RejectReason::kUnknownFormat, "compliance"},
      {R"({"data":[{"id":"1","name":"a list","owner_id":"2"}]})", RejectReason::kUnknownFormat,
       "data[0]"},
      {R"([1,2])", RejectReason::kUnknownFormat, "not an object"},
      {R"({"created_at":"Thu Nov 08 02:31:41 +0000 2012","id_str":"1"})",
       RejectReason::kUnknownFormat, "first key"},
  };
  TwitterV2Decoder d;
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.record);
    std::vector<Event> out(1, model::Delete{});
    DecodeResult r = d.Decode(c.record, &out);
    EXPECT_FALSE(r.accepted);
    EXPECT_EQ(r.reason, c.reason) << RejectReasonName(r.reason) << ": " << r.detail;
    EXPECT_THAT(r.detail, HasSubstr(c.detail));
    EXPECT_EQ(out.size(), 1u);
  }
  EXPECT_EQ(d.notes().withheld_posts, 0u);
  // The decoder recovers after rejections.
  EXPECT_EQ(PostsOf(DecodeOk(&d, kPage)).size(), 4u);
}

TEST(TwitterV2DecoderTest, RejectedPageDoesNotKeepItsNotes) {
  TwitterV2Decoder d;
  std::vector<Event> out;
  DecodeResult r = d.Decode(
      R"({"data":[{"id":"1","text":"x","author_id":"1","created_at":"2022-01-01T00:00:00Z",
         "withheld":{"country_codes":["DE"]}},{"id":"2","text":"y"}],"errors":[{}]})",
      &out);
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(d.notes().withheld_posts, 0u);
  EXPECT_EQ(d.notes().error_entries, 0u);
}

TEST(TwitterV2DecoderTest, ParseTwitterV2Time) {
  EXPECT_EQ(ParseTwitterV2Time("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseTwitterV2Time("1970-01-01T00:00:01.5Z"), 1500000);
  EXPECT_EQ(ParseTwitterV2Time("2021-04-01T15:52:31.000Z"), int64_t{1617292351} * 1000000);
  EXPECT_EQ(ParseTwitterV2Time("2021-10-23T19:36:18+00:00"), int64_t{1635017778} * 1000000);
  EXPECT_EQ(ParseTwitterV2Time("2021-10-23T21:36:18+02:00"), int64_t{1635017778} * 1000000);
  EXPECT_EQ(ParseTwitterV2Time("2021-04-01T15:52:31.1234567Z"),
            int64_t{1617292351} * 1000000 + 123456);
  EXPECT_FALSE(ParseTwitterV2Time("2021-04-01T15:52:31"));
  EXPECT_FALSE(ParseTwitterV2Time("2021-04-01T15:52:31.Z"));
  EXPECT_FALSE(ParseTwitterV2Time("2021-13-01T15:52:31Z"));
  EXPECT_FALSE(ParseTwitterV2Time("2021-04-01T24:00:00Z"));
  EXPECT_FALSE(ParseTwitterV2Time("Thu Nov 08 02:31:41 +0000 2012"));
}

TEST(TwitterV2DecoderTest, MakeDecoder) {
  for (const char* name : {"twitter-v2", "v2"}) {
    auto d = MakeDecoder(name);
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ((*d)->format(), "twitter-v2");
  }
  auto unknown = MakeDecoder("twitter-v3");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(std::string(unknown.status().message()), HasSubstr("twitter-v2 (alias v2)"));
}

}  // namespace
}  // namespace reach::ingest
