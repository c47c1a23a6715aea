#include "ingest/live/live_endpoint.h"

#include <array>
#include <charconv>

#include <fmt/format.h>

namespace reach::ingest {
namespace {

struct Scheme {
  std::string_view prefix;
  LiveProtocol protocol;
};
constexpr std::array<Scheme, 3> kSchemes = {{{"jetstream+", LiveProtocol::kJetstream},
                                             {"mastodon-sse+", LiveProtocol::kMastodonSse},
                                             {"x-stream+", LiveProtocol::kXStream}}};

// The fields and expansions the twitter-v2 decoder needs for complete posts and authors.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kXDefaultQuery = {{
    {"tweet.fields",
     "created_at,author_id,public_metrics,referenced_tweets,entities,lang,geo,"
     "in_reply_to_user_id,edit_history_tweet_ids"},
    {"expansions", "author_id,referenced_tweets.id,referenced_tweets.id.author_id"},
    {"user.fields", "created_at,public_metrics,location,verified,username,name"},
}};

absl::Status Bad(std::string_view source, std::string_view what) {
  return absl::InvalidArgumentError(fmt::format("--source {}: {}", source, what));
}

}  // namespace

std::string_view LiveProtocolName(LiveProtocol p) {
  switch (p) {
    case LiveProtocol::kJetstream:
      return "jetstream";
    case LiveProtocol::kMastodonSse:
      return "mastodon-sse";
    case LiveProtocol::kXStream:
      return "x-stream";
  }
  return "unknown";
}

bool IsLiveSource(std::string_view source) {
  for (const Scheme& s : kSchemes) {
    if (source.substr(0, s.prefix.size()) == s.prefix) return true;
  }
  return false;
}

std::string LiveEndpoint::HostHeader() const {
  const uint16_t default_port = tls ? 443 : 80;
  return port == default_port ? host : fmt::format("{}:{}", host, port);
}

std::string LiveEndpoint::Target(int64_t resume_cursor) const {
  std::string out = path;
  char sep = '?';
  for (const auto& [key, value] : query) {
    out += sep;
    out += key;
    out += '=';
    out += value;
    sep = '&';
  }
  const int64_t c = resume_cursor != 0 ? resume_cursor : cursor;
  if (protocol == LiveProtocol::kJetstream && c > 0) out += fmt::format("{}cursor={}", sep, c);
  return out;
}

namespace {

std::string MakeDisplay(const LiveEndpoint& e) {
  std::string out = fmt::format(
      "{}+{}://{}", LiveProtocolName(e.protocol),
      e.protocol == LiveProtocol::kJetstream ? (e.tls ? "wss" : "ws") : (e.tls ? "https" : "http"),
      e.HostHeader());
  out += e.path;
  char sep = '?';
  for (const auto& [key, value] : e.query) {
    out += sep;
    out += key;
    out += '=';
    out += key == "access_token" ? std::string_view("***") : std::string_view(value);
    sep = '&';
  }
  return out;
}

}  // namespace

absl::StatusOr<LiveEndpoint> ParseLiveEndpoint(std::string_view source,
                                               const std::vector<std::string>& wanted_collections) {
  LiveEndpoint e;
  std::string_view rest;
  bool found = false;
  for (const Scheme& s : kSchemes) {
    if (source.substr(0, s.prefix.size()) == s.prefix) {
      e.protocol = s.protocol;
      rest = source.substr(s.prefix.size());
      found = true;
      break;
    }
  }
  if (!found) return Bad(source, "not a live source (jetstream+, mastodon-sse+, x-stream+)");
  const size_t colon = rest.find("://");
  if (colon == std::string_view::npos) return Bad(source, "expected a URL after the scheme");
  const std::string_view url_scheme = rest.substr(0, colon);
  rest.remove_prefix(colon + 3);
  if (e.protocol == LiveProtocol::kJetstream) {
    if (url_scheme != "wss" && url_scheme != "ws")
      return Bad(source, "Jetstream needs wss:// or ws://");
    e.tls = url_scheme == "wss";
  } else {
    if (url_scheme != "https" && url_scheme != "http") {
      return Bad(source, "needs https:// or http://");
    }
    e.tls = url_scheme == "https";
  }
  const size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  std::string_view path_query = slash == std::string_view::npos ? "/" : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) {
    return Bad(source, "credentials in the URL are not supported (use --source-token)");
  }
  e.port = e.tls ? 443 : 80;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Bad(source, "unterminated IPv6 address");
    e.host = std::string(authority.substr(1, close - 1));
    authority.remove_prefix(close + 1);
    if (!authority.empty() && authority.front() != ':') return Bad(source, "bad host");
  } else {
    const size_t port_at = authority.rfind(':');
    e.host = std::string(authority.substr(0, port_at));
    authority = port_at == std::string_view::npos ? std::string_view() : authority.substr(port_at);
  }
  if (!authority.empty()) {  // ":port"
    std::string_view digits = authority.substr(1);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || value == 0 ||
        value > 65535) {
      return Bad(source, "bad port");
    }
    e.port = static_cast<uint16_t>(value);
  }
  if (e.host.empty()) return Bad(source, "missing host");

  const size_t q = path_query.find('?');
  e.path = std::string(path_query.substr(0, q));
  if (e.path.empty()) e.path = "/";
  if (path_query.find('#') != std::string_view::npos)
    return Bad(source, "a fragment is not allowed");
  if (q != std::string_view::npos) {
    std::string_view query = path_query.substr(q + 1);
    while (!query.empty()) {
      const size_t amp = query.find('&');
      std::string_view item = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
      if (item.empty()) continue;
      const size_t eq = item.find('=');
      std::string key(item.substr(0, eq));
      std::string value(eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1));
      if (e.protocol == LiveProtocol::kJetstream && key == "cursor") {
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), e.cursor);
        if (value.empty() || ec != std::errc() || end != value.data() + value.size() ||
            e.cursor < 0) {
          return Bad(source, "cursor must be a time in microseconds");
        }
        continue;
      }
      e.query.emplace_back(std::move(key), std::move(value));
    }
  }
  if (e.protocol == LiveProtocol::kJetstream) {
    for (const std::string& c : wanted_collections) {
      if (c.empty()) continue;
      if (c.find_first_of("&=?# ") != std::string::npos) {
        return Bad(source, "bad collection name in --wanted-collections: " + c);
      }
      e.query.emplace_back("wantedCollections", c);
    }
  } else if (!wanted_collections.empty()) {
    return Bad(source, "--wanted-collections applies to Jetstream sources only");
  }
  e.display = MakeDisplay(e);
  if (e.protocol == LiveProtocol::kXStream) {
    bool has_fields = false;
    for (const auto& kv : e.query) has_fields |= kv.first == "tweet.fields";
    if (!has_fields) {
      for (const auto& [k, v] : kXDefaultQuery) e.query.emplace_back(k, v);
    }
  }
  return e;
}

}  // namespace reach::ingest
