#include <utility>  // before Asio under C++20

#include "ingest/live/live_line_reader.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include <exception>
#include <limits>
#include <optional>

#include "common/json_writer.h"
#include "common/log.h"
#include "common/status.h"
#include "ingest/live/jetstream_resume.h"
#include "ingest/live/live_endpoint.h"
#include "ingest/live/reconnect_backoff.h"
#include "ingest/live/sse_parser.h"

namespace reach::ingest {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using asio::awaitable;
using Failure = ReconnectBackoff::Failure;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr const char* kUserAgent = "reach/0.1 (+live source)";
constexpr size_t kReadChunk = 64 << 10;

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

auto Await(beast::error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

struct Outcome {
  Failure failure = Failure::kDropped;
  std::string reason;
  int status = 0;  // HTTP status of a refused attempt
};

Outcome Network(std::string_view what, const beast::error_code& ec) {
  return {Failure::kNetwork, fmt::format("{}: {}", what, ec.message())};
}

Outcome Refused(int status, std::string_view reason) {
  return {status == 429 ? Failure::kRateLimited : Failure::kHttp,
          fmt::format("refused with HTTP {} {}", status, reason), status};
}

struct Pending {
  std::string text;
  uint64_t length = 0;
  bool too_long = false;
};

}  // namespace

struct LiveLineReader::Impl {
  Impl(LiveSourceOptions o, LiveEndpoint e, const std::atomic<bool>* s)
      : options(std::move(o)), endpoint(std::move(e)), stop(s), sse(options.max_line_bytes) {
    stats.protocol = std::string(LiveProtocolName(endpoint.protocol));
    display = endpoint.Display();
    if (options.idle_timeout.count() == 0) {
      options.idle_timeout = endpoint.protocol == LiveProtocol::kMastodonSse
                                 ? std::chrono::milliseconds(60'000)
                                 : std::chrono::milliseconds(30'000);
    }
    if (endpoint.protocol == LiveProtocol::kJetstream) {
      resume.emplace(endpoint.cursor, options.jetstream_rewind_us);
    }
    boost::system::error_code ec;
    ssl_ctx.set_default_verify_paths(ec);  // without a trust store every certificate fails
    if (ec) log::warn("source {}: no system certificates: {}", display, ec.message());
    ssl_ctx.set_verify_mode(options.verify_peer ? asio::ssl::verify_peer : asio::ssl::verify_none);
    chunk.resize(kReadChunk);
  }

  LiveSourceOptions options;
  LiveEndpoint endpoint;
  const std::atomic<bool>* stop;
  std::string display;
  LiveSourceStats stats;
  ReconnectBackoff backoff;
  std::optional<JetstreamResume> resume;
  SseParser sse;
  std::string partial_line;       // x-stream: bytes after the last newline
  bool partial_too_long = false;  // ... and it exceeds max_line_bytes
  uint64_t partial_length = 0;
  bool partial_ends_cr = false;  // ... and its last byte so far is '\r'
  std::deque<Pending> ready;     // messages received, not yet returned by Next
  Pending current;
  uint64_t line_no = 0;
  uint64_t offset = 0;
  std::vector<char> chunk;
  bool started = false;
  bool ever_connected = false;
  // Last: destroyed first, with the coroutine frames that refer to the members above.
  asio::ssl::context ssl_ctx{asio::ssl::context::tls_client};
  asio::io_context ioc{1};

  awaitable<void> Run();
  awaitable<Outcome> Attempt();
  awaitable<std::optional<Outcome>> ConnectTcp(beast::tcp_stream& s,
                                               const tcp::resolver::results_type& at);
  awaitable<std::optional<Outcome>> ConnectTls(TlsStream& s, const tcp::resolver::results_type& at);
  template <class Ws>
  awaitable<Outcome> WebSocketSession(Ws& ws);
  template <class Stream>
  awaitable<Outcome> HttpSession(Stream& stream);

  void Established();
  void Deliver(std::string text, uint64_t length, bool too_long);
  void FeedLines(std::string_view bytes);
  void FeedSse(std::string_view bytes);
  void ConnectionEnded();
};

void LiveLineReader::Impl::Established() {
  backoff.Connected();
  stats.connected.store(1, std::memory_order_relaxed);
  stats.connections.fetch_add(1, std::memory_order_relaxed);
  if (ever_connected) {
    log::info("source {}: reconnected{}", display,
              resume && resume->ResumeCursor() > 0
                  ? fmt::format(" (cursor {})", resume->ResumeCursor())
                  : std::string());
  } else {
    log::info("source {}: connected", display);
  }
  ever_connected = true;
}

void LiveLineReader::Impl::Deliver(std::string text, uint64_t length, bool too_long) {
  stats.bytes.fetch_add(length, std::memory_order_relaxed);
  stats.last_message_us.store(NowMicros(), std::memory_order_relaxed);
  if (resume && !too_long) {
    if (!resume->Accept(text)) {
      stats.duplicates.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    stats.cursor.store(resume->cursor(), std::memory_order_relaxed);
  }
  stats.messages.fetch_add(1, std::memory_order_relaxed);
  ready.push_back(Pending{std::move(text), length, too_long});
}

void LiveLineReader::Impl::FeedLines(std::string_view bytes) {
  while (!bytes.empty()) {
    const size_t nl = bytes.find('\n');
    std::string_view piece = bytes.substr(0, nl);
    partial_length += piece.size();
    if (!piece.empty()) partial_ends_cr = piece.back() == '\r';
    if (!partial_too_long) {
      if (partial_line.size() + piece.size() > options.max_line_bytes) {
        partial_line.append(piece.substr(0, options.max_line_bytes - partial_line.size()));
        partial_too_long = true;
      } else {
        partial_line.append(piece);
      }
    }
    if (nl == std::string_view::npos) return;
    bytes.remove_prefix(nl + 1);
    if (partial_ends_cr) {  // CRLF: the CR is not part of the line
      if (!partial_too_long) partial_line.pop_back();
      --partial_length;
    }
    if (partial_length == 0) {
      stats.keepalives.fetch_add(1, std::memory_order_relaxed);
    } else {
      Deliver(std::move(partial_line), partial_length, partial_too_long);
    }
    partial_line.clear();
    partial_length = 0;
    partial_too_long = false;
    partial_ends_cr = false;
  }
}

void LiveLineReader::Impl::FeedSse(std::string_view bytes) {
  const uint64_t comments = sse.comments();
  sse.Feed(bytes, [this](const SseEvent& e) {
    std::string record = "{\"_source_host\":";
    JsonWriter::AppendQuoted(&record, endpoint.host);
    record += ",\"event\":";
    JsonWriter::AppendQuoted(&record, e.type);
    record += ",\"payload\":";
    JsonWriter::AppendQuoted(&record, e.data);
    record += '}';
    // An event over the limit arrives cut (SseParser keeps its first bytes); its length counts
    // the rest too (unescaped).
    const uint64_t length = record.size() + (e.length - e.data.size());
    if (e.truncated || length > options.max_line_bytes) {
      if (record.size() > options.max_line_bytes) record.resize(options.max_line_bytes);
      Deliver(std::move(record), length, /*too_long=*/true);
    } else {
      Deliver(std::move(record), length, /*too_long=*/false);
    }
  });
  stats.keepalives.fetch_add(sse.comments() - comments, std::memory_order_relaxed);
}

void LiveLineReader::Impl::ConnectionEnded() {
  stats.connected.store(0, std::memory_order_relaxed);
  sse.Reset();  // an event cut off by the drop is never delivered half
  partial_line.clear();
  partial_length = 0;
  partial_too_long = false;
  partial_ends_cr = false;
}

awaitable<std::optional<Outcome>> LiveLineReader::Impl::ConnectTcp(
    beast::tcp_stream& s, const tcp::resolver::results_type& at) {
  beast::error_code ec;
  s.expires_after(options.connect_timeout);
  co_await s.async_connect(at, Await(ec));
  if (ec) co_return Network("connect", ec);
  co_return std::nullopt;
}

awaitable<std::optional<Outcome>> LiveLineReader::Impl::ConnectTls(
    TlsStream& s, const tcp::resolver::results_type& at) {
  if (!SSL_set_tlsext_host_name(s.native_handle(), endpoint.host.c_str())) {
    co_return Outcome{Failure::kNetwork, "TLS: cannot set the server name"};
  }
  if (options.verify_peer) {
    s.set_verify_callback(asio::ssl::host_name_verification(endpoint.host));
  }
  if (std::optional<Outcome> failed = co_await ConnectTcp(beast::get_lowest_layer(s), at)) {
    co_return failed;
  }
  beast::error_code ec;
  co_await s.async_handshake(asio::ssl::stream_base::client, Await(ec));
  if (ec) co_return Network("TLS handshake", ec);
  co_return std::nullopt;
}

template <class Ws>
awaitable<Outcome> LiveLineReader::Impl::WebSocketSession(Ws& ws) {
  beast::error_code ec;
  beast::get_lowest_layer(ws).expires_never();  // the websocket timeouts take over
  websocket::stream_base::timeout timeouts;
  timeouts.handshake_timeout = options.connect_timeout;
  timeouts.idle_timeout = options.idle_timeout;
  timeouts.keep_alive_pings = true;
  ws.set_option(timeouts);
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::request_type& req) { req.set(bhttp::field::user_agent, kUserAgent); }));
  ws.read_message_max(0);  // long messages are cut in FeedMessage, not refused
  websocket::response_type response;
  const std::string target = endpoint.Target(resume ? resume->ResumeCursor() : 0);
  co_await ws.async_handshake(response, endpoint.HostHeader(), target, Await(ec));
  if (ec) {
    if (ec == websocket::error::upgrade_declined && response.result_int() != 101) {
      co_return Refused(static_cast<int>(response.result_int()), std::string(response.reason()));
    }
    co_return Network("WebSocket handshake", ec);
  }
  Established();
  beast::flat_buffer buffer;
  std::string message;
  uint64_t length = 0;
  bool too_long = false;
  for (;;) {
    const size_t n = co_await ws.async_read_some(buffer, kReadChunk, Await(ec));
    if (ec) {
      if (ec == websocket::error::closed) {
        co_return Outcome{Failure::kDropped,
                          fmt::format("closed by the server ({})", ws.reason().code)};
      }
      co_return Outcome{Failure::kDropped, fmt::format("read: {}", ec.message())};
    }
    std::string_view data(static_cast<const char*>(buffer.data().data()), n);
    length += n;
    if (!too_long) {
      if (message.size() + n > options.max_line_bytes) {
        message.append(data.substr(0, options.max_line_bytes - message.size()));
        too_long = true;
      } else {
        message.append(data);
      }
    }
    buffer.consume(n);
    if (ws.is_message_done()) {
      Deliver(std::move(message), length, too_long);
      message.clear();
      length = 0;
      too_long = false;
    }
  }
}

template <class Stream>
awaitable<Outcome> LiveLineReader::Impl::HttpSession(Stream& stream) {
  beast::error_code ec;
  const bool sse_protocol = endpoint.protocol == LiveProtocol::kMastodonSse;
  bhttp::request<bhttp::empty_body> request{bhttp::verb::get, endpoint.Target(), 11};
  request.set(bhttp::field::host, endpoint.HostHeader());
  request.set(bhttp::field::user_agent, kUserAgent);
  request.set(bhttp::field::accept, sse_protocol ? "text/event-stream" : "application/json");
  if (sse_protocol) request.set(bhttp::field::cache_control, "no-cache");
  if (!options.token.empty()) request.set(bhttp::field::authorization, "Bearer " + options.token);
  beast::get_lowest_layer(stream).expires_after(options.connect_timeout);
  co_await bhttp::async_write(stream, request, Await(ec));
  if (ec) co_return Network("send request", ec);

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::buffer_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());  // a stream has no end
  co_await bhttp::async_read_header(stream, buffer, parser, Await(ec));
  if (ec) co_return Network("read response", ec);
  const int status = static_cast<int>(parser.get().result_int());
  if (status != 200) {
    std::string reason(parser.get().reason());
    if (status >= 300 && status < 400) {
      reason += fmt::format(" to {} (give the final URL as --source)",
                            std::string(parser.get()[bhttp::field::location]));
    }
    co_return Refused(status, reason);
  }
  Established();
  for (;;) {
    if (parser.is_done()) co_return Outcome{Failure::kDropped, "the server ended the stream"};
    beast::get_lowest_layer(stream).expires_after(options.idle_timeout);
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    co_await bhttp::async_read_some(stream, buffer, parser, Await(ec));
    if (ec == bhttp::error::need_buffer) ec = {};
    const size_t n = chunk.size() - parser.get().body().size;
    if (n > 0) {
      std::string_view bytes(chunk.data(), n);
      if (sse_protocol) {
        FeedSse(bytes);
      } else {
        FeedLines(bytes);
      }
    }
    if (ec == beast::error::timeout) {
      co_return Outcome{
          Failure::kDropped,
          fmt::format(
              "nothing received for {} s",
              std::chrono::duration_cast<std::chrono::seconds>(options.idle_timeout).count())};
    }
    if (ec) co_return Outcome{Failure::kDropped, fmt::format("read: {}", ec.message())};
  }
}

