// A small blocking HTTP/1.1 client over a real socket, for server tests. Test-only; throws on
// network errors (gtest reports them).
#ifndef REACH_HTTP_TEST_CLIENT_H_
#define REACH_HTTP_TEST_CLIENT_H_

#include <utility>  // before Boost headers (project convention)

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace reach::http::testing {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

struct ClientResponse {
  int status = 0;
  bhttp::fields headers;
  std::string body;

  [[nodiscard]] std::string header(std::string_view name) const {
    auto it = headers.find(boost::beast::string_view(name.data(), name.size()));
    return it == headers.end() ? std::string() : std::string(it->value());
  }
};

// A connected socket with a receive timeout so a broken server fails the test instead of hanging.
class TestConnection {
 public:
  explicit TestConnection(uint16_t port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(net::ip::address_v4::loopback(), port));
    timeval tv{10, 0};
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }

  ClientResponse Request(std::string_view method, std::string_view target,
                         std::vector<std::pair<std::string, std::string>> headers = {},
                         std::string body = {}) {
    bhttp::request<bhttp::string_body> req;
    req.method_string(boost::beast::string_view(method.data(), method.size()));
    req.target(boost::beast::string_view(target.data(), target.size()));
    req.version(11);
    req.set(bhttp::field::host, "127.0.0.1");
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = std::move(body);
    req.prepare_payload();
    bhttp::write(socket_, req);
    return ReadResponse(method == "HEAD");
  }

  ClientResponse ReadResponse(bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    parser.skip(head);
    bhttp::read(socket_, buffer_, parser);
    ClientResponse out;
    out.status = parser.get().result_int();
    out.headers = parser.get().base();
    out.body = parser.get().body();
    return out;
  }

  void WriteRaw(std::string_view bytes) { net::write(socket_, net::buffer(bytes)); }

  // Reads until `needle` appears in everything received so far (or EOF/timeout); returns it all.
  std::string ReadUntil(std::string_view needle) {
    while (received_.find(needle) == std::string::npos) {
      char buf[4096];
      boost::system::error_code ec;
      size_t n = socket_.read_some(net::buffer(buf), ec);
      if (ec) break;
      received_.append(buf, n);
    }
    return received_;
  }

  // Reads to EOF; returns the bytes read and whether EOF came (false on timeout or error).
  std::pair<std::string, bool> ReadToEof() {
    std::string all;
    while (true) {
      char buf[4096];
      boost::system::error_code ec;
      size_t n = socket_.read_some(net::buffer(buf), ec);
      all.append(buf, n);
      if (ec == net::error::eof) return {all, true};
      if (ec) return {all, ec == net::error::connection_reset};
    }
  }

  tcp::socket& socket() { return socket_; }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  std::string received_;
};

inline ClientResponse Fetch(uint16_t port, std::string_view method, std::string_view target,
                            std::vector<std::pair<std::string, std::string>> headers = {},
                            std::string body = {}) {
  TestConnection c(port);
  return c.Request(method, target, std::move(headers), std::move(body));
}

}  // namespace reach::http::testing

#endif  // REACH_HTTP_TEST_CLIENT_H_
