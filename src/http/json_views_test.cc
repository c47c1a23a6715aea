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
  board.items = {MakeRow(18446744073709551615ull, 1, 3)};

  std::string json = LeaderboardJson(board);
  simdjson::dom::parser parser;
  element doc = parser.parse(json);
  EXPECT_EQ(std::string_view(doc["window"]), "1h");
  EXPECT_EQ(std::string_view(doc["as_of"]), "2012-11-08T02:31:41.000Z");
  EXPECT_EQ(int64_t(doc["total"]), 7);
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
  EXPECT_DOUBLE_EQ(double(row["components"]["reshares"]), 0.5);
  EXPECT_DOUBLE_EQ(double(row["components"]["likes"]), 0.25);
  EXPECT_DOUBLE_EQ(double(row["components"]["followers"]), 0.125);
  EXPECT_DOUBLE_EQ(double(row["components"]["depth"]), 1.0);
}

TEST(JsonViewsTest, UnknownAsOfIsNull) {
  engine::Leaderboard board;
  std::string json = LeaderboardJson(board);
  EXPECT_EQ(json, R"({"window":"all","as_of":null,"total":0,"items":[]})");
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
