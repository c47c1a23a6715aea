// libFuzzer target for HTTP request-target parsing (http/query.h) and the parameter parsers the
// routes use (http/params.h): any bytes must give a QueryParams or an InvalidArgument naming the
// parameter, never a crash. The parsed parameters are fed to each typed parser.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/params.h"
#include "http/query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<reach::http::QueryParams> q = reach::http::ParseQuery(target);
  if (!q.ok()) {
    if (q.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  if (q->params.size() > reach::http::kMaxParams) std::abort();
  (void)reach::http::ParseWindowParam(*q, "window", reach::engine::Window::k1h);
  for (const auto& [name, value] : q->params) {
    (void)reach::http::ParseIntParam(name, value, 0, 1000);
    (void)reach::http::ParseDurationParam(name, value);
    (void)reach::http::ParseTopic(name, value);
    if (q->Find(name) == nullptr) std::abort();
  }
  (void)reach::http::CheckKnownParams(*q, {"window", "limit", "offset", "topic"});
  return 0;
}
