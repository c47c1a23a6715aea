#include "http/router.h"

#include <cctype>

#include <charconv>
#include <cstdint>
#include <exception>

#include <fmt/format.h>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include "common/log.h"
#include "http/json_views.h"
#include "http/params.h"

namespace reach::http {
namespace bhttp = boost::beast::http;
namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kText = "text/plain; charset=utf-8";
constexpr std::string_view kPrometheus = "text/plain; version=0.0.4; charset=utf-8";
constexpr std::string_view kUsersPrefix = "/api/users/";
constexpr std::string_view kTopicsPrefix = "/api/topics/";
constexpr std::string_view kAudienceSuffix = "audience";
constexpr std::string_view kCascadesSuffix = "cascades";
constexpr std::string_view kCascadesPrefix = "/api/cascades/";

// A decimal uint64 path segment, else 400 naming `name`.
absl::StatusOr<uint64_t> ParseIdSegment(std::string_view text, std::string_view name) {
  uint64_t id = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, id);
  if (text.empty() || text.front() == '+' || ec != std::errc() || ptr != end) {
    return InvalidParameterError(name,
                                 fmt::format("{} must be a decimal unsigned 64-bit integer", name));
  }
  return id;
}

// Beast 1.74 uses boost::string_view; these convert at the boundary.
boost::beast::string_view Bsv(std::string_view s) { return {s.data(), s.size()}; }
std::string_view Ssv(boost::beast::string_view s) { return {s.data(), s.size()}; }

