// LiveLineReader: a LineReader over a live network stream that reconnects by itself.
//
//   jetstream+wss://HOST/subscribe        Bluesky Jetstream over WebSocket; each text message is
//                                         one line for the bluesky-jetstream decoder. A reconnect
//                                         resumes with cursor= (JetstreamResume: 5 s of overlap,
//                                         the replayed events dropped), so nothing is lost or
//                                         counted twice.
//   mastodon-sse+https://HOST/api/v1/streaming/public
//                                         Mastodon streaming API over Server-Sent Events with a
//                                         bearer access token; each event becomes one line
//                                         {"_source_host":HOST,"event":TYPE,"payload":"DATA"} for
//                                         the mastodon decoder (update, status.update, delete;
//                                         other events are counted there as other_event).
//   x-stream+https://api.x.com/2/tweets/search/stream
//                                         X API v2 filtered stream with a bearer token; each
//                                         non-blank line is one response for the twitter-v2
//                                         decoder; blank keep-alive lines are counted.
//
// ws:// and http:// work the same without TLS (local servers, tests). TLS uses OpenSSL with the
// system trust store (OpenSSL honours SSL_CERT_FILE / SSL_CERT_DIR), SNI and host-name
// verification. Reconnects follow ReconnectBackoff (X's documented schedule). A stream silent for
// the idle timeout is treated as dropped (Jetstream: WebSocket pings after half of it).
//
//   LiveSourceOptions o;
//   o.source = "jetstream+wss://jetstream2.us-east.bsky.network/subscribe";
//   auto reader = LiveLineReader::Open(o, &stop);     // InvalidArgument for a bad URL
//   while (*(*reader)->Next(&line)) decode(line.text);  // blocks until a message or stop
//
// Threading: one io_context, driven by the thread that calls Next() (the ingest thread), so the
// network is read only as fast as the records are consumed (TCP back-pressure). stats() may be
// read from any thread. Next() returns false (end of input) once *stop is set, within 100 ms. It
// never returns an error for network trouble: the client retries for ever and reports its state
// in stats().
#ifndef REACH_INGEST_LIVE_LIVE_LINE_READER_H_
#define REACH_INGEST_LIVE_LIVE_LINE_READER_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/line_reader.h"
#include "ingest/live/live_source_stats.h"

namespace reach::ingest {

struct LiveSourceOptions {
  std::string source;                           // "jetstream+wss://...", see above
  std::vector<std::string> wanted_collections;  // Jetstream wantedCollections (added to the URL)
  std::string token;                            // bearer token: Mastodon access token, X bearer
  // A stream that sends nothing for this long is dropped and reconnected; 0 = the protocol's
  // default (Jetstream 30 s with pings, Mastodon 60 s, X 30 s: it sends a keep-alive every 20 s).
  std::chrono::milliseconds idle_timeout{0};
  std::chrono::milliseconds connect_timeout{10'000};  // DNS + TCP + TLS + HTTP/WS handshake
  int64_t jetstream_rewind_us = 5'000'000;            // overlap asked for on a resume
  uint64_t max_line_bytes = 8 << 20;                  // longer messages are reported too_long
  bool verify_peer = true;                            // TLS certificate and host-name checks
};

class LiveLineReader final : public LineReader {
 public:
  // Checks the URL and prepares the client; connects on the first Next(). `stop` may be null.
  static absl::StatusOr<std::unique_ptr<LiveLineReader>> Open(LiveSourceOptions options,
                                                              const std::atomic<bool>* stop);
  ~LiveLineReader() override;

  absl::StatusOr<bool> Next(Line* line) override;
  [[nodiscard]] uint64_t bytes_read() const override;
  [[nodiscard]] uint64_t bytes_total() const override { return 0; }
  [[nodiscard]] bool HasBufferedLine() const override;

  [[nodiscard]] const LiveSourceStats& stats() const;

 private:
  struct Impl;
  explicit LiveLineReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace reach::ingest

#endif  // REACH_INGEST_LIVE_LIVE_LINE_READER_H_
