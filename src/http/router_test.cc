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

  FakeReadModel model_;
  Router router_;
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

TEST_F(RouterTest, LeaderboardDefaults) {
  Response res = Get("/api/influencers");
  ASSERT_EQ(res.result_int(), 200);
  ASSERT_TRUE(model_.last_query().has_value());
  EXPECT_EQ(model_.last_query()->window, engine::Window::kAll);
  EXPECT_EQ(model_.last_query()->limit, 50);
  EXPECT_EQ(model_.last_query()->offset, 0);
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

}  // namespace
}  // namespace reach::http
