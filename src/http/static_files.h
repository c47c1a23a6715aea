// StaticFiles: serves the dashboard's files from one directory (the web root), and nothing outside
// it.
//
//   StaticFiles files("/srv/reach/web");
//   absl::StatusOr<StaticFile> f = files.Read("/app.js");   // f->content_type ==
//   "text/javascript..."
//
// Read() takes an already percent-decoded request path. "/" and paths ending in '/' mean
// "index.html" in that directory. Rejected with InvalidArgument (parameter "path"): a ".." segment,
// a backslash, a NUL byte. The resolved file (symlinks followed, std::filesystem::weakly_canonical)
// must lie inside the canonical web root, else NotFound, as for a missing file, a directory, or an
// empty web root. Files larger than kMaxStaticFileBytes are Internal.
//
// Immutable after construction: safe to call from any thread. Each Read() reads the whole file
// (dashboard assets are small); no caching.
#ifndef REACH_HTTP_STATIC_FILES_H_
#define REACH_HTTP_STATIC_FILES_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace reach::http {

inline constexpr uintmax_t kMaxStaticFileBytes = 64u << 20;

struct StaticFile {
  std::string body;
  std::string_view content_type;
};

// The Content-Type for a file name, by extension (html, js, css, svg, png, json, map, woff2, ...);
// application/octet-stream when unknown.
[[nodiscard]] std::string_view ContentTypeFor(std::string_view file_name);

class StaticFiles {
 public:
  // An empty web_root serves nothing.
  explicit StaticFiles(std::string web_root);

  [[nodiscard]] bool enabled() const { return !root_.empty(); }
  [[nodiscard]] absl::StatusOr<StaticFile> Read(std::string_view path) const;

 private:
  std::filesystem::path root_;  // canonical; empty when disabled
};

}  // namespace reach::http

#endif  // REACH_HTTP_STATIC_FILES_H_
