// Error handling conventions: expected failures are absl::Status / absl::StatusOr values;
// programmer errors are assertions. These macros propagate a failed status to the caller.
//
//   absl::Status Load(...) {
//     REACH_RETURN_IF_ERROR(OpenFile(...));
//     REACH_ASSIGN_OR_RETURN(auto rows, ReadRows(...));
//   }
#ifndef REACH_COMMON_STATUS_H_
#define REACH_COMMON_STATUS_H_

#include <fmt/format.h>

#include "absl/status/status.h"    // IWYU pragma: export
#include "absl/status/statusor.h"  // IWYU pragma: export
#include "absl/strings/string_view.h"

#if !defined(ABSL_USES_STD_STRING_VIEW)
// Debian's Abseil has its own string_view (Status::message() returns it); let fmt print it.
template <>
struct fmt::formatter<absl::string_view> : fmt::formatter<fmt::string_view> {
  auto format(absl::string_view s, fmt::format_context& ctx) const {
    return fmt::formatter<fmt::string_view>::format(fmt::string_view(s.data(), s.size()), ctx);
  }
};
#endif

#define REACH_RETURN_IF_ERROR(expr)                       \
  do {                                                    \
    if (absl::Status _st = (expr); !_st.ok()) return _st; \
  } while (0)

#define REACH_STATUS_CONCAT_INNER(a, b) a##b
#define REACH_STATUS_CONCAT(a, b) REACH_STATUS_CONCAT_INNER(a, b)

#define REACH_ASSIGN_OR_RETURN(lhs, expr) \
  REACH_ASSIGN_OR_RETURN_IMPL(REACH_STATUS_CONCAT(_statusor_, __LINE__), lhs, expr)

#define REACH_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return std::move(tmp).status();    \
  lhs = std::move(tmp).value()

#endif  // REACH_COMMON_STATUS_H_
