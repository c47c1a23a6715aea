#include "common/bearer.h"

#include <string>

namespace reach {
namespace {

// Compares without an early exit, so the time taken does not tell how much of a token matched.
bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

bool StartsWithBearer(std::string_view s) {
  constexpr std::string_view kBearer = "bearer ";
  if (s.size() < kBearer.size()) return false;
  for (size_t i = 0; i < kBearer.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kBearer[i]) return false;
  }
  return true;
}

}  // namespace

absl::Status CheckBearer(std::string_view authorization, std::string_view token,
                         std::string_view action) {
  if (!StartsWithBearer(authorization)) {
    return absl::UnauthenticatedError(std::string(action) +
                                      " needs \"Authorization: Bearer <token>\" with the "
                                      "configured API token");
  }
  if (token.empty() || !SameSecret(authorization.substr(7), token)) {
    return absl::UnauthenticatedError(std::string(action) + ": the API token is not valid");
  }
  return absl::OkStatus();
}

}  // namespace reach
