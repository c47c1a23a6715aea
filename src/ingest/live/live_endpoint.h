// LiveEndpoint: what a live `--source` names — which protocol, which server, which request — and
// the request target of each (re)connection.
//
//   jetstream+wss://jetstream2.us-east.bsky.network/subscribe?wantedCollections=app.bsky.feed.post
//   mastodon-sse+https://mastodon.social/api/v1/streaming/public
//   x-stream+https://api.x.com/2/tweets/search/stream
//
// The part after "+" is an ordinary URL: wss/https use TLS (port 443 by default), ws/http do not
// (port 80), for local servers and tests. ParseLiveEndpoint checks the scheme, host and port and
// returns InvalidArgument naming what is wrong; IsLiveSource tells a live source from a file path.
//
// Jetstream: `wanted_collections` (from --wanted-collections) are added to the query as repeated
// wantedCollections parameters; Target(cursor) replaces any cursor parameter with the given one
// (0 keeps the URL's own), which is how a reconnect resumes. X: a query without tweet.fields gets
// the fields and expansions the twitter-v2 decoder reads (created_at, author, references, public
// metrics), so a bare stream URL yields complete posts.
//
// Pure value type; no I/O.
#ifndef REACH_INGEST_LIVE_LIVE_ENDPOINT_H_
#define REACH_INGEST_LIVE_LIVE_ENDPOINT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace reach::ingest {

enum class LiveProtocol { kJetstream, kMastodonSse, kXStream };

// "jetstream", "mastodon-sse", "x-stream".
std::string_view LiveProtocolName(LiveProtocol p);

struct LiveEndpoint {
  LiveProtocol protocol = LiveProtocol::kJetstream;
  bool tls = false;
  std::string host;
  uint16_t port = 0;
  std::string path;  // "/subscribe"
  // Query parameters in order, without the cursor (kept apart in `cursor`). Values are kept as
  // written (already URL-encoded).
  std::vector<std::pair<std::string, std::string>> query;
  int64_t cursor = 0;   // Jetstream: the cursor= of the URL, 0 when none
  std::string display;  // the source as given (plus --wanted-collections), access_token masked

  // host, or host:port when the port is not the scheme's default (the Host header).
  [[nodiscard]] std::string HostHeader() const;
  // path?query for the request line; for Jetstream with cursor= the given cursor (0 = the URL's
  // own cursor, if any).
  [[nodiscard]] std::string Target(int64_t cursor = 0) const;
  // The source as shown in logs and dead-letter positions: the URL as given with the Jetstream
  // collections, without the X fields added by default and with an access_token parameter masked.
  [[nodiscard]] const std::string& Display() const { return display; }
};

// True when `source` starts with one of the live schemes ("jetstream+", "mastodon-sse+",
// "x-stream+").
bool IsLiveSource(std::string_view source);

absl::StatusOr<LiveEndpoint> ParseLiveEndpoint(std::string_view source,
                                               const std::vector<std::string>& wanted_collections);

}  // namespace reach::ingest

#endif  // REACH_INGEST_LIVE_LIVE_ENDPOINT_H_
