#include "http/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "http/fake_read_model.h"

namespace reach::http {
namespace {

namespace bhttp = boost::beast::http;
using ::testing::HasSubstr;

Request Make(bhttp::verb method, std::string_view target) {
  Request req{method, boost::beast::string_view(target.data(), target.size()), 11};
  req.set(bhttp::field::host, "localhost");
  return req;
}

std::string Header(const Response& res, bhttp::field f) { return std::string(res[f]); }
std::string Header(const Response& res, std::string_view name) {
  return std::string(res[boost::beast::string_view(name.data(), name.size())]);
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : router_(model_, "", [] { return std::string("reach_events_total 5\n"); }) {
    std::vector<engine::InfluencerRow> rows;
    for (int i = 1; i <= 5; ++i) rows.push_back(MakeRow(100 + i, i, i));
    model_.SetRows(engine::Window::k1h, rows);
    model_.SetAsOf(EventTime::FromSeconds(1352341901));

    engine::ConversationBoard board;
    board.posts = 500;
    board.sentiment_posts = 400;
    board.sentiment = 0.2;
    for (int i = 1; i <= 30; ++i) {
      board.topics.push_back({"topic" + std::to_string(i), 100 - i, 50 - i, 0.01 * i, i == 2});
    }
    board.countries = {{"US", 300, 120, 250, 0.3}, {"BR", 80, 40, 0, 0}};
    model_.SetConversation(engine::Window::k1h, board);

    engine::TopicDetail detail;
    detail.summary = {"bitcoin", 42, 40, -0.25, true};
    detail.influencers = {MakeRow(201, 1, 9), MakeRow(202, 2, 8)};
    detail.top_posts = {{PostId{9000000000000000001ull}, 17}};
    model_.SetTopic(engine::Window::kAll, detail);

    std::vector<engine::InfluencerRow> topic_rows = {MakeRow(301, 1, 4), MakeRow(302, 2, 2),
                                                     MakeRow(303, 3, 1)};
    for (size_t i = 0; i < topic_rows.size(); ++i) {
      topic_rows[i].topic_engagements = 30 - 10 * static_cast<int64_t>(i);
    }
    model_.SetTopicBoard(engine::Window::k24h, "bitcoin", topic_rows);

    engine::Audience audience;
    audience.user = UserId{42};
    audience.window = engine::Window::k24h;
    audience.total = 4;
    audience.countries = {{"DE", 3}, {"AT", 1}};
    model_.SetAudience(audience);

    model_.SetSeries(engine::Window::k24h, "",
                     {{EventTime::FromSeconds(1352340000), 7, 5, 0.5},
                      {EventTime::FromSeconds(1352340900), 0, 0, 0}});
    model_.SetSeries(engine::Window::k1h, "bitcoin",
                     {{EventTime::FromSeconds(1352340000), 3, 3, -1}});

    std::vector<engine::TopicAlert> alerts;
    for (int i = 0; i < 30; ++i) {
      alerts.push_back({"alert" + std::to_string(i), EventTime::FromSeconds(1352341901 - i * 60),
                        100.0 + i, 10, 10 + 0.1 * i, 3.5});
    }
    model_.SetAlerts(alerts);
  }

  Response Get(std::string_view target) {
    return router_.Route(Make(bhttp::verb::get, target)).response;
  }

  // Asserts a 400 JSON error naming `parameter`.
  void ExpectBadParameter(std::string_view target, std::string_view parameter) {
    Response res = Get(target);
    EXPECT_EQ(res.result_int(), 400) << target;
    EXPECT_EQ(Header(res, bhttp::field::content_type), "application/json") << target;
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.parse(res.body());
    EXPECT_EQ(std::string_view(doc["error"]["code"]), "invalid_argument") << target;
    EXPECT_EQ(std::string_view(doc["error"]["parameter"]), parameter) << target;
  }

  // Asserts a 200 JSON response and parses its body into doc_.
  simdjson::dom::element GetJson(std::string_view target) {
    last_ = Get(target);
    EXPECT_EQ(last_.result_int(), 200) << target << ": " << last_.body();
    EXPECT_EQ(Header(last_, bhttp::field::content_type), "application/json") << target;
    EXPECT_EQ(Header(last_, bhttp::field::cache_control), "no-store") << target;
    return parser_.parse(last_.body());
  }

  // Asserts a JSON error with this status and code.
  void ExpectError(std::string_view target, int status, std::string_view code) {
    Response res = Get(target);
    EXPECT_EQ(res.result_int(), status) << target << ": " << res.body();
    EXPECT_EQ(Header(res, bhttp::field::content_type), "application/json") << target;
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.parse(res.body());
    EXPECT_EQ(std::string_view(doc["error"]["code"]), code) << target;
  }

  FakeReadModel model_;
  Router router_;
  Response last_;
  simdjson::dom::parser parser_;
};

TEST_F(RouterTest, LeaderboardPassesQueryAndRendersRows) {
  Response res = Get("/api/influencers?window=1h&limit=2&offset=1");
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(Header(res, bhttp::field::content_type), "application/json");
  EXPECT_EQ(Header(res, bhttp::field::cache_control), "no-store");
  EXPECT_EQ(Header(res, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Header(res, bhttp::field::content_length), std::to_string(res.body().size()));

  ASSERT_TRUE(model_.last_query().has_value());
  EXPECT_EQ(model_.last_query()->window, engine::Window::k1h);
  EXPECT_EQ(model_.last_query()->limit, 2);
  EXPECT_EQ(model_.last_query()->offset, 1);

  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(res.body());
  EXPECT_EQ(std::string_view(doc["window"]), "1h");
  EXPECT_EQ(int64_t(doc["total"]), 5);
  simdjson::dom::array items = doc["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(std::string_view(items.at(0)["user_id"]), "102");
  EXPECT_EQ(int64_t(items.at(0)["rank"]), 2);
  EXPECT_EQ(std::string_view(items.at(1)["user_id"]), "103");
}

// Answers from one snapshot (same sequence) and query share one serialization; a new snapshot, or
// another page of the same one, is serialized afresh; rows not from a snapshot are never reused.
TEST_F(RouterTest, LeaderboardJsonIsReusedWithinOneSnapshotOnly) {
  auto first_user = [this](std::string_view target) {
    simdjson::dom::element doc = GetJson(target);
    return std::string(std::string_view(doc["items"].at(0)["user_id"]));
  };
  const std::string page = "/api/influencers?window=1h&limit=2";
  model_.SetSequence(7);
  EXPECT_EQ(first_user(page), "101");
  model_.SetRows(engine::Window::k1h, {MakeRow(999, 1, 9)});
  EXPECT_EQ(first_user(page), "101");                                  // same snapshot: same answer
  EXPECT_EQ(first_user("/api/influencers?window=1h&limit=1"), "999");  // another query: read afresh
  model_.SetSequence(8);
  EXPECT_EQ(first_user(page), "999");  // a new snapshot: read afresh
  model_.SetSequence(0);
  model_.SetRows(engine::Window::k1h, {MakeRow(555, 1, 9)});
  EXPECT_EQ(first_user(page), "555");  // not from a snapshot: never reused
}

TEST_F(RouterTest, LeaderboardDefaults) {
  Response res = Get("/api/influencers");
  ASSERT_EQ(res.result_int(), 200);
  ASSERT_TRUE(model_.last_query().has_value());
  EXPECT_EQ(model_.last_query()->window, engine::Window::kAll);
  EXPECT_EQ(model_.last_query()->limit, 50);
  EXPECT_EQ(model_.last_query()->offset, 0);
}

TEST_F(RouterTest, LeaderboardCountryFilter) {
  ASSERT_EQ(Get("/api/influencers?country=gb").result_int(), 200);
  ASSERT_TRUE(model_.last_query().has_value());
  EXPECT_EQ(model_.last_query()->country, "GB");
  ASSERT_EQ(Get("/api/influencers").result_int(), 200);
  EXPECT_EQ(model_.last_query()->country, "");
  ExpectBadParameter("/api/influencers?country=GBR", "country");
  ExpectBadParameter("/api/influencers?country=G1", "country");
  ExpectBadParameter("/api/influencers?country=", "country");
}

TEST_F(RouterTest, LeaderboardParameterErrorsNameTheParameter) {
  ExpectBadParameter("/api/influencers?limit=0", "limit");
  ExpectBadParameter("/api/influencers?limit=1001", "limit");
  ExpectBadParameter("/api/influencers?limit=abc", "limit");
  ExpectBadParameter("/api/influencers?limit=", "limit");
  ExpectBadParameter("/api/influencers?limit=+5", "limit");
  ExpectBadParameter("/api/influencers?limit=5x", "limit");
  ExpectBadParameter("/api/influencers?limit=99999999999999999999", "limit");
  ExpectBadParameter("/api/influencers?offset=-1", "offset");
  ExpectBadParameter("/api/influencers?offset=1000001", "offset");
  ExpectBadParameter("/api/influencers?window=2h", "window");
  ExpectBadParameter("/api/influencers?window=", "window");
  ExpectBadParameter("/api/influencers?foo=1", "foo");
  ExpectBadParameter("/api/influencers?limit=1&limit=2", "limit");
  ExpectBadParameter("/api/influencers?window=%zz", "window");
}

TEST_F(RouterTest, TopicRankingNormalisesTheTopicAndPages) {
  for (std::string_view target :
       {"/api/influencers?topic=%23bitcoin&window=24h", "/api/influencers?topic=bitcoin&window=24h",
        "/api/influencers?window=24h&topic=%23BitCoin"}) {
    simdjson::dom::element doc = GetJson(target);
    ASSERT_TRUE(model_.last_topic_board_query().has_value()) << target;
    EXPECT_EQ(model_.last_topic_board_query()->topic, "bitcoin") << target;
    EXPECT_EQ(model_.last_topic_board_query()->window, engine::Window::k24h) << target;
    EXPECT_EQ(std::string_view(doc["topic"]), "bitcoin") << target;
    EXPECT_EQ(int64_t(doc["total"]), 3) << target;
    simdjson::dom::array items = doc["items"];
    ASSERT_EQ(items.size(), 3u) << target;
    EXPECT_EQ(std::string_view(items.at(0)["user_id"]), "301");
    EXPECT_EQ(int64_t(items.at(0)["topic_engagements"]), 30);
    EXPECT_EQ(int64_t(items.at(2)["topic_engagements"]), 10);
  }
  simdjson::dom::element doc =
      GetJson("/api/influencers?topic=bitcoin&window=24h&limit=1&offset=1");
  EXPECT_EQ(model_.last_topic_board_query()->limit, 1);
  EXPECT_EQ(model_.last_topic_board_query()->offset, 1);
  simdjson::dom::array items = doc["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(std::string_view(items.at(0)["user_id"]), "302");
  // The overall board was not asked.
  EXPECT_FALSE(model_.last_query().has_value());
}

TEST_F(RouterTest, TopicRankingErrors) {
  ExpectError("/api/influencers?topic=ethereum&window=24h", 404, "not_found");
  ExpectError("/api/influencers?topic=bitcoin&window=1h", 404, "not_found");
  ExpectBadParameter("/api/influencers?topic=", "topic");
  ExpectBadParameter("/api/influencers?topic=%23", "topic");
  ExpectBadParameter("/api/influencers?topic=%FF", "topic");
  ExpectBadParameter("/api/influencers?topic=" + std::string(141, 'a'), "topic");
  ExpectBadParameter("/api/influencers?topic=a&topic=b", "topic");
  ExpectBadParameter("/api/influencers?topic=bitcoin&limit=0", "limit");
}

TEST_F(RouterTest, LimitBoundsAreInclusive) {
  EXPECT_EQ(Get("/api/influencers?limit=1").result_int(), 200);
  EXPECT_EQ(Get("/api/influencers?limit=1000&offset=1000000").result_int(), 200);
  EXPECT_EQ(model_.last_query()->limit, 1000);
  EXPECT_EQ(model_.last_query()->offset, 1000000);
}

TEST_F(RouterTest, UserRoutes) {
  engine::UserProfile p;
  p.info.user = UserId{18446744073709551615ull};
  p.info.handle = "max";
  model_.SetUser(p);

  Response ok = Get("/api/users/18446744073709551615");
  ASSERT_EQ(ok.result_int(), 200) << ok.body();
  EXPECT_THAT(ok.body(), HasSubstr(R"("user_id":"18446744073709551615")"));
  EXPECT_THAT(ok.body(), HasSubstr(R"("handle":"max")"));

  Response missing = Get("/api/users/7");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_THAT(missing.body(), HasSubstr(R"("code":"not_found")"));

  for (std::string_view bad : {"/api/users/abc", "/api/users/-1", "/api/users/+1",
                               "/api/users/18446744073709551616", "/api/users/"}) {
    ExpectBadParameter(bad, "id");
  }
  EXPECT_EQ(Get("/api/users/1/extra").result_int(), 404);
}

TEST_F(RouterTest, HealthzAndMetrics) {
  Response health = Get("/healthz");
  EXPECT_EQ(health.result_int(), 200);
  EXPECT_EQ(health.body(), R"({"status":"ok"})");

  Response metrics = Get("/metrics");
  EXPECT_EQ(metrics.result_int(), 200);
  EXPECT_EQ(Header(metrics, bhttp::field::content_type),
            "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(metrics.body(), "reach_events_total 5\n");
}

TEST_F(RouterTest, UnknownApiPathIsJson404) {
  Response res = Get("/api/nothing");
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(Header(res, bhttp::field::content_type), "application/json");
  EXPECT_EQ(Header(res, bhttp::field::cache_control), "no-store");
  EXPECT_EQ(Header(res, "X-Content-Type-Options"), "nosniff");
  EXPECT_THAT(res.body(), HasSubstr(R"("code":"not_found")"));
}

TEST_F(RouterTest, NonApiPathWithoutWebRootIsPlain404) {
  Response res = Get("/index.html");
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(Header(res, bhttp::field::content_type), "text/plain; charset=utf-8");
}

TEST_F(RouterTest, OtherMethodsAre405WithAllow) {
  for (bhttp::verb v : {bhttp::verb::post, bhttp::verb::put, bhttp::verb::delete_}) {
    RouteResult r = router_.Route(Make(v, "/api/influencers"));
    EXPECT_EQ(r.response.result_int(), 405);
    EXPECT_EQ(Header(r.response, bhttp::field::allow), "GET, HEAD");
    EXPECT_THAT(r.response.body(), HasSubstr(R"("code":"method_not_allowed")"));
  }
}

TEST_F(RouterTest, HeadHasLengthButNoBody) {
  Response get = Get("/api/influencers?window=1h");
  RouteResult head = router_.Route(Make(bhttp::verb::head, "/api/influencers?window=1h"));
  EXPECT_EQ(head.response.result_int(), 200);
  EXPECT_TRUE(head.response.body().empty());
  EXPECT_EQ(Header(head.response, bhttp::field::content_length), std::to_string(get.body().size()));
}

TEST_F(RouterTest, ModelErrorsMapThroughStatusMapping) {
  model_.FailWith(absl::InternalError("sqlite: disk I/O error at /var/secret"));
  Response internal = Get("/api/influencers");
  EXPECT_EQ(internal.result_int(), 500);
  EXPECT_THAT(internal.body(), HasSubstr(R"("message":"internal error")"));
  EXPECT_THAT(internal.body(), ::testing::Not(HasSubstr("secret")));

  model_.FailWith(absl::UnavailableError("store is down"));
  Response unavailable = Get("/api/users/1");
  EXPECT_EQ(unavailable.result_int(), 503);
  EXPECT_THAT(unavailable.body(), HasSubstr(R"("code":"unavailable")"));
}

TEST_F(RouterTest, StreamRouteOpensOnlyForValidGet) {
  EXPECT_TRUE(router_.Route(Make(bhttp::verb::get, "/api/stream")).open_stream);
  EXPECT_FALSE(router_.Route(Make(bhttp::verb::head, "/api/stream")).open_stream);
  RouteResult bad = router_.Route(Make(bhttp::verb::get, "/api/stream?x=1"));
  EXPECT_FALSE(bad.open_stream);
  EXPECT_EQ(bad.response.result_int(), 400);
}

TEST_F(RouterTest, TrendingRendersTopicsSentimentAndCountries) {
  simdjson::dom::element doc = GetJson("/api/topics/trending?window=1h&limit=3");
  ASSERT_TRUE(model_.last_conversation().has_value());
  EXPECT_EQ(model_.last_conversation()->first, engine::Window::k1h);
  EXPECT_EQ(model_.last_conversation()->second, 3);
  EXPECT_EQ(std::string_view(doc["window"]), "1h");
  EXPECT_EQ(std::string_view(doc["as_of"]), "2012-11-08T02:31:41.000Z");
  EXPECT_EQ(int64_t(doc["posts"]), 500);
  EXPECT_DOUBLE_EQ(double(doc["sentiment"]["mean"]), 0.2);
  EXPECT_EQ(int64_t(doc["sentiment"]["posts"]), 400);
  simdjson::dom::array topics = doc["topics"];
  ASSERT_EQ(topics.size(), 3u);
  EXPECT_EQ(std::string_view(topics.at(0)["topic"]), "topic1");
  EXPECT_EQ(int64_t(topics.at(0)["posts"]), 99);
  EXPECT_EQ(int64_t(topics.at(0)["sentiment_posts"]), 49);
  EXPECT_DOUBLE_EQ(double(topics.at(0)["sentiment"]), 0.01);
  EXPECT_FALSE(bool(topics.at(0)["spiking"]));
  EXPECT_TRUE(bool(topics.at(1)["spiking"]));
  simdjson::dom::array countries = doc["countries"];
  ASSERT_EQ(countries.size(), 2u);
  EXPECT_EQ(std::string_view(countries.at(0)["country"]), "US");
  EXPECT_EQ(int64_t(countries.at(0)["engagements"]), 120);
  EXPECT_TRUE(countries.at(1)["sentiment"].is_null());
}

TEST_F(RouterTest, TrendingDefaultsAndBounds) {
  simdjson::dom::element doc = GetJson("/api/topics/trending");
  EXPECT_EQ(model_.last_conversation()->first, engine::Window::kAll);
  EXPECT_EQ(model_.last_conversation()->second, 20);
  EXPECT_EQ(simdjson::dom::array(doc["topics"]).size(), 0u);  // nothing set for "all"
  GetJson("/api/topics/trending?window=1h&limit=100");
  EXPECT_EQ(model_.last_conversation()->second, 100);
  GetJson("/api/topics/trending?limit=1");
  EXPECT_EQ(model_.last_conversation()->second, 1);
  ExpectBadParameter("/api/topics/trending?limit=0", "limit");
  ExpectBadParameter("/api/topics/trending?limit=101", "limit");
  ExpectBadParameter("/api/topics/trending?limit=ten", "limit");
  ExpectBadParameter("/api/topics/trending?window=7d", "window");
  ExpectBadParameter("/api/topics/trending?offset=1", "offset");
  ExpectBadParameter("/api/topics/trending?window=1h&window=1h", "window");
}

TEST_F(RouterTest, TopicDetailNormalisesTheTopic) {
  for (std::string_view target :
       {"/api/topics/bitcoin", "/api/topics/BitCoin", "/api/topics/%23Bitcoin",
        "/api/topics/%23BITCOIN?window=all", "/api/topics/bit%63oin"}) {
    simdjson::dom::element doc = GetJson(target);
    ASSERT_TRUE(model_.last_topic_query().has_value());
    EXPECT_EQ(model_.last_topic_query()->topic, "bitcoin") << target;
    EXPECT_EQ(model_.last_topic_query()->window, engine::Window::kAll) << target;
    EXPECT_EQ(std::string_view(doc["topic"]), "bitcoin") << target;
  }
  simdjson::dom::element doc = GetJson("/api/topics/bitcoin");
  EXPECT_EQ(std::string_view(doc["window"]), "all");
  EXPECT_EQ(int64_t(doc["posts"]), 42);
  EXPECT_DOUBLE_EQ(double(doc["sentiment"]), -0.25);
  EXPECT_EQ(int64_t(doc["sentiment_posts"]), 40);
  EXPECT_TRUE(bool(doc["spiking"]));
  simdjson::dom::array inf = doc["influencers"];
  ASSERT_EQ(inf.size(), 2u);
  EXPECT_EQ(std::string_view(inf.at(0)["user_id"]), "201");
  EXPECT_EQ(std::string_view(inf.at(1)["handle"]), "user8");
  EXPECT_TRUE(inf.at(0)["sentiment_of"].is_null());
  simdjson::dom::array posts = doc["top_posts"];
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(std::string_view(posts.at(0)["post_id"]), "9000000000000000001");
  EXPECT_EQ(int64_t(posts.at(0)["engagements"]), 17);
}

TEST_F(RouterTest, TopicErrors) {
  // Known in "all" only: another window does not know it.
  ExpectError("/api/topics/bitcoin?window=1h", 404, "not_found");
  EXPECT_EQ(model_.last_topic_query()->window, engine::Window::k1h);
  ExpectError("/api/topics/ethereum", 404, "not_found");
  ExpectError("/api/topics/bitcoin/extra", 404, "not_found");
  ExpectBadParameter("/api/topics/", "topic");
  ExpectBadParameter("/api/topics/%23", "topic");
  ExpectBadParameter("/api/topics/" + std::string(141, 'a'), "topic");
  ExpectBadParameter("/api/topics/%FF", "topic");
  ExpectBadParameter("/api/topics/bitcoin?window=2h", "window");
  ExpectBadParameter("/api/topics/bitcoin?limit=2", "limit");
  EXPECT_EQ(Get("/api/topics/" + std::string(140, 'a')).result_int(), 404);  // valid, unknown
}

TEST_F(RouterTest, SentimentSeries) {
  simdjson::dom::element doc = GetJson("/api/sentiment");
  ASSERT_TRUE(model_.last_series_query().has_value());
  EXPECT_EQ(model_.last_series_query()->topic, "");
  EXPECT_EQ(model_.last_series_query()->window, engine::Window::k24h);
  EXPECT_EQ(model_.last_series_query()->bucket, Duration{});
  EXPECT_TRUE(doc["topic"].is_null());
  EXPECT_EQ(std::string_view(doc["window"]), "24h");
  EXPECT_EQ(int64_t(doc["bucket_seconds"]), 900);
  EXPECT_EQ(std::string_view(doc["as_of"]), "2012-11-08T02:31:41.000Z");
  simdjson::dom::array points = doc["points"];
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(std::string_view(points.at(0)["start"]), "2012-11-08T02:00:00.000Z");
  EXPECT_EQ(int64_t(points.at(0)["posts"]), 7);
  EXPECT_DOUBLE_EQ(double(points.at(0)["sentiment"]), 0.5);
  EXPECT_EQ(int64_t(points.at(0)["sentiment_posts"]), 5);
  EXPECT_TRUE(points.at(1)["sentiment"].is_null());

  doc = GetJson("/api/sentiment?topic=%23BitCoin&window=1h&bucket=5m");
  EXPECT_EQ(model_.last_series_query()->topic, "bitcoin");
  EXPECT_EQ(model_.last_series_query()->window, engine::Window::k1h);
  EXPECT_EQ(model_.last_series_query()->bucket, Duration::Minutes(5));
  EXPECT_EQ(std::string_view(doc["topic"]), "bitcoin");
  EXPECT_EQ(int64_t(doc["bucket_seconds"]), 300);
  EXPECT_DOUBLE_EQ(double(simdjson::dom::array(doc["points"]).at(0)["sentiment"]), -1.0);

  GetJson("/api/sentiment?window=24h&bucket=3600");
  EXPECT_EQ(model_.last_series_query()->bucket, Duration::Hours(1));
  GetJson("/api/sentiment?window=24h&bucket=1d");
  EXPECT_EQ(model_.last_series_query()->bucket, Duration::Hours(24));
}

TEST_F(RouterTest, SentimentParameterErrors) {
  ExpectBadParameter("/api/sentiment?bucket=0", "bucket");
  ExpectBadParameter("/api/sentiment?bucket=-5m", "bucket");
  ExpectBadParameter("/api/sentiment?bucket=soon", "bucket");
  ExpectBadParameter("/api/sentiment?bucket=", "bucket");
  // Parsable, but not a multiple of the 24h window's 15-minute resolution: the model refuses it
  // and the error still names the parameter.
  ExpectBadParameter("/api/sentiment?window=24h&bucket=10m", "bucket");
  ExpectBadParameter("/api/sentiment?topic=", "topic");
  ExpectBadParameter("/api/sentiment?topic=" + std::string(141, 'x'), "topic");
  ExpectBadParameter("/api/sentiment?window=2d", "window");
  ExpectBadParameter("/api/sentiment?limit=5", "limit");
  ExpectBadParameter("/api/sentiment?bucket=1h&bucket=1h", "bucket");
  ExpectError("/api/sentiment?topic=nothing", 404, "not_found");
}

TEST_F(RouterTest, Alerts) {
  simdjson::dom::element doc = GetJson("/api/alerts");
  EXPECT_EQ(model_.last_alerts_limit(), 20);
  simdjson::dom::array items = doc["items"];
  ASSERT_EQ(items.size(), 20u);
  EXPECT_EQ(std::string_view(items.at(0)["topic"]), "alert0");
  EXPECT_EQ(std::string_view(items.at(0)["at"]), "2012-11-08T02:31:41.000Z");
  EXPECT_DOUBLE_EQ(double(items.at(1)["current"]), 101.0);
  EXPECT_DOUBLE_EQ(double(items.at(1)["baseline"]), 10.0);
  EXPECT_DOUBLE_EQ(double(items.at(1)["ratio"]), 10.1);
  EXPECT_DOUBLE_EQ(double(items.at(1)["z"]), 3.5);

  doc = GetJson("/api/alerts?limit=2");
  EXPECT_EQ(simdjson::dom::array(doc["items"]).size(), 2u);
  GetJson("/api/alerts?limit=100");
  EXPECT_EQ(model_.last_alerts_limit(), 100);
  ExpectBadParameter("/api/alerts?limit=0", "limit");
  ExpectBadParameter("/api/alerts?limit=101", "limit");
  ExpectBadParameter("/api/alerts?window=1h", "window");
}

TEST_F(RouterTest, Audience) {
  simdjson::dom::element doc = GetJson("/api/users/42/audience?window=24h");
  ASSERT_TRUE(model_.last_audience_query().has_value());
  EXPECT_EQ(model_.last_audience_query()->first, UserId{42});
  EXPECT_EQ(model_.last_audience_query()->second, engine::Window::k24h);
  EXPECT_EQ(std::string_view(doc["user_id"]), "42");
  EXPECT_EQ(std::string_view(doc["window"]), "24h");
  EXPECT_EQ(std::string_view(doc["as_of"]), "2012-11-08T02:31:41.000Z");
  EXPECT_EQ(int64_t(doc["total"]), 4);
  simdjson::dom::array countries = doc["countries"];
  ASSERT_EQ(countries.size(), 2u);
  EXPECT_EQ(std::string_view(countries.at(0)["country"]), "DE");
  EXPECT_EQ(int64_t(countries.at(0)["count"]), 3);
  EXPECT_DOUBLE_EQ(double(countries.at(0)["share"]), 0.75);
  EXPECT_DOUBLE_EQ(double(countries.at(1)["share"]), 0.25);

  ExpectError("/api/users/42/audience", 404, "not_found");  // default window "all": not set
  EXPECT_EQ(model_.last_audience_query()->second, engine::Window::kAll);
  ExpectError("/api/users/43/audience?window=24h", 404, "not_found");
  ExpectBadParameter("/api/users/abc/audience", "id");
  ExpectBadParameter("/api/users//audience", "id");
  ExpectBadParameter("/api/users/42/audience?window=1y", "window");
  ExpectBadParameter("/api/users/42/audience?limit=1", "limit");
  ExpectError("/api/users/42/audiences", 404, "not_found");
  ExpectError("/api/users/42/audience/x", 404, "not_found");
}

TEST_F(RouterTest, GeoHasCountriesOnly) {
  simdjson::dom::element doc = GetJson("/api/geo?window=1h");
  ASSERT_TRUE(model_.last_conversation().has_value());
  EXPECT_EQ(model_.last_conversation()->first, engine::Window::k1h);
  EXPECT_EQ(model_.last_conversation()->second, 0);
  EXPECT_EQ(
      last_.body(),
      R"({"window":"1h","as_of":"2012-11-08T02:31:41.000Z","countries":[)"
      R"({"country":"US","posts":300,"engagements":120,"sentiment":0.3,"sentiment_posts":250},)"
      R"({"country":"BR","posts":80,"engagements":40,"sentiment":null,"sentiment_posts":0}]})");
  EXPECT_EQ(std::string_view(doc["window"]), "1h");
  GetJson("/api/geo");
  EXPECT_EQ(model_.last_conversation()->first, engine::Window::kAll);
  ExpectBadParameter("/api/geo?window=", "window");
  ExpectBadParameter("/api/geo?country=US", "country");
}

TEST_F(RouterTest, NewRoutesSupportHeadAndRefuseOtherMethods) {
  for (std::string_view target :
       {"/api/topics/trending?window=1h", "/api/topics/bitcoin", "/api/sentiment", "/api/alerts",
        "/api/users/42/audience?window=24h", "/api/geo?window=1h"}) {
    Response get = Get(target);
    ASSERT_EQ(get.result_int(), 200) << target;
    RouteResult head = router_.Route(Make(bhttp::verb::head, target));
    EXPECT_EQ(head.response.result_int(), 200) << target;
    EXPECT_TRUE(head.response.body().empty()) << target;
    EXPECT_EQ(Header(head.response, bhttp::field::content_length),
              std::to_string(get.body().size()))
        << target;
    RouteResult post = router_.Route(Make(bhttp::verb::post, target));
    EXPECT_EQ(post.response.result_int(), 405) << target;
  }
}

TEST_F(RouterTest, ModelFailuresOnNewRoutes) {
  model_.FailWith(absl::UnavailableError("store is down"));
  for (std::string_view target : {"/api/topics/trending", "/api/topics/bitcoin", "/api/sentiment",
                                  "/api/alerts", "/api/users/42/audience", "/api/geo"}) {
    ExpectError(target, 503, "unavailable");
  }
  // Parameters are checked before the model is asked.
  ExpectBadParameter("/api/geo?window=5m", "window");
}

// A model that answers only the leaderboard questions, as the store's does: the conversation and
// geography routes are 501 with a JSON body that says where they are served.
class LeaderboardOnlyModel : public engine::ReadModel {
 public:
  absl::StatusOr<engine::Leaderboard> GetLeaderboard(
      const engine::LeaderboardQuery&) const override {
    return engine::Leaderboard{};
  }
  absl::StatusOr<engine::UserProfile> GetUser(UserId) const override {
    return absl::NotFoundError("unknown user");
  }
  engine::EngineStats GetStats() const override { return {}; }
};

TEST(RouterUnimplementedTest, DefaultModelAnswersAre501) {
  LeaderboardOnlyModel model;
  Router router(model, "", {});
  for (std::string_view target :
       {"/api/topics/trending", "/api/topics/bitcoin", "/api/sentiment?bucket=1h", "/api/alerts",
        "/api/users/42/audience", "/api/geo", "/api/influencers?topic=bitcoin"}) {
    Response res = router.Route(Make(bhttp::verb::get, target)).response;
    EXPECT_EQ(res.result_int(), 501) << target;
    EXPECT_EQ(Header(res, bhttp::field::content_type), "application/json") << target;
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.parse(res.body());
    EXPECT_EQ(std::string_view(doc["error"]["code"]), "unimplemented") << target;
    EXPECT_THAT(std::string(std::string_view(doc["error"]["message"])), HasSubstr("reach run"))
        << target;
  }
  EXPECT_EQ(router.Route(Make(bhttp::verb::get, "/api/influencers")).response.result_int(), 200);
  // Parameter errors still come first.
  EXPECT_EQ(router.Route(Make(bhttp::verb::get, "/api/geo?window=x")).response.result_int(), 400);
}

}  // namespace
}  // namespace reach::http

namespace reach::http {
namespace {

// Registered API routes (the planner's /api/plans): methods, the rest of the path, the body and
// the Authorization header reach the handler; its statuses map to HTTP.
TEST(RouterApiRoutes, DispatchesMethodsPathBodyAndAuthorization) {
  FakeReadModel model;
  std::vector<ApiRequest> seen;
  std::vector<std::string> rests, bodies, auths;
  ApiRoute plans{
      "/api/plans", {"GET", "POST"}, [&](const ApiRequest& r) -> absl::StatusOr<std::string> {
        rests.emplace_back(r.rest);
        bodies.emplace_back(r.body);
        auths.emplace_back(r.authorization);
        if (r.body == "bad") return absl::InvalidArgumentError("budget: must be >= 0");
        if (r.rest == "/9") return absl::NotFoundError("no plan 9");
        if (r.authorization == "Bearer wrong") {
          return absl::PermissionDeniedError("the API token is not valid");
        }
        return std::string(R"({"ok":true})");
      }};
  Router router(model, "", nullptr, {plans});

  Request post{bhttp::verb::post, "/api/plans", 11};
  post.body() = R"({"budget":5})";
  post.set(bhttp::field::authorization, "Bearer t0k");
  post.prepare_payload();
  RouteResult r = router.Route(post);
  EXPECT_EQ(r.response.result_int(), 200);
  EXPECT_EQ(r.response.body(), R"({"ok":true})");
  EXPECT_EQ(std::string(r.response[bhttp::field::content_type]), "application/json");
  EXPECT_EQ(bodies.back(), R"({"budget":5})");
  EXPECT_EQ(auths.back(), "Bearer t0k");
  EXPECT_EQ(rests.back(), "");

  RouteResult get = router.Route(Request{bhttp::verb::get, "/api/plans/7", 11});
  EXPECT_EQ(get.response.result_int(), 200);
  EXPECT_EQ(rests.back(), "/7");

  EXPECT_EQ(router.Route(Request{bhttp::verb::get, "/api/plans/9", 11}).response.result_int(), 404);
  post.body() = "bad";
  post.prepare_payload();
  RouteResult bad = router.Route(post);
  EXPECT_EQ(bad.response.result_int(), 400);
  EXPECT_THAT(bad.response.body(), HasSubstr("budget: must be >= 0"));
  post.body() = "{}";
  post.set(bhttp::field::authorization, "Bearer wrong");
  post.prepare_payload();
  EXPECT_EQ(router.Route(post).response.result_int(), 403);

  RouteResult del = router.Route(Request{bhttp::verb::delete_, "/api/plans/7", 11});
  EXPECT_EQ(del.response.result_int(), 405);
  EXPECT_EQ(std::string(del.response[bhttp::field::allow]), "GET, HEAD, POST");
  // Paths that only share a prefix are not the route's; other routes still refuse POST.
  EXPECT_EQ(router.Route(Request{bhttp::verb::get, "/api/plansx", 11}).response.result_int(), 404);
  EXPECT_EQ(router.Route(Request{bhttp::verb::post, "/api/influencers", 11}).response.result_int(),
            405);
}

engine::CascadeReport SampleCascade() {
  engine::CascadeReport r;
  r.root = PostId{9000000000000000001ull};
  r.author = UserId{1};
  r.handle = "alice";
  r.followers = 1200;
  r.size = 3;
  r.depth = 2;
  r.max_breadth = 1;
  r.structural_virality = 4.0 / 3.0;
  r.t50_seconds = 5;
  r.t90_seconds = 9;
  r.started = EventTime::FromSeconds(1352341901);
  r.last_activity = EventTime::FromSeconds(1352341910);
  r.methods = {0, 1, 1};
  r.nodes = {
      {r.root, UserId{1}, "alice", 1200, r.started, PostId{}, engine::ParentMethod::kNone, 0},
      {PostId{11}, UserId{2}, "", -1, EventTime::FromSeconds(1352341906), r.root,
       engine::ParentMethod::kRoot, 1},
      {PostId{12}, UserId{3}, "carol", 5, r.last_activity, PostId{11},
       engine::ParentMethod::kInferredFollow, 2}};
  return r;
}

class CascadeRouteTest : public ::testing::Test {
 protected:
  CascadeRouteTest() : router_(model_, "", {}) {
    model_.SetCascade(SampleCascade());
    engine::UserCascades uc;
    uc.user = UserId{1};
    uc.as_of = EventTime::FromSeconds(1352341920);
    engine::CascadeReport summary = SampleCascade();
    summary.nodes.clear();
    uc.largest = {summary, summary};
    uc.deepest = {summary};
    model_.SetUserCascades(uc);
  }
  Response Get(std::string_view target) {
    return router_.Route(Make(bhttp::verb::get, target)).response;
  }
  FakeReadModel model_;
  Router router_;
  simdjson::dom::parser parser_;
};

TEST_F(CascadeRouteTest, TreeWithNodesParentsAndMethods) {
  Response res = Get("/api/cascades/12");
  ASSERT_EQ(res.result_int(), 200) << res.body();
  ASSERT_TRUE(model_.last_cascade_query().has_value());
  EXPECT_EQ(model_.last_cascade_query()->first, PostId{12});
  EXPECT_EQ(model_.last_cascade_query()->second, kDefaultCascadeNodes);
  simdjson::dom::element doc = parser_.parse(res.body());
  EXPECT_EQ(std::string_view(doc["root"]), "9000000000000000001");
  EXPECT_EQ(std::string_view(doc["requested"]), "12");
  EXPECT_FALSE(bool(doc["requested_is_root"]));
  EXPECT_EQ(std::string_view(doc["author"]["id"]), "1");
  EXPECT_EQ(std::string_view(doc["author"]["handle"]), "alice");
  EXPECT_EQ(int64_t(doc["author"]["followers"]), 1200);
  EXPECT_EQ(int64_t(doc["size"]), 3);
  EXPECT_EQ(int64_t(doc["depth"]), 2);
  EXPECT_EQ(int64_t(doc["max_breadth"]), 1);
  EXPECT_DOUBLE_EQ(double(doc["structural_virality"]), 4.0 / 3.0);
  EXPECT_DOUBLE_EQ(double(doc["t50_seconds"]), 5);
  EXPECT_DOUBLE_EQ(double(doc["t90_seconds"]), 9);
  EXPECT_EQ(std::string_view(doc["started"]), "2012-11-08T02:31:41.000Z");
  EXPECT_EQ(int64_t(doc["methods"]["exact"]), 0);
  EXPECT_EQ(int64_t(doc["methods"]["inferred_follow"]), 1);
  EXPECT_EQ(int64_t(doc["methods"]["root"]), 1);
  simdjson::dom::array nodes = doc["nodes"];
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_TRUE(nodes.at(0)["parent"].is_null());
  EXPECT_TRUE(nodes.at(0)["method"].is_null());
  EXPECT_TRUE(nodes.at(1)["handle"].is_null());
  EXPECT_TRUE(nodes.at(1)["followers"].is_null());
  EXPECT_EQ(std::string_view(nodes.at(1)["method"]), "root");
  EXPECT_EQ(std::string_view(nodes.at(2)["post"]), "12");
  EXPECT_EQ(std::string_view(nodes.at(2)["user"]), "3");
  EXPECT_EQ(std::string_view(nodes.at(2)["parent"]), "11");
  EXPECT_EQ(std::string_view(nodes.at(2)["method"]), "inferred_follow");
  EXPECT_EQ(int64_t(nodes.at(2)["depth"]), 2);
  EXPECT_FALSE(bool(doc["truncated"]));

  res = Get("/api/cascades/9000000000000000001?limit=1");
  ASSERT_EQ(res.result_int(), 200);
  doc = parser_.parse(res.body());
  EXPECT_TRUE(bool(doc["requested_is_root"]));
  EXPECT_EQ(simdjson::dom::array(doc["nodes"]).size(), 1u);
  EXPECT_TRUE(bool(doc["truncated"]));
  EXPECT_EQ(int64_t(doc["size"]), 3);
}

TEST_F(CascadeRouteTest, CascadeErrors) {
  EXPECT_EQ(Get("/api/cascades/77").result_int(), 404);
  for (std::string_view target : {"/api/cascades/abc", "/api/cascades/", "/api/cascades/+1",
                                  "/api/cascades/18446744073709551616"}) {
    Response res = Get(target);
    EXPECT_EQ(res.result_int(), 400) << target;
    simdjson::dom::element doc = parser_.parse(res.body());
    EXPECT_EQ(std::string_view(doc["error"]["parameter"]), "post") << target;
  }
  EXPECT_EQ(Get("/api/cascades/12?limit=-1").result_int(), 400);
  EXPECT_EQ(Get("/api/cascades/12?limit=100001").result_int(), 400);
  EXPECT_EQ(Get("/api/cascades/12?window=1h").result_int(), 400);
  EXPECT_EQ(Get("/api/cascades/12/x").result_int(), 404);
  model_.FailWith(absl::UnavailableError("the engine did not answer in time"));
  EXPECT_EQ(Get("/api/cascades/12").result_int(), 503);
  EXPECT_EQ(Get("/api/users/1/cascades").result_int(), 503);
}

TEST_F(CascadeRouteTest, UserCascadesSummaries) {
  Response res = Get("/api/users/1/cascades?window=24h&limit=1");
  ASSERT_EQ(res.result_int(), 200) << res.body();
  ASSERT_TRUE(model_.last_user_cascades_query().has_value());
  EXPECT_EQ(std::get<0>(*model_.last_user_cascades_query()), UserId{1});
  EXPECT_EQ(std::get<1>(*model_.last_user_cascades_query()), engine::Window::k24h);
  EXPECT_EQ(std::get<2>(*model_.last_user_cascades_query()), 1);
  simdjson::dom::element doc = parser_.parse(res.body());
  EXPECT_EQ(std::string_view(doc["user"]), "1");
  EXPECT_EQ(std::string_view(doc["window"]), "24h");
  simdjson::dom::array largest = doc["largest"];
  ASSERT_EQ(largest.size(), 1u);
  EXPECT_EQ(int64_t(largest.at(0)["size"]), 3);
  EXPECT_DOUBLE_EQ(double(largest.at(0)["structural_virality"]), 4.0 / 3.0);
  EXPECT_EQ(largest.at(0)["nodes"].error(), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(simdjson::dom::array(doc["deepest"]).size(), 1u);
  Get("/api/users/1/cascades");
  EXPECT_EQ(std::get<1>(*model_.last_user_cascades_query()), engine::Window::kAll);
  EXPECT_EQ(std::get<2>(*model_.last_user_cascades_query()), kDefaultUserCascades);
  EXPECT_EQ(Get("/api/users/2/cascades").result_int(), 404);
  EXPECT_EQ(Get("/api/users/1/cascades?limit=0").result_int(), 400);
  EXPECT_EQ(Get("/api/users/1/cascades?limit=101").result_int(), 400);
  EXPECT_EQ(Get("/api/users/1/cascades?window=2h").result_int(), 400);
  EXPECT_EQ(Get("/api/users/x/cascades").result_int(), 400);
}

TEST(CascadeRouteUnimplementedTest, StoreModelSays501) {
  LeaderboardOnlyModel model;
  Router router(model, "", {});
  EXPECT_EQ(router.Route(Make(bhttp::verb::get, "/api/cascades/1")).response.result_int(), 501);
  EXPECT_EQ(router.Route(Make(bhttp::verb::get, "/api/users/1/cascades")).response.result_int(),
            501);
}

class IngestRouteTest : public ::testing::Test {
 protected:
  Request Post(std::string_view auth, std::string body) {
    Request req = Make(bhttp::verb::post, "/api/ingest");
    if (!auth.empty()) req.set(bhttp::field::authorization, std::string(auth));
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
  }
  Router WithToken(std::string token) {
    IngestHandler ingest = [this](std::string body) -> absl::StatusOr<std::string> {
      bodies_.push_back(body);
      if (body == "busy") return absl::ResourceExhaustedError("queue full");
      return std::string(R"({"accepted":1})");
    };
    return Router(model_, "", nullptr, {MakeIngestRoute(std::move(token), std::move(ingest))});
  }
  FakeReadModel model_;
  std::vector<std::string> bodies_;
};

TEST_F(IngestRouteTest, NeedsTheBearerToken) {
  Router router = WithToken("s3cret");
  for (std::string_view auth : {"", "Bearer wrong", "Bearer s3cre", "Bearer s3cret2",
                                "Basic czNjcmV0", "s3cret", "Bearer "}) {
    SCOPED_TRACE(auth);
    Response res = router.Route(Post(auth, "{}\n")).response;
    EXPECT_EQ(res.result_int(), 401);
    EXPECT_THAT(Header(res, bhttp::field::www_authenticate), HasSubstr("Bearer"));
    EXPECT_THAT(res.body(), HasSubstr("unauthenticated"));
  }
  EXPECT_TRUE(bodies_.empty());
  Response ok = router.Route(Post("Bearer s3cret", "{\"a\":1}\n")).response;
  EXPECT_EQ(ok.result_int(), 200);
  EXPECT_EQ(ok.body(), R"({"accepted":1})");
  EXPECT_EQ(Header(ok, bhttp::field::content_type), "application/json");
  EXPECT_EQ(router.Route(Post("bearer s3cret", "x")).response.result_int(), 200);
  EXPECT_EQ(bodies_, (std::vector<std::string>{"{\"a\":1}\n", "x"}));
  EXPECT_EQ(router.Route(Post("Bearer s3cret", "busy")).response.result_int(), 429);
}

TEST_F(IngestRouteTest, OnlyPostAndOnlyWhenEnabled) {
  Router router = WithToken("t");
  Response get = router.Route(Make(bhttp::verb::get, "/api/ingest")).response;
  EXPECT_EQ(get.result_int(), 405);
  EXPECT_EQ(Header(get, bhttp::field::allow), "POST");
  Router disabled(model_, "", nullptr, {MakeIngestRoute("", nullptr)});
  EXPECT_EQ(disabled.Route(Post("Bearer t", "{}")).response.result_int(), 404);
  Router no_token = WithToken("");
  EXPECT_EQ(no_token.Route(Post("Bearer ", "{}")).response.result_int(), 404);
  // Nothing under it, no query parameters.
  Request sub = Post("Bearer t", "{}");
  sub.target("/api/ingest/x");
  EXPECT_EQ(router.Route(sub).response.result_int(), 404);
  Request query = Post("Bearer t", "{}");
  query.target("/api/ingest?x=1");
  EXPECT_EQ(router.Route(query).response.result_int(), 400);
  EXPECT_TRUE(bodies_.empty());
  // Other routes still refuse POST.
  EXPECT_EQ(router.Route(Make(bhttp::verb::post, "/api/influencers")).response.result_int(), 405);
}

}  // namespace
}  // namespace reach::http
