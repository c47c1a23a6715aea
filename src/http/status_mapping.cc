#include "http/status_mapping.h"

#include "absl/strings/cord.h"

namespace reach::http {
namespace {

// Debian's Abseil has its own string_view type, distinct from std::string_view.
absl::string_view PayloadKey() { return "type.reach.dev/http.parameter"; }

}  // namespace

HttpError MapStatus(const absl::Status& status) {
  HttpError e;
  e.message = std::string(status.message());
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      e.status = 400;
      e.code = "invalid_argument";
      break;
    case absl::StatusCode::kNotFound:
      e.status = 404;
      e.code = "not_found";
      break;
    case absl::StatusCode::kPermissionDenied:
      e.status = 403;
      e.code = "permission_denied";
      break;
    case absl::StatusCode::kUnauthenticated:
      e.status = 401;
      e.code = "unauthenticated";
      break;
    case absl::StatusCode::kUnavailable:
      e.status = 503;
      e.code = "unavailable";
      break;
    case absl::StatusCode::kResourceExhausted:
      e.status = 429;
      e.code = "resource_exhausted";
      break;
    case absl::StatusCode::kUnimplemented:
      e.status = 501;
      e.code = "unimplemented";
      break;
    default:
      e.status = 500;
      e.code = "internal";
      e.message = "internal error";
      return e;
  }
  if (auto param = ParameterOf(status)) e.parameter = *std::move(param);
  return e;
}

absl::Status InvalidParameterError(std::string_view parameter, std::string_view message) {
  absl::Status st = absl::InvalidArgumentError(absl::string_view(message.data(), message.size()));
  st.SetPayload(PayloadKey(), absl::Cord(absl::string_view(parameter.data(), parameter.size())));
  return st;
}

std::optional<std::string> ParameterOf(const absl::Status& status) {
  auto payload = status.GetPayload(PayloadKey());
  if (!payload) return std::nullopt;
  return std::string(*payload);
}

}  // namespace reach::http
