// Request parameter validation shared by the API routes: each function checks one parameter's text
// strictly and returns its typed value, or InvalidArgument naming the parameter (through
// InvalidParameterError, status_mapping.h) so the client is told exactly what to fix.
//
//   REACH_RETURN_IF_ERROR(CheckKnownParams(q, {"window", "limit"}));
//   REACH_ASSIGN_OR_RETURN(engine::Window w, ParseWindowParam(q, "window", engine::Window::kAll));
//   REACH_ASSIGN_OR_RETURN(int64_t limit, ParseIntParam("limit", "20", 1, 100));   // 20
//   REACH_ASSIGN_OR_RETURN(Duration d, ParseDurationParam("bucket", "15m"));       // 900 s
//   REACH_ASSIGN_OR_RETURN(std::string t, ParseTopic("topic", "#ÉtÉ"));            // "été"
//
// Pure functions with no global state: thread-safe, suitable for fuzzing; cost linear in the input.
#ifndef REACH_HTTP_PARAMS_H_
#define REACH_HTTP_PARAMS_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time.h"
#include "engine/window.h"
#include "http/query.h"

namespace reach::http {

// Longest topic accepted, in bytes after normalisation.
inline constexpr size_t kMaxTopicBytes = 140;
// Longest duration parameter accepted (a bucket of more than a year has no use).
inline constexpr Duration kMaxDurationParam = Duration::Hours(24 * 366);

// OK when every parameter of `q` is in `allowed`; else an error naming the first unknown one.
[[nodiscard]] absl::Status CheckKnownParams(const QueryParams& q,
                                            std::initializer_list<std::string_view> allowed);

// A strict decimal integer in [min, max]: digits only, no sign, no spaces.
[[nodiscard]] absl::StatusOr<int64_t> ParseIntParam(std::string_view name, std::string_view text,
                                                    int64_t min, int64_t max);

// The window named by parameter `name` ("15m", "1h", "24h", "all"), or `fallback` when absent.
[[nodiscard]] absl::StatusOr<engine::Window> ParseWindowParam(const QueryParams& q,
                                                              std::string_view name,
                                                              engine::Window fallback);

// A positive duration: decimal digits with an optional unit s, m, h or d (no unit: seconds), at
// most kMaxDurationParam. "300" and "5m" are both five minutes.
[[nodiscard]] absl::StatusOr<Duration> ParseDurationParam(std::string_view name,
                                                          std::string_view text);

// A topic as the engine keys it: a leading '#' (or U+FF03) removed and the text case-folded
// (analytics::NormalizeHashtag). Errors: invalid UTF-8, empty, or more than kMaxTopicBytes.
[[nodiscard]] absl::StatusOr<std::string> ParseTopic(std::string_view name,
                                                     std::string_view decoded);

// A country as ISO 3166-1 alpha-2: two ASCII letters, returned upper-case ("gb" -> "GB").
[[nodiscard]] absl::StatusOr<std::string> ParseCountryParam(std::string_view name,
                                                            std::string_view text);

}  // namespace reach::http

#endif  // REACH_HTTP_PARAMS_H_
