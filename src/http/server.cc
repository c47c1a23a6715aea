#include "http/server.h"

#include <utility>  // before Boost headers (project convention)

#include <array>
#include <atomic>
#include <deque>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "common/log.h"
#include "http/router.h"

namespace reach::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {

// After an error response that closes the connection, unread request bytes are drained for this
// long (at most kLingerMaxBytes) so that the client receives the response instead of a reset.
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr size_t kLingerMaxBytes = 1 << 20;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

struct Counters {
  std::array<std::atomic<uint64_t>, 5> responses_by_class{};  // 1xx .. 5xx
  std::atomic<int64_t> open_connections{0};
  std::atomic<uint64_t> connections_total{0};
  std::atomic<int64_t> sse_clients{0};
  std::atomic<uint64_t> sse_dropped{0};

  void CountResponse(unsigned status) {
    if (status >= 100 && status < 600) responses_by_class[status / 100 - 1].fetch_add(1);
  }
};

class SseStream;

// State shared by the server and every connection; connections hold it by shared_ptr so it outlives
// the last of them, whenever the io_context destroys them.
struct Shared {
  Shared(ServerOptions o, const engine::ReadModel& model, MetricsProvider m)
      : options(std::move(o)),
        metrics(std::move(m)),
        router(
            model, options.web_root, [this] { return MetricsBody(); }, options.routes) {}

  std::string MetricsBody() const {
    std::string body = metrics ? metrics() : std::string();
    if (!body.empty() && body.back() != '\n') body.push_back('\n');
    body += CounterText();
    return body;
  }
  std::string CounterText() const;

  const ServerOptions options;
  Counters counters;
  const MetricsProvider metrics;
  const Router router;

  std::mutex sse_mu;
  bool stopped = false;                                        // guarded by sse_mu
  uint64_t next_sse_id = 1;                                    // guarded by sse_mu
  std::unordered_map<uint64_t, std::weak_ptr<SseStream>> sse;  // guarded by sse_mu
};

std::string Shared::CounterText() const {
  std::string out;
  out +=
      "# HELP reach_http_requests_total HTTP responses sent, by status class.\n"
      "# TYPE reach_http_requests_total counter\n";
  for (size_t i = 0; i < counters.responses_by_class.size(); ++i) {
    out += fmt::format("reach_http_requests_total{{class=\"{}xx\"}} {}\n", i + 1,
                       counters.responses_by_class[i].load());
  }
  out += fmt::format(
      "# HELP reach_http_connections_open Open HTTP connections, event streams included.\n"
      "# TYPE reach_http_connections_open gauge\n"
      "reach_http_connections_open {}\n"
      "# HELP reach_http_connections_total HTTP connections accepted.\n"
      "# TYPE reach_http_connections_total counter\n"
      "reach_http_connections_total {}\n"
      "# HELP reach_http_sse_clients Connected Server-Sent Events clients.\n"
      "# TYPE reach_http_sse_clients gauge\n"
      "reach_http_sse_clients {}\n"
      "# HELP reach_http_sse_dropped_total SSE clients disconnected for falling behind.\n"
      "# TYPE reach_http_sse_dropped_total counter\n"
      "reach_http_sse_dropped_total {}\n",
      counters.open_connections.load(), counters.connections_total.load(),
      counters.sse_clients.load(), counters.sse_dropped.load());
  return out;
}

// Keeps the open-connections gauge: +1 while alive; moves with the connection into an SseStream.
class ConnectionToken {
 public:
  explicit ConnectionToken(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {
    shared_->counters.open_connections.fetch_add(1);
    shared_->counters.connections_total.fetch_add(1);
  }
  ConnectionToken(ConnectionToken&& other) noexcept = default;
  ConnectionToken& operator=(ConnectionToken&&) = delete;
  ~ConnectionToken() {
    if (shared_) shared_->counters.open_connections.fetch_sub(1);
  }

 private:
  std::shared_ptr<Shared> shared_;
};

// One GET /api/stream client. Lives on its connection's strand, except Enqueue (any thread).
class SseStream : public std::enable_shared_from_this<SseStream> {
 public:
  SseStream(beast::tcp_stream stream, std::shared_ptr<Shared> shared, ConnectionToken token)
      : stream_(std::move(stream)),
        executor_(stream_.get_executor()),
        shared_(std::move(shared)),
        token_(std::move(token)),
        keepalive_(executor_) {}

