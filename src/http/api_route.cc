#include "http/api_route.h"

#include <utility>

#include "common/bearer.h"

namespace reach::http {

ApiRoute MakeIngestRoute(std::string api_token, IngestHandler ingest) {
  return ApiRoute{
      "/api/ingest",
      {"POST"},
      [token = std::move(api_token),
       ingest = std::move(ingest)](const ApiRequest& r) -> absl::StatusOr<std::string> {
        if (token.empty() || !ingest) {
          return absl::NotFoundError("POST /api/ingest is disabled: start reach with --api-token");
        }
        if (!r.rest.empty()) return absl::NotFoundError("no route under /api/ingest");
        REACH_RETURN_IF_ERROR(CheckBearer(r.authorization, token, "POST /api/ingest"));
        if (r.has_query) return absl::InvalidArgumentError("/api/ingest takes no query parameters");
        return ingest(std::string(r.body));
      }};
}

}  // namespace reach::http
