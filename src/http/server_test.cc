#include "http/server.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "http/fake_read_model.h"
#include "http/test_client.h"

namespace reach::http {
namespace {

namespace fs = std::filesystem;
using testing::ClientResponse;
using testing::Fetch;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TestConnection;

// Polls `cond` for up to 5 s.
template <class F>
bool WaitFor(F cond) {
  for (int i = 0; i < 500; ++i) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return cond();
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("reach_server_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    fs::create_directories(base_ / "web");
    std::ofstream(base_ / "web" / "index.html") << "<title>Reach</title>";
    std::ofstream(base_ / "web" / "app.js") << "let x = 1;";
    std::ofstream(base_ / "secret.txt") << "root:x:0:0";

    std::vector<engine::InfluencerRow> rows;
    for (int i = 1; i <= 3; ++i) rows.push_back(MakeRow(1000 + i, i, i));
    model_.SetRows(engine::Window::k15m, rows);
    model_.SetAsOf(EventTime::FromSeconds(1352341901));
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(base_);
  }

  Server& StartServer(ServerOptions options = {}) {
    options.listen = "127.0.0.1:0";
    options.web_root = (base_ / "web").string();
    server_ = std::make_unique<Server>(
        std::move(options), model_, [] { return std::string("reach_engine_events_total 17\n"); });
    absl::Status st = server_->Start();
    EXPECT_TRUE(st.ok()) << st;
    EXPECT_NE(server_->port(), 0);
    return *server_;
  }

  fs::path base_;
  FakeReadModel model_;
  std::unique_ptr<Server> server_;
};

void ExpectBadParameter(const ClientResponse& res, std::string_view parameter) {
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_EQ(res.header("Content-Type"), "application/json");
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(res.body);
  EXPECT_EQ(std::string_view(doc["error"]["code"]), "invalid_argument");
  EXPECT_EQ(std::string_view(doc["error"]["parameter"]), parameter);
}

TEST_F(ServerTest, LeaderboardOverTheWire) {
  Server& server = StartServer();
  ClientResponse res = Fetch(server.port(), "GET", "/api/influencers?window=15m&limit=2");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.header("Content-Type"), "application/json");
  EXPECT_EQ(res.header("Cache-Control"), "no-store");
  EXPECT_EQ(res.header("X-Content-Type-Options"), "nosniff");

  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(res.body);
  EXPECT_EQ(std::string_view(doc["window"]), "15m");
  EXPECT_EQ(std::string_view(doc["as_of"]), "2012-11-08T02:31:41.000Z");
  EXPECT_EQ(int64_t(doc["total"]), 3);
  simdjson::dom::array items = doc["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(std::string_view(items.at(0)["user_id"]), "1001");
  EXPECT_EQ(std::string_view(items.at(1)["handle"]), "user2");
  EXPECT_EQ(int64_t(items.at(1)["reshares"]), 4);
  EXPECT_DOUBLE_EQ(double(items.at(1)["components"]["followers"]["value"]), 0.125);
}

TEST_F(ServerTest, ParameterValidation) {
  Server& server = StartServer();
  ExpectBadParameter(Fetch(server.port(), "GET", "/api/influencers?limit=0"), "limit");
  ExpectBadParameter(Fetch(server.port(), "GET", "/api/influencers?limit=abc"), "limit");
  ExpectBadParameter(Fetch(server.port(), "GET", "/api/influencers?window=2h"), "window");
  ExpectBadParameter(Fetch(server.port(), "GET", "/api/influencers?foo=1"), "foo");
  ExpectBadParameter(Fetch(server.port(), "GET", "/api/influencers?offset=1&offset=1"), "offset");
}

TEST_F(ServerTest, UserNotFoundAndBadId) {
  Server& server = StartServer();
  ClientResponse missing = Fetch(server.port(), "GET", "/api/users/12345");
  EXPECT_EQ(missing.status, 404);
  EXPECT_THAT(missing.body, HasSubstr(R"("code":"not_found")"));
  ExpectBadParameter(Fetch(server.port(), "GET", "/api/users/12ab"), "id");
}

TEST_F(ServerTest, ConversationAndGeographyOverTheWire) {
  engine::ConversationBoard board;
  board.posts = 9;
  board.sentiment_posts = 4;
  board.sentiment = 0.5;
  board.topics = {{"bitcoin", 6, 4, 0.5, true}};
  board.countries = {{"JP", 5, 2, 4, 0.5}};
  model_.SetConversation(engine::Window::k15m, board);
  engine::TopicDetail detail;
  detail.summary = board.topics[0];
  detail.influencers = {MakeRow(1001, 1, 1)};
  model_.SetTopic(engine::Window::k15m, detail);
  engine::Audience audience;
  audience.user = UserId{1001};
  audience.window = engine::Window::k15m;
  audience.total = 5;
  audience.countries = {{"JP", 4}, {"KR", 1}};
  model_.SetAudience(audience);
  Server& server = StartServer();

  simdjson::dom::parser parser;
  ClientResponse trending = Fetch(server.port(), "GET", "/api/topics/trending?window=15m&limit=5");
  ASSERT_EQ(trending.status, 200) << trending.body;
  EXPECT_EQ(trending.header("Cache-Control"), "no-store");
  simdjson::dom::element doc = parser.parse(trending.body);
  EXPECT_EQ(std::string_view(simdjson::dom::array(doc["topics"]).at(0)["topic"]), "bitcoin");
  EXPECT_TRUE(bool(simdjson::dom::array(doc["topics"]).at(0)["spiking"]));

  ClientResponse topic = Fetch(server.port(), "GET", "/api/topics/%23BITCOIN?window=15m");
  ASSERT_EQ(topic.status, 200) << topic.body;
  doc = parser.parse(topic.body);
  EXPECT_EQ(std::string_view(simdjson::dom::array(doc["influencers"]).at(0)["user_id"]), "1001");

  ClientResponse geo = Fetch(server.port(), "GET", "/api/geo?window=15m");
  ASSERT_EQ(geo.status, 200) << geo.body;
  EXPECT_EQ(geo.body,
            R"({"window":"15m","as_of":"2012-11-08T02:31:41.000Z","countries":[)"
            R"({"country":"JP","posts":5,"engagements":2,"sentiment":0.5,"sentiment_posts":4}]})");

  ClientResponse aud = Fetch(server.port(), "GET", "/api/users/1001/audience?window=15m");
  ASSERT_EQ(aud.status, 200) << aud.body;
  doc = parser.parse(aud.body);
  EXPECT_DOUBLE_EQ(double(simdjson::dom::array(doc["countries"]).at(0)["share"]), 0.8);

  EXPECT_EQ(Fetch(server.port(), "GET", "/api/topics/dogecoin?window=15m").status, 404);
  ExpectBadParameter(Fetch(server.port(), "GET", "/api/sentiment?bucket=never"), "bucket");
  ExpectBadParameter(Fetch(server.port(), "GET", "/api/topics/trending?limit=500"), "limit");
  ExpectBadParameter(Fetch(server.port(), "GET", "/api/alerts?limit=1&limit=2"), "limit");
}

TEST_F(ServerTest, UnimplementedIs501OverTheWire) {
  model_.FailWith(absl::UnimplementedError("series are served by `reach run`"));
  Server& server = StartServer();
  ClientResponse res = Fetch(server.port(), "GET", "/api/sentiment");
  EXPECT_EQ(res.status, 501);
  EXPECT_EQ(res.header("Content-Type"), "application/json");
  EXPECT_EQ(res.body,
            R"({"error":{"code":"unimplemented","message":"series are served by `reach run`"}})");
  // The response is counted once it is written, which may be just after the client has read it.
  EXPECT_TRUE(WaitFor([&] {
    return server.MetricsText().find("reach_http_requests_total{class=\"5xx\"} 1\n") !=
           std::string::npos;
  }));
}

TEST_F(ServerTest, HealthzAndMetrics) {
  Server& server = StartServer();
  ClientResponse health = Fetch(server.port(), "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"status":"ok"})");

  ClientResponse metrics = Fetch(server.port(), "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(metrics.body.rfind("reach_engine_events_total 17\n", 0), 0u) << metrics.body;
  // The health check above was one 2xx response; this request is counted after it is sent.
  EXPECT_THAT(metrics.body, HasSubstr("reach_http_requests_total{class=\"2xx\"} 1\n"));
  EXPECT_THAT(metrics.body, HasSubstr("reach_http_connections_open 1\n"));
  EXPECT_THAT(metrics.body, HasSubstr("reach_http_sse_clients 0\n"));
  EXPECT_THAT(server.MetricsText(), HasSubstr("reach_http_requests_total{class=\"2xx\"} 2\n"));
}

TEST_F(ServerTest, StaticFilesAndTraversal) {
  Server& server = StartServer();
  ClientResponse index = Fetch(server.port(), "GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<title>Reach</title>");
  EXPECT_EQ(index.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.header("X-Content-Type-Options"), "nosniff");

  ClientResponse js = Fetch(server.port(), "GET", "/app.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.header("Content-Type"), "text/javascript; charset=utf-8");

  for (std::string_view target :
       {"/../secret.txt", "/../etc/passwd", "/%2e%2e/secret.txt", "/%2e%2e/etc/passwd",
        "/%2E%2E%2Fsecret.txt", "/..%5csecret.txt", "/a%00b"}) {
    ClientResponse res = Fetch(server.port(), "GET", target);
    EXPECT_TRUE(res.status == 400 || res.status == 404) << target << " -> " << res.status;
    EXPECT_THAT(res.body, Not(HasSubstr("root:"))) << target;
  }
  EXPECT_EQ(Fetch(server.port(), "GET", "/missing.css").status, 404);
}

TEST_F(ServerTest, HeadIsGetWithoutBody) {
  Server& server = StartServer();
  ClientResponse get = Fetch(server.port(), "GET", "/app.js");
  ClientResponse head = Fetch(server.port(), "HEAD", "/app.js");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.header("Content-Length"), std::to_string(get.body.size()));
}

TEST_F(ServerTest, PostIs405WithAllow) {
  Server& server = StartServer();
  ClientResponse res = Fetch(server.port(), "POST", "/api/influencers", {}, "{}");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.header("Allow"), "GET, HEAD");
  EXPECT_THAT(res.body, HasSubstr(R"("code":"method_not_allowed")"));
}

TEST_F(ServerTest, OversizedHeaderIs431) {
  Server& server = StartServer();
  TestConnection c(server.port());
  c.WriteRaw("GET /api/influencers HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') +
             "\r\n\r\n");
  ClientResponse res = c.ReadResponse();
  EXPECT_EQ(res.status, 431);
  EXPECT_THAT(res.body, HasSubstr(R"("code":"request_header_too_large")"));
  EXPECT_EQ(res.header("Connection"), "close");
  // The server keeps serving.
  EXPECT_EQ(Fetch(server.port(), "GET", "/healthz").status, 200);
}

TEST_F(ServerTest, OversizedBodyIs413) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  Server& server = StartServer(options);
  ClientResponse res = Fetch(server.port(), "POST", "/api/influencers", {}, std::string(4096, 'x'));
  EXPECT_EQ(res.status, 413);
  EXPECT_THAT(res.body, HasSubstr(R"("code":"request_body_too_large")"));
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  Server& server = StartServer();
  TestConnection c(server.port());
  EXPECT_EQ(c.Request("GET", "/healthz").status, 200);
  EXPECT_EQ(c.Request("GET", "/api/influencers?window=15m").status, 200);
  EXPECT_EQ(c.Request("GET", "/api/users/1").status, 404);
  EXPECT_THAT(server.MetricsText(), HasSubstr("reach_http_connections_total 1\n"));
}

TEST_F(ServerTest, IdleConnectionIsClosed) {
  ServerOptions options;
  options.idle_timeout = std::chrono::seconds(1);
  Server& server = StartServer(options);
  TestConnection c(server.port());
  c.WriteRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // never finished
  auto start = std::chrono::steady_clock::now();
  auto [bytes, eof] = c.ReadToEof();
  EXPECT_TRUE(eof);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_TRUE(WaitFor([&] {
    return server.MetricsText().find("reach_http_connections_open 0\n") != std::string::npos;
  }));
}

TEST_F(ServerTest, SseClientReceivesBroadcast) {
  Server& server = StartServer();
  TestConnection c(server.port());
  c.WriteRaw("GET /api/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n");
  std::string head = c.ReadUntil("retry: 2000\n\n");
  EXPECT_THAT(head, HasSubstr("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(head, HasSubstr("Content-Type: text/event-stream\r\n"));
  EXPECT_THAT(head, HasSubstr("Cache-Control: no-cache\r\n"));
  ASSERT_TRUE(WaitFor([&] { return server.sse_clients() == 1; }));

  server.Broadcast("leaderboard", R"({"sequence":42})");
  std::string all = c.ReadUntil("event: leaderboard\ndata: {\"sequence\":42}\n\n");
  EXPECT_THAT(all, HasSubstr("event: leaderboard\ndata: {\"sequence\":42}\n\n"));

  server.Broadcast("multi", "a\nb");
  all = c.ReadUntil("event: multi\ndata: a\ndata: b\n\n");
  EXPECT_THAT(all, HasSubstr("event: multi\ndata: a\ndata: b\n\n"));

  c.socket().close();
  EXPECT_TRUE(WaitFor([&] { return server.sse_clients() == 0; }));
}

TEST_F(ServerTest, SseKeepaliveComment) {
  ServerOptions options;
  options.sse_keepalive = std::chrono::seconds(1);
  Server& server = StartServer(options);
  TestConnection c(server.port());
  c.WriteRaw("GET /api/stream HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_THAT(c.ReadUntil(": keepalive\n\n"), HasSubstr(": keepalive\n\n"));
}

TEST_F(ServerTest, SlowSseClientIsDroppedAndCounted) {
  ServerOptions options;
  options.sse_queue_limit = 4;
  Server& server = StartServer(options);
  TestConnection c(server.port());
  c.WriteRaw("GET /api/stream HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(WaitFor([&] { return server.sse_clients() == 1; }));
  // The client never reads: socket buffers fill, then the queue, then the server drops it.
  const std::string big(256 * 1024, 'x');
  for (int i = 0; i < 400 && server.sse_clients() == 1; ++i) {
    server.Broadcast("bulk", big);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_TRUE(WaitFor([&] { return server.sse_clients() == 0; }));
  EXPECT_THAT(server.MetricsText(), HasSubstr("reach_http_sse_dropped_total 1\n"));
}

TEST_F(ServerTest, StartErrors) {
  Server& first = StartServer();
  FakeReadModel model;
  Server in_use(ServerOptions{.listen = "127.0.0.1:" + std::to_string(first.port())}, model, {});
  absl::Status st = in_use.Start();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(st.message()), HasSubstr("in use"));

  for (std::string listen : {"nonsense", "127.0.0.1", "127.0.0.1:99999", "127.0.0.1:x",
                             "example.com:80", ":80", "[::1:80"}) {
    Server bad(ServerOptions{.listen = listen}, model, {});
    absl::Status bad_st = bad.Start();
    EXPECT_EQ(bad_st.code(), absl::StatusCode::kInvalidArgument) << listen;
    EXPECT_THAT(std::string(bad_st.message()), HasSubstr(listen)) << listen;
  }
  Server no_threads(ServerOptions{.listen = "127.0.0.1:0", .threads = 0}, model, {});
  EXPECT_EQ(no_threads.Start().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ServerTest, StopIsIdempotentAndClosesConnections) {
  ServerOptions options;
  options.threads = 2;
  Server& server = StartServer(options);
  TestConnection idle(server.port());
  TestConnection stream(server.port());
  stream.WriteRaw("GET /api/stream HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(WaitFor([&] { return server.sse_clients() == 1; }));
  server.Stop();
  server.Stop();
  EXPECT_EQ(server.sse_clients(), 0u);
  server.Broadcast("late", "ignored");  // no effect, no crash
  EXPECT_TRUE(idle.ReadToEof().second);
  EXPECT_TRUE(stream.ReadToEof().second);
}

TEST(FormatSseEventTest, Framing) {
  EXPECT_EQ(FormatSseEvent("score", "{}"), "event: score\ndata: {}\n\n");
  EXPECT_EQ(FormatSseEvent("a\nb", "x\r\ny"), "event: ab\ndata: x\ndata: y\n\n");
  EXPECT_EQ(FormatSseEvent("", ""), "data: \n\n");
}

}  // namespace
}  // namespace reach::http
