// LiveSourceStats: the state of a live network source (Jetstream, Mastodon SSE, X filtered
// stream), written by the client on the ingest thread and read by /metrics from any thread.
//
//   const LiveSourceStats& s = reader->stats();
//   std::string text = LiveMetricsText(s);   // Prometheus text, appended to /metrics
//
// All fields are atomics updated with relaxed ordering: each is exact on its own, a reader may see
// a mix of two moments.
#ifndef REACH_INGEST_LIVE_LIVE_SOURCE_STATS_H_
#define REACH_INGEST_LIVE_LIVE_SOURCE_STATS_H_

#include <atomic>
#include <cstdint>
#include <string>

namespace reach::ingest {

struct LiveSourceStats {
  std::string protocol;  // "jetstream", "mastodon-sse", "x-stream"; set before the client starts
  std::atomic<int64_t> connected{0};         // 1 while a stream is established
  std::atomic<uint64_t> connections{0};      // streams established (HTTP 200 / WS upgrade)
  std::atomic<uint64_t> reconnects{0};       // connection attempts after the first
  std::atomic<uint64_t> network_errors{0};   // DNS, TCP, TLS, read errors and timeouts
  std::atomic<uint64_t> http_errors{0};      // refused with an HTTP status (not 429)
  std::atomic<uint64_t> rate_limited{0};     // refused with HTTP 429
  std::atomic<uint64_t> messages{0};         // messages handed on (lines, SSE events, frames)
  std::atomic<uint64_t> bytes{0};            // payload bytes received
  std::atomic<uint64_t> keepalives{0};       // blank keep-alive lines, SSE comments
  std::atomic<uint64_t> duplicates{0};       // Jetstream replays dropped after a resume
  std::atomic<int64_t> last_message_us{0};   // wall time of the newest message, 0 = none
  std::atomic<int64_t> cursor{0};            // Jetstream: newest time_us handed on
  std::atomic<int64_t> last_http_status{0};  // status of the newest refused attempt
  std::atomic<int64_t> retry_delay_ms{0};    // wait before the pending attempt
};

// Prometheus text exposition of `s` (reach_source_* series labelled with the protocol).
std::string LiveMetricsText(const LiveSourceStats& s);

}  // namespace reach::ingest

#endif  // REACH_INGEST_LIVE_LIVE_SOURCE_STATS_H_
