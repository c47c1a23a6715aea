#include "http/query.h"

#include <fmt/format.h>

#include "http/status_mapping.h"

namespace reach::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A parameter name fit to quote in an error message: bounded in length.
std::string_view ShortName(std::string_view name) { return name.substr(0, 64); }

}  // namespace

const std::string* QueryParams::Find(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return &v;
  }
  return nullptr;
}

absl::StatusOr<std::string> PercentDecode(std::string_view in, bool plus_as_space,
                                          std::string_view parameter) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      int hi = i + 1 < in.size() ? HexValue(in[i + 1]) : -1;
      int lo = i + 2 < in.size() ? HexValue(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return InvalidParameterError(
            parameter,
            fmt::format("malformed percent-escape in '{}' at offset {}", ShortName(parameter), i));
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

absl::StatusOr<QueryParams> ParseQuery(std::string_view target) {
  QueryParams q;
  size_t qmark = target.find('?');
  std::string_view raw_path = target.substr(0, qmark);
  std::string_view raw_query =
      qmark == std::string_view::npos ? std::string_view{} : target.substr(qmark + 1);
  // A fragment never belongs in a request target; drop it rather than treat it as data.
  if (size_t hash = raw_query.find('#'); hash != std::string_view::npos) {
    raw_query = raw_query.substr(0, hash);
  }
  if (raw_path.empty() || raw_path.front() != '/') {
    return InvalidParameterError("path", "request target must be a path starting with '/'");
  }
  REACH_ASSIGN_OR_RETURN(q.path, PercentDecode(raw_path, /*plus_as_space=*/false, "path"));
  if (q.path.find('\0') != std::string::npos) {
    return InvalidParameterError("path", "path contains a NUL byte");
  }

  while (!raw_query.empty()) {
    size_t amp = raw_query.find('&');
    std::string_view pair = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view{} : raw_query.substr(amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2"

    size_t eq = pair.find('=');
    std::string_view raw_name = pair.substr(0, eq);
    std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    REACH_ASSIGN_OR_RETURN(std::string name,
                           PercentDecode(raw_name, /*plus_as_space=*/true, ShortName(raw_name)));
    if (name.empty()) {
      return InvalidParameterError("", "query parameter with an empty name");
    }
    REACH_ASSIGN_OR_RETURN(std::string value,
                           PercentDecode(raw_value, /*plus_as_space=*/true, ShortName(name)));
    if (q.Find(name) != nullptr) {
      return InvalidParameterError(
          ShortName(name), fmt::format("parameter '{}' is given more than once", ShortName(name)));
    }
    if (q.params.size() >= kMaxParams) {
      return InvalidParameterError(ShortName(name),
                                   fmt::format("more than {} query parameters", kMaxParams));
    }
    q.params.emplace_back(std::move(name), std::move(value));
  }
  return q;
}

}  // namespace reach::http