awaitable<Outcome> LiveLineReader::Impl::Attempt() {
  beast::error_code ec;
  tcp::resolver resolver(ioc);
  const tcp::resolver::results_type at =
      co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port), Await(ec));
  if (ec) co_return Network("resolve " + endpoint.host, ec);
  if (endpoint.protocol == LiveProtocol::kJetstream) {
    if (endpoint.tls) {
      websocket::stream<TlsStream> ws(ioc, ssl_ctx);
      if (auto failed = co_await ConnectTls(ws.next_layer(), at)) co_return *failed;
      co_return co_await WebSocketSession(ws);
    }
    websocket::stream<beast::tcp_stream> ws(ioc);
    if (auto failed = co_await ConnectTcp(ws.next_layer(), at)) co_return *failed;
    co_return co_await WebSocketSession(ws);
  }
  if (endpoint.tls) {
    TlsStream s(ioc, ssl_ctx);
    if (auto failed = co_await ConnectTls(s, at)) co_return *failed;
    co_return co_await HttpSession(s);
  }
  beast::tcp_stream s(ioc);
  if (auto failed = co_await ConnectTcp(s, at)) co_return *failed;
  co_return co_await HttpSession(s);
}

awaitable<void> LiveLineReader::Impl::Run() {
  asio::steady_timer timer(ioc);
  for (bool first = true;; first = false) {
    if (!first) stats.reconnects.fetch_add(1, std::memory_order_relaxed);
    Outcome outcome = co_await Attempt();
    ConnectionEnded();
    switch (outcome.failure) {
      case Failure::kNetwork:
        stats.network_errors.fetch_add(1, std::memory_order_relaxed);
        break;
      case Failure::kHttp:
        stats.http_errors.fetch_add(1, std::memory_order_relaxed);
        break;
      case Failure::kRateLimited:
        stats.rate_limited.fetch_add(1, std::memory_order_relaxed);
        break;
      case Failure::kDropped:
        break;
    }
    if (outcome.status != 0) stats.last_http_status.store(outcome.status);
    const std::chrono::milliseconds wait = backoff.Next(outcome.failure);
    stats.retry_delay_ms.store(wait.count(), std::memory_order_relaxed);
    log::warn("source {}: {}; reconnecting in {} ms", display, outcome.reason, wait.count());
    beast::error_code ec;
    timer.expires_after(wait);
    co_await timer.async_wait(Await(ec));
    stats.retry_delay_ms.store(0, std::memory_order_relaxed);
  }
}