bool IsApiPath(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

Response MakeResponse(bhttp::status status, unsigned version, std::string_view content_type,
                      std::string body) {
  Response res{status, version};
  res.set(bhttp::field::content_type, Bsv(content_type));
  res.body() = std::move(body);
  return res;
}

Response Json(unsigned version, std::string body) {
  return MakeResponse(bhttp::status::ok, version, kJson, std::move(body));
}

// Sets the headers every response carries, and the body framing.
void Finish(Response& res, const Request& req, bool api_like) {
  res.set("X-Content-Type-Options", "nosniff");
  if (api_like) res.set(bhttp::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  if (req.method() == bhttp::verb::head) {
    size_t size = res.body().size();
    res.body().clear();
    res.content_length(size);
  } else {
    res.prepare_payload();
  }
}

}  // namespace

Router::Router(const engine::ReadModel& model, std::string web_root,
               std::function<std::string()> metrics_text, std::vector<ApiRoute> routes)
    : model_(model),
      static_files_(std::move(web_root)),
      metrics_text_(std::move(metrics_text)),
      routes_(std::move(routes)) {}

const ApiRoute* Router::FindRoute(std::string_view path) const {
  for (const ApiRoute& r : routes_) {
    if (path == r.path || (path.starts_with(r.path) && path[r.path.size()] == '/')) return &r;
  }
  return nullptr;
}

RouteResult Router::RouteExtra(const Request& req, const QueryParams& q,
                               const ApiRoute& route) const {
  RouteResult out;
  const unsigned version = req.version();
  const std::string_view method =
      req.method() == bhttp::verb::head ? std::string_view("GET") : Ssv(req.method_string());
  bool allowed = false;
  std::string allow;
  for (const std::string& m : route.methods) {
    allowed = allowed || m == method;
    allow += (allow.empty() ? "" : ", ") + m;
    if (m == "GET") allow += ", HEAD";
  }
  if (!allowed) {
    HttpError e{405, "method_not_allowed",
                fmt::format("method {} is not allowed; use {}",
                            Ssv(req.method_string()).substr(0, 32), allow),
                ""};
    out.response = ErrorResponse(e, version, /*api=*/true, req.keep_alive());
    out.response.set(bhttp::field::allow, allow);
    return out;
  }
  ApiRequest api;
  api.method = method;
  api.rest = std::string_view(q.path).substr(route.path.size());
  api.body = req.body();
  auto auth = req.find(bhttp::field::authorization);
  if (auth != req.end()) api.authorization = Ssv(auth->value());
  api.has_query = !q.params.empty();
  absl::StatusOr<std::string> body;
  try {
    body = route.handle(api);
  } catch (const std::exception& ex) {
    body = absl::InternalError(ex.what());
  }
  if (!body.ok()) {
    HttpError e = MapStatus(body.status());
    if (e.status >= 500) {
      log::error("http {} {}: {}", Ssv(req.method_string()), q.path, body.status().ToString());
    }
    out.response = ErrorResponse(e, version, /*api=*/true, req.keep_alive());
    if (e.status == 401) out.response.set(bhttp::field::www_authenticate, "Bearer realm=\"reach\"");
    if (req.method() == bhttp::verb::head) {
      size_t size = out.response.body().size();
      out.response.body().clear();
      out.response.content_length(size);
    }
    return out;
  }
  out.response = Json(version, *std::move(body));
  Finish(out.response, req, /*api_like=*/true);
  return out;
}

Response Router::ErrorResponse(const HttpError& error, unsigned version, bool api,
                               bool keep_alive) {
  Response res =
      api ? MakeResponse(static_cast<bhttp::status>(error.status), version, kJson, ErrorJson(error))
          : MakeResponse(static_cast<bhttp::status>(error.status), version, kText,
                         fmt::format("{} {}\n", error.status, error.message));
  res.set("X-Content-Type-Options", "nosniff");
  if (api) res.set(bhttp::field::cache_control, "no-store");
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

RouteResult Router::Route(const Request& req) const {
  const unsigned version = req.version();
  const std::string_view target = Ssv(req.target());
  RouteResult out;

  absl::StatusOr<QueryParams> parsed = ParseQuery(target);
  const bool api = parsed.ok() ? IsApiPath(parsed->path) : IsApiPath(target);
  auto fail = [&](const absl::Status& st) {
    HttpError e = MapStatus(st);
    if (e.status == 501) {
      log::debug("http {} {}: {}", Ssv(req.method_string()), target, st.ToString());
    } else if (e.status >= 500) {
      log::error("http {} {}: {}", Ssv(req.method_string()), target, st.ToString());
    }
    Response res = ErrorResponse(e, version, api, req.keep_alive());
    if (req.method() == bhttp::verb::head) {
      size_t size = res.body().size();
      res.body().clear();
      res.content_length(size);
    }
    return res;
  };

  if (!parsed.ok()) {
    out.response = fail(parsed.status());
    return out;
  }
  const QueryParams& q = *parsed;
  const std::string& path = q.path;

  if (const ApiRoute* route = FindRoute(path)) return RouteExtra(req, q, *route);
  if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head) {
    HttpError e{405, "method_not_allowed",
                fmt::format("method {} is not allowed; use GET or HEAD",
                            Ssv(req.method_string()).substr(0, 32)),
                ""};
    out.response = ErrorResponse(e, version, api, req.keep_alive());
    out.response.set(bhttp::field::allow, "GET, HEAD");
    return out;
  }

  try {
    if (path == "/healthz") {
      out.response = Json(version, R"({"status":"ok"})");
    } else if (path == "/metrics") {
      out.response = MakeResponse(bhttp::status::ok, version, kPrometheus,
                                  metrics_text_ ? metrics_text_() : std::string());
    } else if (path == "/api/stream") {
      if (absl::Status st = CheckKnownParams(q, {}); !st.ok()) {
        out.response = fail(st);
        return out;
      }
      out.open_stream = req.method() == bhttp::verb::get;
      out.response = MakeResponse(bhttp::status::ok, version, "text/event-stream", "");
      out.response.set(bhttp::field::cache_control, "no-cache");
    } else if (api) {
      const std::string_view p = path;
      absl::StatusOr<std::string> body;
      if (p == "/api/influencers") {
        body = Leaderboard(q);
      } else if (p.starts_with(kUsersPrefix)) {
        body = User(q, p.substr(kUsersPrefix.size()));
      } else if (p.starts_with(kCascadesPrefix)) {
        body = Cascade(q, p.substr(kCascadesPrefix.size()));
      } else if (p == "/api/topics/trending") {
        body = Trending(q);
      } else if (p.starts_with(kTopicsPrefix)) {
        body = Topic(q, p.substr(kTopicsPrefix.size()));
      } else if (p == "/api/sentiment") {
        body = Sentiment(q);
      } else if (p == "/api/alerts") {
        body = Alerts(q);
      } else if (p == "/api/geo") {
        body = Geo(q);
      } else if (p == "/api/communities") {
        body = Graph(q, /*network=*/false);
      } else if (p == "/api/network") {
        body = Graph(q, /*network=*/true);
      } else {
        body = absl::NotFoundError(fmt::format("no API route {}", p.substr(0, 200)));
      }
      if (!body.ok()) {
        out.response = fail(body.status());
        return out;
      }
      out.response = Json(version, *std::move(body));
    } else {
      out.response = Static(q, version);
    }
  } catch (const std::exception& ex) {
    // Handlers return statuses; this is the one edge where a stray exception becomes a 500.
    log::error("http {} {}: unexpected exception: {}", Ssv(req.method_string()), target, ex.what());
    out.response = fail(absl::InternalError(ex.what()));
    return out;
  }

  if (out.response.result_int() >= 400) {
    // Error responses from the handlers are already complete, except for HEAD and keep-alive.
    out.response.keep_alive(req.keep_alive());
    if (req.method() == bhttp::verb::head) {
      size_t size = out.response.body().size();
      out.response.body().clear();
      out.response.content_length(size);
    }
    return out;
  }
  const bool api_like = api || path == "/healthz" || path == "/metrics";
  Finish(out.response, req, api_like && path != "/api/stream");
  return out;
}

absl::StatusOr<std::string> Router::Leaderboard(const QueryParams& q) const {
  REACH_RETURN_IF_ERROR(CheckKnownParams(q, {"window", "limit", "offset", "topic", "country"}));
  engine::LeaderboardQuery query;
  REACH_ASSIGN_OR_RETURN(query.window, ParseWindowParam(q, "window", query.window));
  if (const std::string* limit = q.Find("limit")) {
    REACH_ASSIGN_OR_RETURN(query.limit, ParseIntParam("limit", *limit, 1, kMaxLimit));
  }
  if (const std::string* offset = q.Find("offset")) {
    REACH_ASSIGN_OR_RETURN(query.offset, ParseIntParam("offset", *offset, 0, kMaxOffset));
  }
  if (const std::string* country = q.Find("country")) {
    REACH_ASSIGN_OR_RETURN(query.country, ParseCountryParam("country", *country));
  }
  if (const std::string* topic = q.Find("topic")) {
    engine::TopicLeaderboardQuery tq;
    REACH_ASSIGN_OR_RETURN(tq.topic, ParseTopic("topic", *topic));
    tq.window = query.window;
    tq.limit = query.limit;
    tq.offset = query.offset;
    tq.country = query.country;
    REACH_ASSIGN_OR_RETURN(engine::Leaderboard board, model_.GetTopicLeaderboard(tq));
    return LeaderboardJson(board);
  }
  REACH_ASSIGN_OR_RETURN(engine::Leaderboard board, model_.GetLeaderboard(query));
  if (board.sequence == 0) return LeaderboardJson(board);
  auto same = [&](const CachedBoard& c) {
    return c.sequence == board.sequence && c.window == query.window && c.limit == query.limit &&
           c.offset == query.offset && c.country == query.country;
  };
  {
    std::lock_guard<std::mutex> lock(board_cache_mu_);
    for (const CachedBoard& c : board_cache_) {
      if (same(c)) return *c.body;
    }
  }
  auto body = std::make_shared<const std::string>(LeaderboardJson(board));
  std::lock_guard<std::mutex> lock(board_cache_mu_);
  CachedBoard& slot = board_cache_[board_cache_next_];
  board_cache_next_ = (board_cache_next_ + 1) % kBoardCacheSize;
  slot = CachedBoard{board.sequence, query.window, query.limit, query.offset, query.country, body};
  return *body;
}

absl::StatusOr<std::string> Router::User(const QueryParams& q, std::string_view rest) const {
  std::string_view id_text = rest;
  std::string_view suffix;
  bool has_suffix = false;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    id_text = rest.substr(0, slash);
    suffix = rest.substr(slash + 1);
    has_suffix = true;
    if (suffix != kAudienceSuffix && suffix != kCascadesSuffix) {
      return absl::NotFoundError("no API route for this path");
    }
  }
  if (!has_suffix) REACH_RETURN_IF_ERROR(CheckKnownParams(q, {}));
  uint64_t id = 0;
  const char* end = id_text.data() + id_text.size();
  auto [ptr, ec] = std::from_chars(id_text.data(), end, id);
  if (id_text.empty() || id_text.front() == '+' || ec != std::errc() || ptr != end) {
    return InvalidParameterError("id", "id must be a decimal unsigned 64-bit integer");
  }
  if (has_suffix && suffix == kCascadesSuffix) return UserCascades(q, UserId{id});
  if (has_suffix) return Audience(q, UserId{id});
  REACH_ASSIGN_OR_RETURN(engine::UserProfile profile, model_.GetUser(UserId{id}));
  return UserProfileJson(profile);
}