  ~SseStream() { Unregister(); }

  // On the strand: sends the response header, registers for broadcasts, starts the timers.
  void Start(unsigned version) {
    std::string head = fmt::format(
        "HTTP/1.{} 200 OK\r\n"
        "Content-Type: text/event-stream\r\n"
        "Cache-Control: no-cache\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "X-Accel-Buffering: no\r\n"
        "\r\n"
        "retry: 2000\n\n",
        version == 10 ? 0 : 1);
    shared_->counters.CountResponse(200);
    // Queued before registering, so no broadcast can overtake the header.
    Enqueue(std::make_shared<const std::string>(std::move(head)));
    {
      std::lock_guard lock(shared_->sse_mu);
      if (!shared_->stopped) {
        id_ = shared_->next_sse_id++;
        shared_->sse.emplace(id_, weak_from_this());
        registered_.store(true);
        shared_->counters.sse_clients.fetch_add(1);
      }
    }
    if (!registered_.load()) return Close();
    ArmKeepalive();
    ReadUntilClosed();
  }

  // Any thread. Queues a formatted message; drops the client when its queue is full.
  void Enqueue(std::shared_ptr<const std::string> message) {
    bool start_write = false;
    bool overflow = false;
    {
      std::lock_guard lock(mu_);
      if (closing_) return;
      if (queue_.size() >= shared_->options.sse_queue_limit) {
        closing_ = true;
        overflow = true;
      } else {
        queue_.push_back(std::move(message));
        start_write = !writing_;
        writing_ = writing_ || start_write;
      }
    }
    if (overflow) {
      shared_->counters.sse_dropped.fetch_add(1);
      net::post(executor_, beast::bind_front_handler(&SseStream::Close, shared_from_this()));
    } else if (start_write) {
      net::post(executor_, beast::bind_front_handler(&SseStream::WriteNext, shared_from_this()));
    }
  }