LiveLineReader::LiveLineReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LiveLineReader::~LiveLineReader() = default;

absl::StatusOr<std::unique_ptr<LiveLineReader>> LiveLineReader::Open(
    LiveSourceOptions options, const std::atomic<bool>* stop) {
  REACH_ASSIGN_OR_RETURN(LiveEndpoint endpoint,
                         ParseLiveEndpoint(options.source, options.wanted_collections));
  if (options.max_line_bytes == 0) return absl::InvalidArgumentError("max_line_bytes must be > 0");
  auto impl = std::make_unique<Impl>(std::move(options), std::move(endpoint), stop);
  return std::unique_ptr<LiveLineReader>(new LiveLineReader(std::move(impl)));
}

absl::StatusOr<bool> LiveLineReader::Next(Line* line) {
  Impl& m = *impl_;
  while (m.ready.empty()) {
    if (m.stop != nullptr && m.stop->load(std::memory_order_relaxed)) return false;
    if (!m.started) {
      m.started = true;
      asio::co_spawn(m.ioc, m.Run(), asio::detached);
    }
    try {
      if (m.ioc.stopped()) m.ioc.restart();
      m.ioc.run_one_for(std::chrono::milliseconds(100));
    } catch (const std::exception& e) {
      return absl::InternalError(fmt::format("source {}: {}", m.display, e.what()));
    }
  }
  m.current = std::move(m.ready.front());
  m.ready.pop_front();
  line->text = m.current.text;
  line->too_long = m.current.too_long;
  line->length = m.current.length;
  line->position.source = m.display;
  line->position.line = ++m.line_no;
  line->position.offset = m.offset;
  m.offset += m.current.length;
  return true;
}

uint64_t LiveLineReader::bytes_read() const {
  return impl_->stats.bytes.load(std::memory_order_relaxed);
}

bool LiveLineReader::HasBufferedLine() const { return !impl_->ready.empty(); }

const LiveSourceStats& LiveLineReader::stats() const { return impl_->stats; }

}  // namespace reach::ingest