absl::StatusOr<std::string> Router::Audience(const QueryParams& q, UserId id) const {
  REACH_RETURN_IF_ERROR(CheckKnownParams(q, {"window"}));
  REACH_ASSIGN_OR_RETURN(engine::Window window,
                         ParseWindowParam(q, "window", engine::Window::kAll));
  REACH_ASSIGN_OR_RETURN(engine::Audience audience, model_.GetAudience(id, window));
  return AudienceJson(audience);
}

absl::StatusOr<std::string> Router::UserCascades(const QueryParams& q, UserId id) const {
  REACH_RETURN_IF_ERROR(CheckKnownParams(q, {"window", "limit"}));
  REACH_ASSIGN_OR_RETURN(engine::Window window,
                         ParseWindowParam(q, "window", engine::Window::kAll));
  int limit = kDefaultUserCascades;
  if (const std::string* text = q.Find("limit")) {
    REACH_ASSIGN_OR_RETURN(limit, ParseIntParam("limit", *text, 1, kMaxUserCascades));
  }
  REACH_ASSIGN_OR_RETURN(engine::UserCascades cascades, model_.GetUserCascades(id, window, limit));
  return UserCascadesJson(cascades);
}

absl::StatusOr<std::string> Router::Cascade(const QueryParams& q,
                                            std::string_view post_text) const {
  if (post_text.find('/') != std::string_view::npos) {
    return absl::NotFoundError("no API route for this path");
  }
  REACH_RETURN_IF_ERROR(CheckKnownParams(q, {"limit"}));
  REACH_ASSIGN_OR_RETURN(uint64_t post, ParseIdSegment(post_text, "post"));
  int limit = kDefaultCascadeNodes;
  if (const std::string* text = q.Find("limit")) {
    REACH_ASSIGN_OR_RETURN(limit, ParseIntParam("limit", *text, 0, kMaxCascadeNodes));
  }
  REACH_ASSIGN_OR_RETURN(engine::CascadeReport report, model_.GetCascade(PostId{post}, limit));
  return CascadeJson(report);
}

