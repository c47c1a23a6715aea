// Status mapping: the one place where an absl::Status becomes an HTTP reply (status code, the
// machine-readable error code string, and the message shown to the client).
//
//   HttpError e = MapStatus(absl::NotFoundError("user 42 not found"));
//   // e.status == 404, e.code == "not_found", e.message == "user 42 not found"
//
// A status may name the request parameter it is about (InvalidParameterError); the name travels as
// a status payload and is reported in the JSON error body. Internal and unknown errors never leak
// their message: the client sees "internal error".
//
// Pure functions; thread-safe; no allocation beyond the returned strings.
#ifndef REACH_HTTP_STATUS_MAPPING_H_
#define REACH_HTTP_STATUS_MAPPING_H_

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace reach::http {

struct HttpError {
  int status = 500;       // HTTP status code
  std::string code;       // e.g. "invalid_argument", "not_found"
  std::string message;    // safe to show to the client
  std::string parameter;  // the request parameter at fault; empty when none
};

// Maps a non-OK status: InvalidArgument->400, NotFound->404, PermissionDenied->403,
// Unauthenticated->401, Unavailable->503, ResourceExhausted->429, Unimplemented->501 (the model
// cannot answer this question; its message says where to ask), anything else->500 with the
// message replaced by "internal error". An OK status maps to 500 as well (a caller bug).
[[nodiscard]] HttpError MapStatus(const absl::Status& status);

// InvalidArgument naming the request parameter `parameter` (carried as a payload).
[[nodiscard]] absl::Status InvalidParameterError(std::string_view parameter,
                                                 std::string_view message);

// The parameter named by InvalidParameterError, if any.
[[nodiscard]] std::optional<std::string> ParameterOf(const absl::Status& status);

}  // namespace reach::http

#endif  // REACH_HTTP_STATUS_MAPPING_H_
