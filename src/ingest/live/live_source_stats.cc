#include "ingest/live/live_source_stats.h"

#include <iterator>

#include <fmt/format.h>

namespace reach::ingest {

std::string LiveMetricsText(const LiveSourceStats& s) {
  std::string out;
  auto add = [&](std::string_view name, std::string_view type, std::string_view help, auto value) {
    fmt::format_to(std::back_inserter(out),
                   "# HELP {0} {1}\n# TYPE {0} {2}\n{0}{{source=\"{3}\"}} {4}\n", name, help, type,
                   s.protocol, value);
  };
  add("reach_source_connected", "gauge", "1 while the live source's stream is established.",
      s.connected.load());
  add("reach_source_connections_total", "counter", "Streams established.", s.connections.load());
  add("reach_source_reconnects_total", "counter", "Connection attempts after the first.",
      s.reconnects.load());
  out +=
      "# HELP reach_source_connect_errors_total Failed or dropped connections, by kind.\n"
      "# TYPE reach_source_connect_errors_total counter\n";
  fmt::format_to(std::back_inserter(out),
                 "reach_source_connect_errors_total{{source=\"{0}\",kind=\"network\"}} {1}\n"
                 "reach_source_connect_errors_total{{source=\"{0}\",kind=\"http\"}} {2}\n"
                 "reach_source_connect_errors_total{{source=\"{0}\",kind=\"rate_limited\"}} {3}\n",
                 s.protocol, s.network_errors.load(), s.http_errors.load(), s.rate_limited.load());
  add("reach_source_messages_total", "counter", "Messages received and handed to the decoder.",
      s.messages.load());
  add("reach_source_bytes_total", "counter", "Payload bytes received.", s.bytes.load());
  add("reach_source_keepalives_total", "counter", "Keep-alive lines and SSE comments received.",
      s.keepalives.load());
  add("reach_source_duplicates_total", "counter",
      "Replayed messages dropped after a resume (Jetstream).", s.duplicates.load());
  add("reach_source_last_message_timestamp_seconds", "gauge",
      "Wall time the newest message arrived (0 = none yet).",
      static_cast<double>(s.last_message_us.load()) / 1e6);
  add("reach_source_cursor", "gauge", "Jetstream cursor: time_us of the newest message handed on.",
      s.cursor.load());
  add("reach_source_last_http_status", "gauge", "HTTP status of the newest refused attempt.",
      s.last_http_status.load());
  add("reach_source_retry_delay_seconds", "gauge", "Wait before the pending reconnect.",
      static_cast<double>(s.retry_delay_ms.load()) / 1e3);
  return out;
}

}  // namespace reach::ingest
