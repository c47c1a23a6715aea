// WriteRoutes: the HTTP routes that change state (POST /api/ingest) and the bearer token that
// guards them, as the owner of the server hands them to it (server.h, router.h). Kept apart from
// router.h so that configuring a server does not pull in Boost.Beast.
#ifndef REACH_HTTP_WRITE_ROUTES_H_
#define REACH_HTTP_WRITE_ROUTES_H_

#include <functional>
#include <string>

#include "common/status.h"

namespace reach::http {

// POST /api/ingest: takes an NDJSON body, returns the JSON reply (or an error status). Called on a
// server thread; may block until the body is ingested.
using IngestHandler = std::function<absl::StatusOr<std::string>(std::string body)>;

// The write routes and what guards them. Without an api_token or a handler, POST /api/ingest
// answers 404 (disabled).
struct WriteRoutes {
  std::string api_token;  // required as "Authorization: Bearer <token>"
  IngestHandler ingest;
};

}  // namespace reach::http

#endif  // REACH_HTTP_WRITE_ROUTES_H_