 private:
  void WriteNext() {
    {
      std::lock_guard lock(mu_);
      if (closing_ || queue_.empty()) {
        writing_ = false;
        return;
      }
      in_flight_.assign(queue_.begin(), queue_.end());
      queue_.clear();
    }
    buffers_.clear();
    for (const auto& m : in_flight_) buffers_.push_back(net::buffer(*m));
    stream_.expires_after(shared_->options.idle_timeout);
    net::async_write(stream_, buffers_,
                     beast::bind_front_handler(&SseStream::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, size_t /*bytes*/) {
    in_flight_.clear();
    if (ec) return Close();
    stream_.expires_never();
    WriteNext();
  }

  void ArmKeepalive() {
    keepalive_.expires_after(shared_->options.sse_keepalive);
    keepalive_.async_wait(beast::bind_front_handler(&SseStream::OnKeepalive, shared_from_this()));
  }

  void OnKeepalive(beast::error_code ec) {
    if (ec) return;
    static const auto kKeepalive = std::make_shared<const std::string>(": keepalive\n\n");
    Enqueue(kKeepalive);
    ArmKeepalive();
  }

  // The client sends nothing more; a completed read means it went away (or misbehaves).
  void ReadUntilClosed() {
    stream_.socket().async_read_some(
        net::buffer(read_buf_),
        beast::bind_front_handler(&SseStream::OnReadUntilClosed, shared_from_this()));
  }

  void OnReadUntilClosed(beast::error_code ec, size_t /*bytes*/) {
    if (ec) return Close();
    ReadUntilClosed();
  }

  void Close() {
    {
      std::lock_guard lock(mu_);
      closing_ = true;
      queue_.clear();
    }
    keepalive_.cancel();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    Unregister();
  }

  void Unregister() {
    if (!registered_.exchange(false)) return;
    std::lock_guard lock(shared_->sse_mu);
    shared_->sse.erase(id_);
    shared_->counters.sse_clients.fetch_sub(1);
  }

  beast::tcp_stream stream_;
  const net::any_io_executor executor_;  // the connection's strand
  std::shared_ptr<Shared> shared_;
  ConnectionToken token_;
  net::steady_timer keepalive_;
  std::array<char, 512> read_buf_{};
  uint64_t id_ = 0;
  std::atomic<bool> registered_{false};

  std::mutex mu_;
  std::deque<std::shared_ptr<const std::string>> queue_;  // guarded by mu_
  bool writing_ = false;                                  // guarded by mu_
  bool closing_ = false;                                  // guarded by mu_

  std::vector<std::shared_ptr<const std::string>> in_flight_;  // strand only
  std::vector<net::const_buffer> buffers_;                     // strand only
};

// One HTTP connection: read a request, route it, write the response, repeat while keep-alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)), token_(shared_) {}

  void Run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

 private:
  void DoRead() {
    const ServerOptions& opt = shared_->options;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(
        std::min<size_t>(opt.max_header_bytes, std::numeric_limits<uint32_t>::max())));
    parser_->body_limit(opt.max_body_bytes);
    stream_.expires_after(opt.idle_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t /*bytes*/) {
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
      return Shutdown();
    }
    if (ec == bhttp::error::header_limit) {
      return SendError(
          {431, "request_header_too_large",
           fmt::format("request header exceeds {} bytes", shared_->options.max_header_bytes), ""});
    }
    if (ec == bhttp::error::body_limit) {
      return SendError(
          {413, "request_body_too_large",
           fmt::format("request body exceeds {} bytes", shared_->options.max_body_bytes), ""});
    }
    if (ec && ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
      return SendError(
          {400, "bad_request", fmt::format("malformed request: {}", ec.message()), ""});
    }
    if (ec) return;  // timeout, reset, cancelled: the stream closes with this session

    const Request& req = parser_->get();
    RouteResult result = shared_->router.Route(req);
    if (result.open_stream) {
      auto sse = std::make_shared<SseStream>(std::move(stream_), shared_, std::move(*token_));
      token_.reset();
      sse->Start(req.version());
      return;
    }
    Write(std::move(result.response));
  }

  // An error detected before routing: the connection closes after the response.
  void SendError(const HttpError& error) {
    bool api = false;
    if (parser_) {
      // The request line is parsed before the fields, so the target is known even when the
      // header itself was too large.
      std::string_view target(parser_->get().target().data(), parser_->get().target().size());
      api = target == "/api" || target.starts_with("/api/");
    }
    Write(Router::ErrorResponse(error, 11, api, /*keep_alive=*/false));
  }

  void Write(Response res) {
    res_ = std::move(res);
    shared_->counters.CountResponse(res_.result_int());
    const bool close = res_.need_eof();
    stream_.expires_after(shared_->options.idle_timeout);
    bhttp::async_write(stream_, res_,
                       beast::bind_front_handler(&Session::OnWrite, shared_from_this(), close));
  }

  void OnWrite(bool close, beast::error_code ec, size_t /*bytes*/) {
    if (ec) return;
    res_ = {};
    if (close) return LingeringClose();
    DoRead();
  }

  void Shutdown() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  void LingeringClose() {
    Shutdown();
    stream_.expires_after(kLingerTimeout);
    Drain();
  }

  void Drain() {
    stream_.async_read_some(net::buffer(drain_buf_),
                            beast::bind_front_handler(&Session::OnDrain, shared_from_this()));
  }