absl::StatusOr<std::string> Router::Trending(const QueryParams& q) const {
  REACH_RETURN_IF_ERROR(CheckKnownParams(q, {"window", "limit"}));
  REACH_ASSIGN_OR_RETURN(engine::Window window,
                         ParseWindowParam(q, "window", engine::Window::kAll));
  int limit = kDefaultTopicsLimit;
  if (const std::string* text = q.Find("limit")) {
    REACH_ASSIGN_OR_RETURN(limit, ParseIntParam("limit", *text, 1, kMaxTopicsLimit));
  }
  REACH_ASSIGN_OR_RETURN(engine::Conversation conversation, model_.GetConversation(window, limit));
  return ConversationJson(conversation);
}

absl::StatusOr<std::string> Router::Topic(const QueryParams& q, std::string_view topic_text) const {
  if (topic_text.find('/') != std::string_view::npos) {
    return absl::NotFoundError("no API route for this path");
  }
  REACH_RETURN_IF_ERROR(CheckKnownParams(q, {"window"}));
  engine::TopicQuery query;
  REACH_ASSIGN_OR_RETURN(query.topic, ParseTopic("topic", topic_text));
  REACH_ASSIGN_OR_RETURN(query.window, ParseWindowParam(q, "window", engine::Window::kAll));
  REACH_ASSIGN_OR_RETURN(engine::TopicDetail detail, model_.GetTopic(query));
  if (detail.summary.topic.empty()) detail.summary.topic = query.topic;
  return TopicJson(detail, query.window);
}

