#include "sim/writer_v1.h"

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "sim/simulate.h"

namespace reach::sim {
namespace {

std::vector<std::string> SimulateLines(const SimOptions& o) {
  std::vector<std::string> lines;
  const absl::Status st = Simulate(
      o, [&](std::string_view line) { lines.emplace_back(line); }, nullptr, nullptr);
  EXPECT_TRUE(st.ok()) << st;
  return lines;
}

std::string_view Str(simdjson::dom::element e, const char* key) {
  std::string_view s;
  const auto err = e[key].get(s);
  EXPECT_EQ(err, simdjson::SUCCESS) << key;
  return s;
}

uint64_t U64(simdjson::dom::element e, const char* key) {
  uint64_t v = 0;
  const auto err = e[key].get(v);
  EXPECT_EQ(err, simdjson::SUCCESS) << key;
  return v;
}

// Checks the fields every v1.1 status carries and that entity indices point into the text.
void CheckStatus(simdjson::dom::element s) {
  static const std::regex kDate(R"([A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \+0000 \d{4})");
  EXPECT_TRUE(std::regex_match(std::string(Str(s, "created_at")), kDate)) << Str(s, "created_at");
  const uint64_t id = U64(s, "id");
  EXPECT_EQ(Str(s, "id_str"), std::to_string(id));
  const std::string_view text = Str(s, "text");
  EXPECT_FALSE(Str(s, "lang").empty());
  U64(s, "retweet_count");
  U64(s, "favorite_count");
  simdjson::dom::element user = s["user"];
  EXPECT_EQ(Str(user, "id_str"), std::to_string(U64(user, "id")));
  EXPECT_FALSE(Str(user, "screen_name").empty());
  EXPECT_FALSE(Str(user, "name").empty());
  Str(user, "location");
  U64(user, "followers_count");
  U64(user, "friends_count");
  EXPECT_GT(U64(user, "statuses_count"), 0u);
  bool verified;
  EXPECT_EQ(user["verified"].get(verified), simdjson::SUCCESS);
  EXPECT_TRUE(std::regex_match(std::string(Str(user, "created_at")), kDate));
  simdjson::dom::element entities = s["entities"];
  for (simdjson::dom::element h : entities["hashtags"].get_array()) {
    const uint64_t b = h["indices"].at(0);
    const uint64_t e = h["indices"].at(1);
    EXPECT_EQ(text.substr(b, e - b), "#" + std::string(Str(h, "text")));
  }
  for (simdjson::dom::element m : entities["user_mentions"].get_array()) {
    const uint64_t b = m["indices"].at(0);
    const uint64_t e = m["indices"].at(1);
    EXPECT_EQ(text.substr(b, e - b), "@" + std::string(Str(m, "screen_name")));
    EXPECT_EQ(Str(m, "id_str"), std::to_string(U64(m, "id")));
  }
  for (simdjson::dom::element u : entities["urls"].get_array()) {
    const uint64_t b = u["indices"].at(0);
    const uint64_t e = u["indices"].at(1);
    EXPECT_EQ(text.substr(b, e - b), Str(u, "url"));
    EXPECT_EQ(Str(u, "expanded_url").substr(0, 8), "https://");
  }
}

TEST(TwitterV1WriterTest, EveryLineIsAV1StatusAndEmbedsEarlierPosts) {
  SimOptions o;
  o.seed = 5;
  o.users = 3000;
  o.posts = 6000;
  o.reshare_prob = 0.03;
  o.place_share = 0.3;
  o.coordinates_share = 0.05;
  const auto lines = SimulateLines(o);
  ASSERT_EQ(lines.size(), 6000u);

  simdjson::dom::parser parser;
  std::map<uint64_t, uint64_t> author_of;  // top-level id -> user id
  std::map<uint64_t, uint64_t> favorites;  // original id -> favorite_count last embedded
  uint64_t last_id = 0;
  int retweets = 0;
  int quotes = 0;
  int replies = 0;
  int places = 0;
  int coordinates = 0;
  int favorite_growth = 0;
  for (const std::string& line : lines) {
    simdjson::dom::element s;
    ASSERT_EQ(parser.parse(line).get(s), simdjson::SUCCESS) << line;
    CheckStatus(s);
    const uint64_t id = U64(s, "id");
    EXPECT_GT(id, last_id) << "ids grow with time";
    last_id = id;
    uint64_t ts = std::stoull(std::string(Str(s, "timestamp_ms")));
    EXPECT_EQ((id >> 22) + 1'288'834'974'657, ts);
    const uint64_t user_id = U64(s["user"], "id");

    simdjson::dom::element rt;
    if (s["retweeted_status"].get(rt) == simdjson::SUCCESS) {
      ++retweets;
      CheckStatus(rt);
      const uint64_t original = U64(rt, "id");
      ASSERT_TRUE(author_of.count(original)) << "retweeted_status must be an earlier post";
      EXPECT_EQ(U64(rt["user"], "id"), author_of[original]);
      const std::string prefix = "RT @" + std::string(Str(rt["user"], "screen_name")) + ": ";
      EXPECT_EQ(Str(s, "text").substr(0, prefix.size()), prefix);
      EXPECT_EQ(Str(s, "text").substr(prefix.size()), Str(rt, "text"));
      EXPECT_EQ(U64(s, "retweet_count"), U64(rt, "retweet_count"));
      EXPECT_GE(U64(rt, "retweet_count"), 1u);
      EXPECT_TRUE(s["place"].is_null());
      const uint64_t fav = U64(rt, "favorite_count");
      if (favorites.count(original)) {
        EXPECT_GE(fav, favorites[original]) << "favorite_count only grows";
        favorite_growth += fav > favorites[original];
      }
      favorites[original] = fav;
    }
    simdjson::dom::element quoted;
    if (s["quoted_status"].get(quoted) == simdjson::SUCCESS) {
      ++quotes;
      CheckStatus(quoted);
      EXPECT_EQ(U64(s, "quoted_status_id"), U64(quoted, "id"));
      ASSERT_TRUE(author_of.count(U64(quoted, "id")));
      bool is_quote = false;
      EXPECT_EQ(s["is_quote_status"].get(is_quote), simdjson::SUCCESS);
      EXPECT_TRUE(is_quote);
      const std::string permalink = "https://twitter.com/" +
                                    std::string(Str(quoted["user"], "screen_name")) + "/status/" +
                                    std::to_string(U64(quoted, "id"));
      bool linked = false;
      for (simdjson::dom::element u : s["entities"]["urls"].get_array()) {
        linked = linked || Str(u, "expanded_url") == permalink;
      }
      EXPECT_TRUE(linked) << line;
    }
    uint64_t reply_to = 0;
    if (s["in_reply_to_status_id"].get(reply_to) == simdjson::SUCCESS) {
      ++replies;
      ASSERT_TRUE(author_of.count(reply_to));
      EXPECT_EQ(U64(s, "in_reply_to_user_id"), author_of[reply_to]);
      EXPECT_EQ(Str(s, "text").substr(0, 1), "@");
    }
    simdjson::dom::element place;
    if (s["place"].get(place) == simdjson::SUCCESS && !s["place"].is_null()) {
      ++places;
      EXPECT_EQ(Str(place, "country_code").size(), 2u);
      EXPECT_FALSE(Str(place, "full_name").empty());
    }
    if (!s["coordinates"].is_null()) {
      ++coordinates;
      EXPECT_EQ(Str(s["coordinates"], "type"), "Point");
      double lon = s["coordinates"]["coordinates"].at(0);
      EXPECT_LE(std::abs(lon), 180.0);
    }
    author_of[id] = user_id;
  }
  EXPECT_GT(retweets, 300);
  EXPECT_GT(quotes, 30);
  EXPECT_GT(replies, 5);
  EXPECT_GT(places, 50);
  EXPECT_GT(coordinates, 5);
  EXPECT_GT(favorite_growth, 10) << "likes show as growing favorite_count";
}

TEST(TwitterV1WriterTest, FirstPostMatchesTheRealShape) {
  SimOptions o;
  o.users = 100;
  o.posts = 1;
  const auto lines = SimulateLines(o);
  ASSERT_EQ(lines.size(), 1u);
  simdjson::dom::parser parser;
  simdjson::dom::element s;
  ASSERT_EQ(parser.parse(lines[0]).get(s), simdjson::SUCCESS);
  // 2023-01-01T00:00:00Z was a Sunday.
  EXPECT_EQ(Str(s, "created_at"), "Sun Jan 01 00:00:00 +0000 2023");
  EXPECT_EQ(Str(s, "timestamp_ms"), "1672531200000");
  EXPECT_TRUE(s["in_reply_to_status_id"].is_null());
  EXPECT_TRUE(s["retweeted_status"].error() == simdjson::NO_SUCH_FIELD);
}

}  // namespace
}  // namespace reach::sim