  void OnDrain(beast::error_code ec, size_t bytes) {
    drained_ += bytes;
    if (ec || drained_ > kLingerMaxBytes) return;  // the stream closes with this session
    Drain();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<Shared> shared_;
  std::optional<ConnectionToken> token_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Response res_;
  std::array<char, 4096> drain_buf_{};
  size_t drained_ = 0;
};

struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};

absl::StatusOr<ListenAddress> ParseListen(std::string_view listen) {
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(
        fmt::format("listen address '{}' is invalid: {} (expected host:port)", listen, why));
  };
  std::string_view host;
  std::string_view port_text;
  if (listen.starts_with('[')) {
    size_t close = listen.find(']');
    if (close == std::string_view::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      return bad("unterminated IPv6 address");
    }
    host = listen.substr(1, close - 1);
    port_text = listen.substr(close + 2);
  } else {
    size_t colon = listen.rfind(':');
    if (colon == std::string_view::npos) return bad("missing port");
    host = listen.substr(0, colon);
    port_text = listen.substr(colon + 1);
  }
  if (host.empty()) return bad("missing host");
  if (port_text.empty() || port_text.size() > 5) return bad("port must be 0..65535");
  unsigned port = 0;
  for (char c : port_text) {
    if (c < '0' || c > '9') return bad("port must be 0..65535");
    port = port * 10 + static_cast<unsigned>(c - '0');
  }
  if (port > 65535) return bad("port must be 0..65535");
  return ListenAddress{std::string(host), static_cast<uint16_t>(port)};
}

}  // namespace

std::string FormatSseEvent(std::string_view event, std::string_view data) {
  std::string out;
  out.reserve(event.size() + data.size() + 16);
  if (!event.empty()) {
    out += "event: ";
    for (char c : event) {
      if (c != '\r' && c != '\n') out.push_back(c);
    }
    out.push_back('\n');
  }
  while (true) {
    size_t nl = data.find('\n');
    std::string_view line = data.substr(0, nl);
    if (line.ends_with('\r')) line.remove_suffix(1);
    out += "data: ";
    out += line;
    out.push_back('\n');
    if (nl == std::string_view::npos) break;
    data.remove_prefix(nl + 1);
  }
  out.push_back('\n');
  return out;
}

struct Server::Impl {
  Impl(ServerOptions options, const engine::ReadModel& model, MetricsProvider metrics)
      : shared(std::make_shared<Shared>(std::move(options), model, std::move(metrics))) {}

  void DoAccept() {
    acceptor->async_accept(net::make_strand(*ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec == net::error::operation_aborted) return;
      if (ec) {
        // Out of descriptors and the like: pause instead of spinning.
        log::warn("http accept failed: {}", ec.message());
        accept_retry->expires_after(kAcceptRetryDelay);
        accept_retry->async_wait([this](beast::error_code wait_ec) {
          if (!wait_ec) DoAccept();
        });
        return;
      }
      std::make_shared<Session>(std::move(s), shared)->Run();
      DoAccept();
    });
  }

  std::shared_ptr<Shared> shared;
  std::unique_ptr<net::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<net::steady_timer> accept_retry;
  std::vector<std::thread> threads;
  std::atomic<uint16_t> port{0};

  // Held shared by Broadcast and exclusively by Stop, so no post reaches a destroyed io_context.
  std::shared_mutex life_mu;
  bool running = false;  // guarded by life_mu
  bool started = false;  // Start() succeeded once; owner thread only
};

Server::Server(ServerOptions options, const engine::ReadModel& model, MetricsProvider metrics)
    : impl_(std::make_unique<Impl>(std::move(options), model, std::move(metrics))) {}

Server::~Server() { Stop(); }

