// ApiRoute: an API route served by a component outside the read model (the planner's /api/plans,
// POST /api/ingest), registered with the Server through ServerOptions::routes and dispatched by the
// Router.
//
// The Router calls `handle` for a request whose path is `path` or lies under `path` + "/", with any
// of `methods` (HEAD is allowed wherever GET is); another method gets 405 with an Allow header. The
// handler returns the JSON body (200) or a status that MapStatus turns into the error reply. It
// runs on a server thread, concurrently with other requests, and must be thread-safe; it may block
// for a bounded time (e.g. a QueryChannel question). A 401 reply carries
// "WWW-Authenticate: Bearer".
#ifndef REACH_HTTP_API_ROUTE_H_
#define REACH_HTTP_API_ROUTE_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace reach::http {

struct ApiRequest {
  std::string_view method;         // "GET", "POST", ...
  std::string_view rest;           // the path after the route's path ("" or "/..."), decoded
  std::string_view body;           // the request body
  std::string_view authorization;  // the Authorization header, "" when absent
  bool has_query = false;          // the target carried query parameters
};

struct ApiRoute {
  std::string path;                  // e.g. "/api/plans"
  std::vector<std::string> methods;  // e.g. {"GET", "POST"}
  std::function<absl::StatusOr<std::string>(const ApiRequest&)> handle;
};

// POST /api/ingest: hands the NDJSON body to `ingest` (which may block until the body is ingested,
// so give the server 2+ threads) after the bearer check against `api_token` (common/bearer.h).
// 404 when `api_token` is empty (disabled), 401 without the token or with a wrong one, 400 for
// query parameters, 405 for another method; a body over the server's max_body_bytes is 413.
using IngestHandler = std::function<absl::StatusOr<std::string>(std::string body)>;
ApiRoute MakeIngestRoute(std::string api_token, IngestHandler ingest);

}  // namespace reach::http

#endif  // REACH_HTTP_API_ROUTE_H_
