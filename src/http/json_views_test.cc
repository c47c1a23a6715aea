#include "http/json_views.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "http/fake_read_model.h"

namespace reach::http {
namespace {

using simdjson::dom::element;

TEST(JsonViewsTest, LeaderboardShapeAndValues) {
  engine::Leaderboard board;
  board.window = engine::Window::k1h;
  board.as_of = EventTime::FromSeconds(1352341901);  // 2012-11-08T02:31:41Z
  board.total = 7;
  board.weights = engine::ScoreWeights{0.25, 0.15, 0.15, 0.15, 0.2, 0.1};
  board.items = {MakeRow(18446744073709551615ull, 1, 3)};

  std::string json = LeaderboardJson(board);
  simdjson::dom::parser parser;
  element doc = parser.parse(json);
  EXPECT_EQ(std::string_view(doc["window"]), "1h");
  EXPECT_EQ(std::string_view(doc["as_of"]), "2012-11-08T02:31:41.000Z");
  EXPECT_EQ(int64_t(doc["total"]), 7);
  EXPECT_TRUE(doc["topic"].is_null());
  EXPECT_DOUBLE_EQ(double(doc["weights"]["pagerank"]), 0.2);
  EXPECT_DOUBLE_EQ(double(doc["weights"]["audience"]), 0.1);
  simdjson::dom::array items = doc["items"];
  ASSERT_EQ(items.size(), 1u);
  element row = items.at(0);
  EXPECT_EQ(int64_t(row["rank"]), 1);
  EXPECT_EQ(std::string_view(row["user_id"]), "18446744073709551615");  // a string, not a number
  EXPECT_EQ(std::string_view(row["handle"]), "user3");
  EXPECT_EQ(std::string_view(row["name"]), "User \"3\"");
  EXPECT_EQ(int64_t(row["followers"]), 3000);
  EXPECT_EQ(int64_t(row["posts"]), 3);
  EXPECT_EQ(int64_t(row["reshares"]), 6);
  EXPECT_EQ(int64_t(row["quotes"]), 9);
  EXPECT_EQ(int64_t(row["replies"]), 12);
  EXPECT_EQ(int64_t(row["likes"]), 15);
  EXPECT_EQ(int64_t(row["mentions"]), 18);
  EXPECT_EQ(int64_t(row["depth"]), 21);
  EXPECT_DOUBLE_EQ(double(row["score"]), 87.5);
  // Every component: its value, raw input, weight and a one-line explanation.
  element c = row["components"];
  EXPECT_DOUBLE_EQ(double(c["reshares"]["value"]), 0.5);
  EXPECT_DOUBLE_EQ(double(c["reshares"]["raw"]), 6);
  EXPECT_DOUBLE_EQ(double(c["reshares"]["weight"]), 0.25);
  EXPECT_EQ(std::string_view(c["reshares"]["why"]),
            "6 reshares in the last 1h, more than 50% of active accounts");
  EXPECT_DOUBLE_EQ(double(c["likes"]["value"]), 0.25);
  EXPECT_DOUBLE_EQ(double(c["likes"]["raw"]), 15);
  EXPECT_DOUBLE_EQ(double(c["followers"]["value"]), 0.125);
  EXPECT_DOUBLE_EQ(double(c["followers"]["raw"]), 3000);
  EXPECT_EQ(std::string_view(c["followers"]["why"]),
            "3000 followers (latest count), more than 12% of active accounts");
  EXPECT_DOUBLE_EQ(double(c["depth"]["value"]), 1.0);
  EXPECT_DOUBLE_EQ(double(c["depth"]["raw"]), 21);
  EXPECT_DOUBLE_EQ(double(c["pagerank"]["value"]), 0.75);
  EXPECT_DOUBLE_EQ(double(c["pagerank"]["raw"]), 2.0);
  EXPECT_DOUBLE_EQ(double(c["pagerank"]["weight"]), 0.2);
  EXPECT_EQ(std::string_view(c["pagerank"]["why"]),
            "PageRank 2.00x the average account's, higher than 75% of active accounts");
  EXPECT_DOUBLE_EQ(double(c["audience"]["value"]), 0.375);
  EXPECT_DOUBLE_EQ(double(c["audience"]["raw"]), 24);
  EXPECT_DOUBLE_EQ(double(c["audience"]["weight"]), 0.1);
  EXPECT_EQ(std::string_view(c["audience"]["why"]),
            "about 24 distinct accounts engaged in the last 1h, more than 37% of active accounts");
  // The per-user metrics: engagements = reshares + quotes + replies + likes = 6+9+12+15.
  element m = row["metrics"];
  EXPECT_EQ(int64_t(m["quotes"]), 9);
  EXPECT_EQ(int64_t(m["replies"]), 12);
  EXPECT_EQ(int64_t(m["mentions"]), 18);
  EXPECT_EQ(int64_t(m["engagements"]), 42);
  EXPECT_DOUBLE_EQ(double(m["engagement_rate"]), 14.0);  // per 1,000 of 3,000 followers
  EXPECT_DOUBLE_EQ(double(m["engagements_per_post"]), 14.0);
  EXPECT_EQ(int64_t(m["depth_max"]), 21);
  EXPECT_DOUBLE_EQ(double(m["depth_mean"]), 1.5);
  EXPECT_EQ(int64_t(m["cascade_nodes"]), 12);
  EXPECT_EQ(int64_t(m["second_level"]), 3);
  EXPECT_EQ(int64_t(m["audience"]), 24);
  EXPECT_EQ(int64_t(m["h_index"]), 3);
  EXPECT_FALSE(row["topic_engagements"].error() == simdjson::SUCCESS);  // overall board
  // No sentiment data in this row: the means are null beside their zero counts.
  EXPECT_TRUE(row["sentiment_of"].is_null());
  EXPECT_EQ(int64_t(row["sentiment_of_posts"]), 0);
  EXPECT_TRUE(row["sentiment_toward"].is_null());
  EXPECT_EQ(int64_t(row["sentiment_toward_posts"]), 0);
}

TEST(JsonViewsTest, TopicRankingRowsCarryTheirTopicEngagements) {
  engine::Leaderboard board;
  board.window = engine::Window::k24h;
  board.topic = "bitcoin";
  board.total = 1;
  board.items = {MakeRow(5, 1, 2)};
  board.items[0].topic_engagements = 17;
  board.items[0].followers = 0;
  board.items[0].metrics.posts = 0;
  simdjson::dom::parser parser;
  element doc = parser.parse(LeaderboardJson(board));
  EXPECT_EQ(std::string_view(doc["topic"]), "bitcoin");
  element row = doc["items"].at(0);
  EXPECT_EQ(int64_t(row["topic_engagements"]), 17);
  // Rates without a denominator are null, not infinite.
  EXPECT_TRUE(row["metrics"]["engagement_rate"].is_null());
  EXPECT_TRUE(row["metrics"]["engagements_per_post"].is_null());
  EXPECT_EQ(std::string_view(row["components"]["followers"]["why"]), "no followers");
}

TEST(JsonViewsTest, InfluencerRowSentiment) {
  engine::InfluencerRow r = MakeRow(7, 1, 1);
  r.sentiment_of = 0.5;
  r.sentiment_of_posts = 4;
  r.sentiment_toward = -0.25;
  r.sentiment_toward_posts = 2;
  JsonWriter w;
  WriteInfluencerRow(w, r, RowContext{});
  std::string json = std::move(w).Take();
  EXPECT_NE(
      json.find(
          R"("sentiment_of":0.5,"sentiment_of_posts":4,)"
          R"("sentiment_toward":-0.25,"sentiment_toward_posts":2,"pagerank":2,"community":-1})"),
      std::string::npos)
      << json;
}

engine::ConversationBoard SampleBoard() {
  engine::ConversationBoard b;
  b.posts = 120;
  b.sentiment_posts = 100;
  b.sentiment = 0.125;
  b.topics = {{"bitcoin", 40, 30, 0.5, true}, {"\xC3\xA9t\xC3\xA9", 10, 0, 0, false}};
  b.countries = {{"US", 60, 25, 50, -0.5}, {"FR", 5, 1, 0, 0}};
  return b;
}

TEST(JsonViewsTest, ConversationShapeAndValues) {
  engine::Conversation c;
  c.window = engine::Window::k1h;
  c.as_of = EventTime::FromSeconds(1352341901);
  c.board = SampleBoard();
  std::string json = ConversationJson(c);
  simdjson::dom::parser parser;
  element doc = parser.parse(json);
  EXPECT_EQ(std::string_view(doc["window"]), "1h");
  EXPECT_EQ(std::string_view(doc["as_of"]), "2012-11-08T02:31:41.000Z");
  EXPECT_EQ(int64_t(doc["posts"]), 120);
  EXPECT_DOUBLE_EQ(double(doc["sentiment"]["mean"]), 0.125);
  EXPECT_EQ(int64_t(doc["sentiment"]["posts"]), 100);
  simdjson::dom::array topics = doc["topics"];
  ASSERT_EQ(topics.size(), 2u);
  EXPECT_EQ(std::string_view(topics.at(0)["topic"]), "bitcoin");
  EXPECT_EQ(int64_t(topics.at(0)["posts"]), 40);
  EXPECT_DOUBLE_EQ(double(topics.at(0)["sentiment"]), 0.5);
  EXPECT_EQ(int64_t(topics.at(0)["sentiment_posts"]), 30);
  EXPECT_TRUE(bool(topics.at(0)["spiking"]));
  EXPECT_EQ(std::string_view(topics.at(1)["topic"]), "\xC3\xA9t\xC3\xA9");
  EXPECT_TRUE(topics.at(1)["sentiment"].is_null());
  EXPECT_FALSE(bool(topics.at(1)["spiking"]));
  simdjson::dom::array countries = doc["countries"];
  ASSERT_EQ(countries.size(), 2u);
  EXPECT_EQ(std::string_view(countries.at(0)["country"]), "US");
  EXPECT_EQ(int64_t(countries.at(0)["posts"]), 60);
  EXPECT_EQ(int64_t(countries.at(0)["engagements"]), 25);
  EXPECT_DOUBLE_EQ(double(countries.at(0)["sentiment"]), -0.5);
  EXPECT_EQ(int64_t(countries.at(0)["sentiment_posts"]), 50);
  EXPECT_TRUE(countries.at(1)["sentiment"].is_null());
}

TEST(JsonViewsTest, EmptyConversationAndGeoAreExact) {
  engine::Conversation c;
  c.window = engine::Window::k15m;
  EXPECT_EQ(ConversationJson(c),
            R"({"window":"15m","as_of":null,"posts":0,"sentiment":{"mean":null,"posts":0},)"
            R"("topics":[],"terms":[],"countries":[]})");
  EXPECT_EQ(GeoJson(c), R"({"window":"15m","as_of":null,"countries":[]})");
}

TEST(JsonViewsTest, GeoHasCountriesOnly) {
  engine::Conversation c;
  c.window = engine::Window::k24h;
  c.board = SampleBoard();
  EXPECT_EQ(GeoJson(c),
            R"({"window":"24h","as_of":null,"countries":[)"
            R"({"country":"US","posts":60,"engagements":25,"sentiment":-0.5,"sentiment_posts":50},)"
            R"({"country":"FR","posts":5,"engagements":1,"sentiment":null,"sentiment_posts":0}]})");
}

TEST(JsonViewsTest, TopicDetail) {
  engine::TopicDetail d;
  d.summary = {"bitcoin", 40, 30, 0.5, true};
  d.influencers = {MakeRow(101, 1, 2)};
  d.top_posts = {{PostId{18446744073709551615ull}, 9}, {PostId{5}, 3}};
  std::string json = TopicJson(d, engine::Window::k24h);
  simdjson::dom::parser parser;
  element doc = parser.parse(json);
  EXPECT_EQ(std::string_view(doc["topic"]), "bitcoin");
  EXPECT_EQ(std::string_view(doc["window"]), "24h");
  EXPECT_EQ(int64_t(doc["posts"]), 40);
  EXPECT_DOUBLE_EQ(double(doc["sentiment"]), 0.5);
  EXPECT_EQ(int64_t(doc["sentiment_posts"]), 30);
  EXPECT_TRUE(bool(doc["spiking"]));
  simdjson::dom::array inf = doc["influencers"];
  ASSERT_EQ(inf.size(), 1u);
  EXPECT_EQ(std::string_view(inf.at(0)["user_id"]), "101");
  EXPECT_EQ(int64_t(inf.at(0)["reshares"]), 4);
  simdjson::dom::array posts = doc["top_posts"];
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(std::string_view(posts.at(0)["post_id"]), "18446744073709551615");
  EXPECT_EQ(int64_t(posts.at(0)["engagements"]), 9);
  EXPECT_EQ(std::string_view(posts.at(1)["post_id"]), "5");
}

TEST(JsonViewsTest, SeriesPointsAndAllPostsTopicIsNull) {
  engine::Series s;
  s.window = engine::Window::k1h;
  s.bucket = Duration::Minutes(5);
  s.as_of = EventTime::FromSeconds(1352341901);
  s.points = {{EventTime::FromSeconds(1352340000), 12, 10, 0.25},
              {EventTime::FromSeconds(1352340300), 0, 0, 0}};
  EXPECT_EQ(
      SeriesJson(s),
      R"({"topic":null,"window":"1h","bucket_seconds":300,)"
      R"("as_of":"2012-11-08T02:31:41.000Z","points":[)"
      R"({"start":"2012-11-08T02:00:00.000Z","posts":12,"sentiment":0.25,"sentiment_posts":10},)"
      R"({"start":"2012-11-08T02:05:00.000Z","posts":0,"sentiment":null,"sentiment_posts":0}]})");
  s.topic = "bitcoin";
  s.points.clear();
  EXPECT_EQ(SeriesJson(s), R"({"topic":"bitcoin","window":"1h","bucket_seconds":300,)"
                           R"("as_of":"2012-11-08T02:31:41.000Z","points":[]})");
}

TEST(JsonViewsTest, Alerts) {
  std::vector<engine::TopicAlert> alerts = {
      {"bitcoin", EventTime::FromSeconds(1352341901), 120, 20, 6, 4.5}};
  EXPECT_EQ(AlertsJson(alerts),
            R"({"items":[{"topic":"bitcoin","at":"2012-11-08T02:31:41.000Z","current":120,)"
            R"("baseline":20,"ratio":6,"z":4.5}]})");
  EXPECT_EQ(AlertsJson({}), R"({"items":[]})");
}

TEST(JsonViewsTest, AudienceShares) {
  engine::Audience a;
  a.user = UserId{18446744073709551615ull};
  a.window = engine::Window::kAll;
  a.total = 8;
  a.countries = {{"US", 6}, {"FR", 2}};
  EXPECT_EQ(AudienceJson(a),
            R"({"user_id":"18446744073709551615","window":"all","as_of":null,"total":8,)"
            R"("countries":[{"country":"US","count":6,"share":0.75},)"
            R"({"country":"FR","count":2,"share":0.25}]})");
  a.total = 0;
  a.countries = {{"US", 0}};
  EXPECT_EQ(AudienceJson(a),
            R"({"user_id":"18446744073709551615","window":"all","as_of":null,"total":0,)"
            R"("countries":[{"country":"US","count":0,"share":0}]})");
}

TEST(JsonViewsTest, UnknownAsOfIsNull) {
  engine::Leaderboard board;
  std::string json = LeaderboardJson(board);
  EXPECT_EQ(json,
            R"({"window":"all","as_of":null,"topic":null,"total":0,"weights":{"reshares":0.25,)"
            R"("likes":0.15,"followers":0.15,"depth":0.15,"pagerank":0.15,"audience":0.15},)"
            R"("items":[]})");
}

TEST(JsonViewsTest, UserProfileWithSomeWindows) {
  engine::UserProfile p;
  p.info.user = UserId{42};
  p.info.handle = "alice";
  p.info.name = "Alice";
  p.info.location = "Paris";
  p.info.followers = 10;
  p.info.following = 20;
  p.info.posts_reported = 30;
  p.info.verified = true;
  p.info.created = EventTime::FromSeconds(0);  // unknown
  p.info.observed = EventTime::FromSeconds(1352341901);
  p.as_of = EventTime::FromSeconds(1352341902);
  p.windows[static_cast<size_t>(engine::Window::kAll)] = MakeRow(42, 5, 1);

  std::string json = UserProfileJson(p);
  simdjson::dom::parser parser;
  element doc = parser.parse(json);
  EXPECT_EQ(std::string_view(doc["user_id"]), "42");
  EXPECT_EQ(std::string_view(doc["handle"]), "alice");
  EXPECT_EQ(std::string_view(doc["location"]), "Paris");
  EXPECT_EQ(int64_t(doc["followers"]), 10);
  EXPECT_EQ(int64_t(doc["following"]), 20);
  EXPECT_EQ(int64_t(doc["posts_reported"]), 30);
  EXPECT_TRUE(bool(doc["verified"]));
  EXPECT_TRUE(doc["created"].is_null());
  EXPECT_EQ(std::string_view(doc["observed"]), "2012-11-08T02:31:41.000Z");
  EXPECT_EQ(std::string_view(doc["as_of"]), "2012-11-08T02:31:42.000Z");
  EXPECT_TRUE(doc["windows"]["15m"].is_null());
  EXPECT_TRUE(doc["windows"]["1h"].is_null());
  EXPECT_TRUE(doc["windows"]["24h"].is_null());
  EXPECT_EQ(int64_t(doc["windows"]["all"]["rank"]), 5);
  EXPECT_EQ(std::string_view(doc["windows"]["all"]["user_id"]), "42");
  // The profile's rows explain their components in their own window.
  EXPECT_EQ(std::string_view(doc["windows"]["all"]["components"]["reshares"]["why"]),
            "2 reshares over all time, more than 50% of active accounts");
  EXPECT_EQ(int64_t(doc["windows"]["all"]["metrics"]["h_index"]), 1);
}

TEST(JsonViewsTest, ErrorBody) {
  EXPECT_EQ(
      ErrorJson({400, "invalid_argument", "limit must be \"1\"", "limit"}),
      R"({"error":{"code":"invalid_argument","message":"limit must be \"1\"","parameter":"limit"}})");
  EXPECT_EQ(ErrorJson({404, "not_found", "no", ""}),
            R"({"error":{"code":"not_found","message":"no"}})");
}

}  // namespace
}  // namespace reach::http
