// CheckBearer: the check of an "Authorization: Bearer <token>" header against the configured API
// token, shared by every route that changes state (POST /api/ingest, saving plans).
//
//   REACH_RETURN_IF_ERROR(CheckBearer(request.authorization, token, "POST /api/ingest"));
//
// The scheme is matched without regard to case (RFC 7235); the token is compared in time that
// does not depend on how much of it matched. Unauthenticated (HTTP 401) when the header is
// missing, has another scheme, or carries a wrong token; the message names `action`. The caller
// decides what an empty configured token means (the routes answer 404 or 403 before asking).
#ifndef REACH_COMMON_BEARER_H_
#define REACH_COMMON_BEARER_H_

#include <string_view>

#include "common/status.h"

namespace reach {

absl::Status CheckBearer(std::string_view authorization, std::string_view token,
                         std::string_view action);

}  // namespace reach

#endif  // REACH_COMMON_BEARER_H_
