// Request-target parsing: splits an origin-form target ("/api/influencers?window=1h&limit=10") into
// its percent-decoded path and its query parameters.
//
//   absl::StatusOr<QueryParams> q = ParseQuery("/api/x?name=a%20b&tag=c+d");
//   // q->path == "/api/x"; q->Find("name") -> "a b"; q->Find("tag") -> "c d"
//
// Decoding is strict: a '%' not followed by two hex digits is an error, as is a repeated parameter
// name, an empty name, a path that does not start with '/', a NUL byte in the path, or more than
// kMaxParams parameters. Every error is InvalidArgument naming the parameter at fault ("path" for
// the path) through InvalidParameterError (status_mapping.h). In the query, '+' decodes to a space;
// in the path it stays '+'.
//
// Pure functions with no global state: thread-safe, suitable for fuzzing. Cost is linear in the
// target length.
#ifndef REACH_HTTP_QUERY_H_
#define REACH_HTTP_QUERY_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace reach::http {

inline constexpr size_t kMaxParams = 64;

struct QueryParams {
  std::string path;                                         // percent-decoded
  std::vector<std::pair<std::string, std::string>> params;  // decoded, in order, names unique

  // The value of parameter `name`, or nullptr when absent.
  [[nodiscard]] const std::string* Find(std::string_view name) const;
};

// Decodes %XX escapes (and '+' as a space when plus_as_space). InvalidArgument on a bad escape,
// naming `parameter`.
[[nodiscard]] absl::StatusOr<std::string> PercentDecode(std::string_view in, bool plus_as_space,
                                                        std::string_view parameter);

[[nodiscard]] absl::StatusOr<QueryParams> ParseQuery(std::string_view target);

}  // namespace reach::http

#endif  // REACH_HTTP_QUERY_H_
