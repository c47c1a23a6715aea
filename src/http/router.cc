#include "http/router.h"

#include <charconv>
#include <cstdint>
#include <exception>
#include <initializer_list>

#include <fmt/format.h>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include "common/log.h"
#include "http/json_views.h"

namespace reach::http {
namespace bhttp = boost::beast::http;
namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kText = "text/plain; charset=utf-8";
constexpr std::string_view kPrometheus = "text/plain; version=0.0.4; charset=utf-8";
constexpr std::string_view kUsersPrefix = "/api/users/";

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

// The first parameter not in `allowed`, as an error; OK when all are known.
absl::Status CheckKnownParams(const QueryParams& q,
                              std::initializer_list<std::string_view> allowed) {
  for (const auto& [name, value] : q.params) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == name;
    if (!known) {
      return InvalidParameterError(name.substr(0, 64),
                                   fmt::format("unknown query parameter '{}'", name.substr(0, 64)));
    }
  }
  return absl::OkStatus();
}

// A strict decimal integer in [min, max]: digits only, no sign, no spaces.
absl::StatusOr<int64_t> ParseIntParam(std::string_view name, std::string_view text, int64_t min,
                                      int64_t max) {
  int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  bool digits_only = !text.empty() && text.front() != '-' && text.front() != '+';
  if (ec != std::errc() || ptr != end || !digits_only || v < min || v > max) {
    return InvalidParameterError(
        name, fmt::format("{} must be an integer between {} and {}", name, min, max));
  }
  return v;
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
               std::function<std::string()> metrics_text)
    : model_(model), static_files_(std::move(web_root)), metrics_text_(std::move(metrics_text)) {}

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
    if (e.status >= 500)
      log::error("http {} {}: {}", Ssv(req.method_string()), target, st.ToString());
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
    } else if (path == "/api/influencers") {
      out.response = Leaderboard(q, version);
    } else if (path.starts_with(kUsersPrefix)) {
      out.response = User(q, std::string_view(path).substr(kUsersPrefix.size()), version);
    } else if (path == "/api/stream") {
      if (absl::Status st = CheckKnownParams(q, {}); !st.ok()) {
        out.response = fail(st);
        return out;
      }
      out.open_stream = req.method() == bhttp::verb::get;
      out.response = MakeResponse(bhttp::status::ok, version, "text/event-stream", "");
      out.response.set(bhttp::field::cache_control, "no-cache");
    } else if (api) {
      out.response = fail(absl::NotFoundError(fmt::format("no API route {}", path.substr(0, 200))));
      return out;
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

Response Router::Leaderboard(const QueryParams& q, unsigned version) const {
  auto fail = [&](const absl::Status& st) {
    return ErrorResponse(MapStatus(st), version, /*api=*/true, /*keep_alive=*/true);
  };
  if (absl::Status st = CheckKnownParams(q, {"window", "limit", "offset"}); !st.ok()) {
    return fail(st);
  }
  engine::LeaderboardQuery query;
  if (const std::string* w = q.Find("window")) {
    std::optional<engine::Window> window = engine::ParseWindow(*w);
    if (!window) {
      return fail(InvalidParameterError("window", "window must be one of 15m, 1h, 24h, all"));
    }
    query.window = *window;
  }
  if (const std::string* limit = q.Find("limit")) {
    absl::StatusOr<int64_t> v = ParseIntParam("limit", *limit, 1, kMaxLimit);
    if (!v.ok()) return fail(v.status());
    query.limit = static_cast<int>(*v);
  }
  if (const std::string* offset = q.Find("offset")) {
    absl::StatusOr<int64_t> v = ParseIntParam("offset", *offset, 0, kMaxOffset);
    if (!v.ok()) return fail(v.status());
    query.offset = static_cast<int>(*v);
  }
  absl::StatusOr<engine::Leaderboard> board = model_.GetLeaderboard(query);
  if (!board.ok()) {
    if (MapStatus(board.status()).status >= 500) {
      log::error("http leaderboard: {}", board.status().ToString());
    }
    return fail(board.status());
  }
  return Json(version, LeaderboardJson(*board));
}

Response Router::User(const QueryParams& q, std::string_view id_text, unsigned version) const {
  auto fail = [&](const absl::Status& st) {
    return ErrorResponse(MapStatus(st), version, /*api=*/true, /*keep_alive=*/true);
  };
  if (id_text.find('/') != std::string_view::npos) {
    return fail(absl::NotFoundError("no API route for this path"));
  }
  if (absl::Status st = CheckKnownParams(q, {}); !st.ok()) return fail(st);
  uint64_t id = 0;
  const char* end = id_text.data() + id_text.size();
  auto [ptr, ec] = std::from_chars(id_text.data(), end, id);
  if (id_text.empty() || id_text.front() == '+' || ec != std::errc() || ptr != end) {
    return fail(InvalidParameterError("id", "id must be a decimal unsigned 64-bit integer"));
  }
  absl::StatusOr<engine::UserProfile> profile = model_.GetUser(UserId{id});
  if (!profile.ok()) {
    if (MapStatus(profile.status()).status >= 500) {
      log::error("http user {}: {}", id, profile.status().ToString());
    }
    return fail(profile.status());
  }
  return Json(version, UserProfileJson(*profile));
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
