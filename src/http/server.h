// Server: the asynchronous HTTP/1.1 server for the JSON API, the live event stream (Server-Sent
// Events), /metrics, /healthz and the static dashboard. Routing is in router.h; this type owns the
// sockets, threads, limits and the SSE fan-out.
//
//   Server server(ServerOptions{.listen = "127.0.0.1:0"}, read_model, [] { return Metrics(); });
//   REACH_RETURN_IF_ERROR(server.Start());
//   server.Broadcast("leaderboard", R"({"sequence":42})");
//   ...
//   server.Stop();
//
// Concurrency design: one io_context run by `threads` threads. Each connection runs on its own
// strand, so its handlers never run concurrently; handlers read the engine only through the
// ReadModel, which is safe for concurrent readers. An SSE client holds a bounded queue guarded by a
// mutex: Broadcast() appends under that mutex and posts a write to the client's strand, so it never
// blocks on a socket. A client whose queue is full (it reads too slowly) is disconnected and
// counted as dropped.
//
// Limits: a request header larger than max_header_bytes gets 431, a body larger than max_body_bytes
// 413 (then the connection closes); a connection idle for idle_timeout (no complete request, or a
// response not taken) is closed. Keep-alive and HEAD are supported.
//
// Thread safety: Broadcast, sse_clients, MetricsText and port may be called from any thread at any
// time, also concurrently with Stop. Start and Stop are called by the owner, not concurrently with
// each other. Ownership: the ReadModel and whatever the MetricsProvider refers to must outlive the
// Server (or Stop()). Errors: Start returns InvalidArgument for a malformed address or option and
// Unavailable when the address cannot be bound (in use, not local); nothing else throws or exits.
#ifndef REACH_HTTP_SERVER_H_
#define REACH_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/read_model.h"
#include "http/api_route.h"

namespace reach::http {

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port ("[::1]:8080" for IPv6); port 0 = ephemeral
  std::string web_root;                   // directory of static dashboard files; empty = none
  int threads = 1;
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 1 << 20;
  std::chrono::seconds idle_timeout{30};
  std::chrono::seconds sse_keepalive{15};  // interval of ": keepalive" comments on event streams
  size_t sse_queue_limit = 256;            // queued events per SSE client before it is dropped
  // API routes outside the read model (api_route.h): the planner's, POST /api/ingest.
  std::vector<ApiRoute> routes;
};

// Returns a Prometheus text exposition body. Called on a server thread for each GET /metrics.
using MetricsProvider = std::function<std::string()>;

class Server {
 public:
  Server(ServerOptions options, const engine::ReadModel& model, MetricsProvider metrics);
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listen address and starts the threads.
  [[nodiscard]] absl::Status Start();
  // Closes the listener and all connections and joins the threads. Idempotent.
  void Stop();
  // The bound port (0 before Start).
  [[nodiscard]] uint16_t port() const;

  // Sends `event: <event>\ndata: <data>\n\n` to every client of GET /api/stream (a multi-line data
  // becomes several data: lines). Thread-safe and non-blocking.
  void Broadcast(std::string_view event, std::string_view data);
  [[nodiscard]] size_t sse_clients() const;

  // Prometheus text lines for the server's own counters: requests by status class, open
  // connections, SSE clients, SSE clients dropped for falling behind.
  [[nodiscard]] std::string MetricsText() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Formats one SSE message. Line breaks in `event` are removed; each line of `data` becomes its own
// "data:" field. Exposed for tests.
[[nodiscard]] std::string FormatSseEvent(std::string_view event, std::string_view data);

}  // namespace reach::http

#endif  // REACH_HTTP_SERVER_H_
