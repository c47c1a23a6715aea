// Router: turns one parsed HTTP request into one response. It owns no sockets, so it is tested and
// fuzzed without a network; the Server calls it on the connection's strand.
//
// Routes (GET; HEAD is the same without a body; anything else is 405 with "Allow: GET, HEAD"):
//   /api/influencers?window=15m|1h|24h|all&limit=1..1000&offset=0..1000000  -> leaderboard JSON
//                          &topic=  (optional; "%23tag" or "tag", normalised as for /api/topics)
//                          -> the topic ranking: accounts by engagement on their posts carrying
//                          the topic in the window; a topic never engaged with -> 404
//   /api/users/{id}        {id} a decimal uint64, else 400 naming "id"; unknown user -> 404
//   /api/users/{id}/audience?window=          (default all)   -> the audience's countries
//   /api/users/{id}/cascades?window=&limit=1..100 (default all, 10) -> the user's largest and
//                          deepest cascades started in the window (summaries, no nodes)
//   /api/cascades/{post}?limit=0..100000      (default 5000)  -> the cascade tree the post is in
//                          (its root's, when the post is a reshare or quote), nodes cut to limit;
//                          {post} a decimal uint64, else 400 naming "post"; unknown post -> 404
//   /api/topics/trending?window=&limit=1..100 (default all, 20) -> topics, sentiment, countries
//   /api/topics/{topic}?window=               (default all)   -> one topic's detail; {topic} is
//                          percent-decoded, a leading '#' removed, case-folded (so "%23Trending"
//                          reaches the topic "trending"); empty or over 140 bytes -> 400 naming
//                          "topic"; a topic the model does not know -> 404
//   /api/sentiment?topic=&window=&bucket=     (default all posts, 24h, the window's resolution)
//                          -> volume and sentiment series; bucket "300", "5m", "1h", "1d"; a
//                          bucket the model cannot serve (not a multiple of its resolution) -> 400
//                          naming "bucket"
//   /api/alerts?limit=1..100                  (default 20)   -> spike alerts, newest first
//   /api/geo?window=                          (default all)  -> countries of the window
//   /api/stream            Server-Sent Events: the Router only validates and sets open_stream
//   registered ApiRoutes   (api_route.h, e.g. POST/GET /api/plans) with their own methods
//   /healthz               {"status":"ok"}
//   /metrics               Prometheus text: the metrics provider's body
//   POST /api/ingest       when registered (MakeIngestRoute, api_route.h): NDJSON body into the
//                          ingest pipeline; 401 without the bearer token or with a wrong one
//   other /api/...         404 JSON error
//   anything else          a static file from the web root ("/" -> index.html)
// Parameter errors are 400 {"error":{"code":"invalid_argument","message":..,"parameter":..}}: an
// unknown or repeated parameter, a bad window, a non-integer or out-of-range limit/offset, a bad
// percent-escape, a bad topic or bucket. Model errors map through MapStatus (status_mapping.h);
// a model that cannot answer a route (Unimplemented) gives 501. Every response carries
// Content-Type and "X-Content-Type-Options: nosniff"; /api, /healthz and /metrics responses carry
// "Cache-Control: no-store"; 4xx/5xx under /api have JSON bodies, elsewhere plain text.
//
// Thread safety: Route() is const and may run concurrently from any thread; the ReadModel must
// allow that (it does by contract) and so must the metrics provider. The Router keeps a reference
// to the model, which must outlive it. Route() never throws on bad input.
#ifndef REACH_HTTP_ROUTER_H_
#define REACH_HTTP_ROUTER_H_

#include <utility>  // before Boost headers (project convention)

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "engine/read_model.h"
#include "http/api_route.h"
#include "http/query.h"
#include "http/static_files.h"
#include "http/status_mapping.h"

namespace reach::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

inline constexpr int kMaxLimit = 1000;
inline constexpr int kMaxOffset = 1000000;
inline constexpr int kMaxTopicsLimit = 100;
inline constexpr int kDefaultTopicsLimit = 20;
inline constexpr int kMaxAlertsLimit = 100;
inline constexpr int kDefaultAlertsLimit = 20;
inline constexpr int kDefaultCascadeNodes = 5000;
inline constexpr int kMaxCascadeNodes = 100000;
inline constexpr int kDefaultUserCascades = 10;
inline constexpr int kMaxUserCascades = 100;

struct RouteResult {
  Response response;
  // True for a valid GET /api/stream: the caller switches the connection to an event stream and
  // does not send `response`.
  bool open_stream = false;
};

class Router {
 public:
  Router(const engine::ReadModel& model, std::string web_root,
         std::function<std::string()> metrics_text, std::vector<ApiRoute> routes = {});

  [[nodiscard]] RouteResult Route(const Request& req) const;

  // A complete error response (JSON body when `api`, else plain text) for `version` (10 or 11).
  [[nodiscard]] static Response ErrorResponse(const HttpError& error, unsigned version, bool api,
                                              bool keep_alive);

 private:
  // API handlers: the JSON body, or the error to reply with.
  absl::StatusOr<std::string> Leaderboard(const QueryParams& q) const;
  // /api/users/{rest}: the profile, or the audience when rest is "{id}/audience".
  absl::StatusOr<std::string> User(const QueryParams& q, std::string_view rest) const;
  absl::StatusOr<std::string> Audience(const QueryParams& q, UserId id) const;
  absl::StatusOr<std::string> UserCascades(const QueryParams& q, UserId id) const;
  absl::StatusOr<std::string> Cascade(const QueryParams& q, std::string_view post_text) const;
  absl::StatusOr<std::string> Trending(const QueryParams& q) const;
  absl::StatusOr<std::string> Topic(const QueryParams& q, std::string_view topic_text) const;
  absl::StatusOr<std::string> Sentiment(const QueryParams& q) const;
  absl::StatusOr<std::string> Alerts(const QueryParams& q) const;
  absl::StatusOr<std::string> Geo(const QueryParams& q) const;
  absl::StatusOr<std::string> Graph(const QueryParams& q, bool network) const;
  Response Static(const QueryParams& q, unsigned version) const;
  // A registered ApiRoute for the request, if its path matches one.
  [[nodiscard]] const ApiRoute* FindRoute(std::string_view path) const;
  RouteResult RouteExtra(const Request& req, const QueryParams& q, const ApiRoute& route) const;

  const engine::ReadModel& model_;
  StaticFiles static_files_;
  std::function<std::string()> metrics_text_;
  std::vector<ApiRoute> routes_;

  // The JSON of recent leaderboard answers, keyed by snapshot sequence and query: many clients
  // polling the same page between two publishes share one serialization.
  struct CachedBoard {
    uint64_t sequence = 0;  // 0 = empty slot
    engine::Window window = engine::Window::kAll;
    int limit = 0;
    int offset = 0;
    std::string country;
    std::shared_ptr<const std::string> body;
  };
  static constexpr size_t kBoardCacheSize = 8;
  mutable std::mutex board_cache_mu_;
  mutable std::array<CachedBoard, kBoardCacheSize> board_cache_;
  mutable size_t board_cache_next_ = 0;
};

}  // namespace reach::http

#endif  // REACH_HTTP_ROUTER_H_
