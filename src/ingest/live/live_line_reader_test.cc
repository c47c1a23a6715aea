#include "ingest/live/live_line_reader.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

namespace reach::ingest {
namespace {

// A one-connection HTTP server on 127.0.0.1: reads the request, sends `response`, then holds the
// connection open until destroyed.
class OneShotServer {
 public:
  explicit OneShotServer(std::string response) : response_(std::move(response)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(fd_, 1), 0);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      char buf[4096];
      std::string request;
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = read(c, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        request_ = request;
      }
      (void)!write(c, response_.data(), response_.size());
      while (!done_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      close(c);
    });
  }
  ~OneShotServer() {
    done_.store(true);
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  [[nodiscard]] uint16_t port() const { return port_; }
  [[nodiscard]] std::string request() const {
    std::lock_guard<std::mutex> lock(mu_);
    return request_;
  }

 private:
  std::string response_;
  mutable std::mutex mu_;
  std::string request_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

std::string Chunk(std::string_view data) {
  char head[32];
  snprintf(head, sizeof head, "%zx\r\n", data.size());
  return std::string(head) + std::string(data) + "\r\n";
}

TEST(LiveLineReaderTest, XStreamLinesKeepAlivesAndOverlongLines) {
  OneShotServer server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Chunk("\r\n") +
                       Chunk("{\"a\":1}\r\n{\"b\"") + Chunk(":2}\r\n") +
                       Chunk(std::string(100, 'x') + "\r\n"));
  std::atomic<bool> stop{false};
  LiveSourceOptions o;
  o.source = "x-stream+http://127.0.0.1:" + std::to_string(server.port()) + "/2/stream?x=1";
  o.token = "tok";
  o.max_line_bytes = 50;
  auto reader = LiveLineReader::Open(o, &stop);
  ASSERT_TRUE(reader.ok()) << reader.status();
  Line line;
  ASSERT_TRUE(*(*reader)->Next(&line));
  EXPECT_EQ(line.text, "{\"a\":1}");
  EXPECT_EQ(line.position.line, 1u);
  ASSERT_TRUE(*(*reader)->Next(&line));
  EXPECT_EQ(line.text, "{\"b\":2}");
  ASSERT_TRUE(*(*reader)->Next(&line));
  EXPECT_TRUE(line.too_long);
  EXPECT_EQ(line.length, 100u);
  EXPECT_EQ(line.text.size(), 50u);
  const LiveSourceStats& s = (*reader)->stats();
  EXPECT_EQ(s.connected.load(), 1);
  EXPECT_EQ(s.messages.load(), 3u);
  EXPECT_EQ(s.keepalives.load(), 1u);
  // The fields the decoder reads are added to a query without tweet.fields.
  EXPECT_NE(server.request().find("GET /2/stream?x=1&tweet.fields=created_at"), std::string::npos);
  EXPECT_NE(server.request().find("Authorization: Bearer tok"), std::string::npos);
  stop.store(true);
  EXPECT_FALSE(*(*reader)->Next(&line));
}

TEST(LiveLineReaderTest, MastodonEventsBecomeStreamingRecords) {
  OneShotServer server(
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n" +
      Chunk(":thump\n") + Chunk("event: update\ndata: {\"id\":\"1\"}\n\n") +
      Chunk("event: delete\ndata: " + std::string(200, '9') + "\n\n") +
      Chunk("event: delete\r\ndata: 7\r\n\r\n"));
  LiveSourceOptions o;
  o.source = "mastodon-sse+http://127.0.0.1:" + std::to_string(server.port()) + "/api/v1/streaming";
  o.token = "secret";
  o.max_line_bytes = 100;
  auto reader = LiveLineReader::Open(o, nullptr);
  ASSERT_TRUE(reader.ok()) << reader.status();
  Line line;
  ASSERT_TRUE(*(*reader)->Next(&line));
  EXPECT_EQ(line.text,
            R"({"_source_host":"127.0.0.1","event":"update","payload":"{\"id\":\"1\"}"})");
  EXPECT_FALSE(line.too_long);
  ASSERT_TRUE(*(*reader)->Next(&line));
  EXPECT_TRUE(line.too_long);
  EXPECT_EQ(line.text.size(), 100u);
  EXPECT_GT(line.length, 200u);
  ASSERT_TRUE(*(*reader)->Next(&line));
  EXPECT_EQ(line.text, R"({"_source_host":"127.0.0.1","event":"delete","payload":"7"})");
  EXPECT_EQ((*reader)->stats().keepalives.load(), 1u);
  EXPECT_NE(server.request().find("Accept: text/event-stream"), std::string::npos);
  EXPECT_NE(server.request().find("Authorization: Bearer secret"), std::string::npos);
}

TEST(LiveLineReaderTest, RefusedConnectionsAreRetriedAndStopEndsTheWait) {
  // A port nobody listens on: bind one, note it, close it.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  std::atomic<bool> stop{false};
  LiveSourceOptions o;
  o.source = "jetstream+ws://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/subscribe";
  auto reader = LiveLineReader::Open(o, &stop);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(900));
    stop.store(true);
  });
  Line line;
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<bool> got = (*reader)->Next(&line);
  const auto waited = std::chrono::steady_clock::now() - start;
  stopper.join();
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(*got);
  EXPECT_LT(waited, std::chrono::milliseconds(900 + 500));
  const LiveSourceStats& s = (*reader)->stats();
  // Linear back-off (250 ms, then 500 ms): at least two attempts failed within 900 ms.
  EXPECT_GE(s.network_errors.load(), 2u);
  EXPECT_GE(s.reconnects.load(), 1u);
  EXPECT_EQ(s.connected.load(), 0);
  EXPECT_EQ(s.protocol, "jetstream");
}

TEST(LiveLineReaderTest, BadUrlIsInvalidArgument) {
  LiveSourceOptions o;
  o.source = "jetstream+http://h/";
  EXPECT_EQ(LiveLineReader::Open(o, nullptr).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace reach::ingest