absl::Status Server::Start() {
  Impl& s = *impl_;
  const ServerOptions& opt = s.shared->options;
  if (s.started) return absl::FailedPreconditionError("server already started");
  if (opt.threads < 1 || opt.threads > 256) {
    return absl::InvalidArgumentError(fmt::format("threads must be 1..256, got {}", opt.threads));
  }
  if (opt.max_header_bytes == 0 || opt.max_body_bytes == 0 || opt.idle_timeout.count() <= 0 ||
      opt.sse_keepalive.count() <= 0 || opt.sse_queue_limit == 0) {
    return absl::InvalidArgumentError("server limits and timeouts must be positive");
  }
  REACH_ASSIGN_OR_RETURN(ListenAddress where, ParseListen(opt.listen));
  beast::error_code ec;
  net::ip::address address = net::ip::make_address(where.host, ec);
  if (ec) {
    if (where.host != "localhost") {
      return absl::InvalidArgumentError(fmt::format(
          "listen address '{}' is invalid: host must be an IP address or localhost", opt.listen));
    }
    address = net::ip::address_v4::loopback();
  }

  auto ioc = std::make_unique<net::io_context>(opt.threads);
  auto acceptor = std::make_unique<tcp::acceptor>(*ioc);
  tcp::endpoint endpoint(address, where.port);
  auto unavailable = [&](std::string_view step) {
    return absl::UnavailableError(
        fmt::format("cannot listen on {}: {} failed: {}", opt.listen, step, ec.message()));
  };
  if (acceptor->open(endpoint.protocol(), ec)) return unavailable("open");
  if (acceptor->set_option(net::socket_base::reuse_address(true), ec)) {
    return unavailable("setsockopt");
  }
  if (acceptor->bind(endpoint, ec)) return unavailable("bind");
  if (acceptor->listen(net::socket_base::max_listen_connections, ec)) return unavailable("listen");
  tcp::endpoint local = acceptor->local_endpoint(ec);
  if (ec) return unavailable("getsockname");

  s.ioc = std::move(ioc);
  s.acceptor = std::move(acceptor);
  s.accept_retry = std::make_unique<net::steady_timer>(*s.ioc);
  s.port.store(local.port());
  s.started = true;
  {
    std::unique_lock lock(s.life_mu);
    s.running = true;
  }
  s.DoAccept();
  for (int i = 0; i < opt.threads; ++i) {
    s.threads.emplace_back([ioc = s.ioc.get()] {
      while (true) {
        try {
          ioc->run();
          return;
        } catch (const std::exception& ex) {
          // Handlers report errors as values; this is the last line for anything unexpected.
          log::error("http worker: unexpected exception: {}", ex.what());
        }
      }
    });
  }
  log::info("http listening on {}:{}", local.address().to_string(), local.port());
  return absl::OkStatus();
}

void Server::Stop() {
  Impl& s = *impl_;
  {
    std::unique_lock lock(s.life_mu);
    if (!s.running) return;
    s.running = false;
  }
  {
    std::lock_guard lock(s.shared->sse_mu);
    s.shared->stopped = true;
    s.shared->sse.clear();
  }
  s.ioc->stop();
  for (std::thread& t : s.threads) t.join();
  s.threads.clear();
  beast::error_code ec;
  s.acceptor->close(ec);
  s.acceptor.reset();
  s.accept_retry.reset();
  // Destroys the handlers still queued, and with them every session and stream (their sockets).
  s.ioc.reset();
}

uint16_t Server::port() const { return impl_->port.load(); }

void Server::Broadcast(std::string_view event, std::string_view data) {
  std::shared_lock life(impl_->life_mu);
  if (!impl_->running) return;
  auto message = std::make_shared<const std::string>(FormatSseEvent(event, data));
  std::vector<std::shared_ptr<SseStream>> clients;
  {
    std::lock_guard lock(impl_->shared->sse_mu);
    clients.reserve(impl_->shared->sse.size());
    for (const auto& [id, weak] : impl_->shared->sse) {
      if (auto client = weak.lock()) clients.push_back(std::move(client));
    }
  }
  for (const auto& client : clients) client->Enqueue(message);
}

size_t Server::sse_clients() const {
  return static_cast<size_t>(std::max<int64_t>(0, impl_->shared->counters.sse_clients.load()));
}

std::string Server::MetricsText() const { return impl_->shared->CounterText(); }

}  // namespace reach::http