absl::StatusOr<std::string> Router::Sentiment(const QueryParams& q) const {
  REACH_RETURN_IF_ERROR(CheckKnownParams(q, {"topic", "window", "bucket"}));
  engine::SeriesQuery query;
  if (const std::string* topic = q.Find("topic")) {
    REACH_ASSIGN_OR_RETURN(query.topic, ParseTopic("topic", *topic));
  }
  REACH_ASSIGN_OR_RETURN(query.window, ParseWindowParam(q, "window", engine::Window::k24h));
  if (const std::string* bucket = q.Find("bucket")) {
    REACH_ASSIGN_OR_RETURN(query.bucket, ParseDurationParam("bucket", *bucket));
  }
  absl::StatusOr<engine::Series> series = model_.GetSeries(query);
  if (series.status().code() == absl::StatusCode::kInvalidArgument &&
      !ParameterOf(series.status())) {
    // Topic and window are valid by now: what the model refuses is the bucket.
    return InvalidParameterError("bucket", std::string(series.status().message()));
  }
  if (!series.ok()) return series.status();
  return SeriesJson(*series);
}

absl::StatusOr<std::string> Router::Alerts(const QueryParams& q) const {
  REACH_RETURN_IF_ERROR(CheckKnownParams(q, {"limit"}));
  int limit = kDefaultAlertsLimit;
  if (const std::string* text = q.Find("limit")) {
    REACH_ASSIGN_OR_RETURN(limit, ParseIntParam("limit", *text, 1, kMaxAlertsLimit));
  }
  REACH_ASSIGN_OR_RETURN(std::vector<engine::TopicAlert> alerts, model_.GetAlerts(limit));
  return AlertsJson(alerts);
}

absl::StatusOr<std::string> Router::Geo(const QueryParams& q) const {
  REACH_RETURN_IF_ERROR(CheckKnownParams(q, {"window"}));
  REACH_ASSIGN_OR_RETURN(engine::Window window,
                         ParseWindowParam(q, "window", engine::Window::kAll));
  REACH_ASSIGN_OR_RETURN(engine::Conversation conversation,
                         model_.GetConversation(window, /*limit=*/0));
  return GeoJson(conversation);
}

absl::StatusOr<std::string> Router::Graph(const QueryParams& q, bool network) const {
  REACH_RETURN_IF_ERROR(CheckKnownParams(q, {"limit"}));
  int64_t limit = network ? 100 : 20;
  if (const std::string* text = q.Find("limit")) {
    REACH_ASSIGN_OR_RETURN(limit, ParseIntParam("limit", *text, 1, network ? 500 : 200));
  }
  REACH_ASSIGN_OR_RETURN(engine::GraphAnswer graph, model_.GetGraph());
  return network ? NetworkJson(graph, static_cast<size_t>(limit))
                 : CommunitiesJson(graph, static_cast<size_t>(limit));
}

Response Router::Static(const QueryParams& q, unsigned version) const {
  absl::StatusOr<StaticFile> file = static_files_.Read(q.path);
  if (!file.ok()) {
    return ErrorResponse(MapStatus(file.status()), version, /*api=*/false, /*keep_alive=*/true);
  }
  Response res =
      MakeResponse(bhttp::status::ok, version, file->content_type, std::move(file->body));
  res.set(bhttp::field::cache_control, "no-cache");
  return res;
}

}  // namespace reach::http
