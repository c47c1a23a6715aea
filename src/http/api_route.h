// ApiRoute: an API route served by a component outside the read model (the planner's /api/plans),
// registered with the Server through ServerOptions::routes and dispatched by the Router.
//
// The Router calls `handle` for a request whose path is `path` or lies under `path` + "/", with any
// of `methods` (HEAD is allowed wherever GET is); another method gets 405 with an Allow header. The
// handler returns the JSON body (200) or a status that MapStatus turns into the error reply. It
// runs on a server thread, concurrently with other requests, and must be thread-safe; it may block
// for a bounded time (e.g. a QueryChannel question).
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

}  // namespace reach::http

#endif  // REACH_HTTP_API_ROUTE_H_
