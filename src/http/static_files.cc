#include "http/static_files.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "http/status_mapping.h"

namespace reach::http {
namespace fs = std::filesystem;

std::string_view ContentTypeFor(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
  }};
  for (const auto& [ext, type] : kTypes) {
    if (file_name.ends_with(ext)) return type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::string web_root) {
  if (web_root.empty()) return;
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(fs::absolute(web_root, ec), ec);
  root_ = ec ? fs::path(web_root).lexically_normal() : canonical;
  // A trailing separator would leave an empty last element that breaks the prefix check.
  if (!root_.has_filename() && root_.has_parent_path() && root_ != root_.root_path()) {
    root_ = root_.parent_path();
  }
}

absl::StatusOr<StaticFile> StaticFiles::Read(std::string_view path) const {
  if (!enabled()) return absl::NotFoundError("no web root configured");
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
    return InvalidParameterError("path", "path contains a forbidden character");
  }
  if (path.empty() || path.front() != '/') {
    return InvalidParameterError("path", "path must start with '/'");
  }
  for (size_t start = 1; start <= path.size();) {
    size_t slash = path.find('/', start);
    size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (path.substr(start, end - start) == "..") {
      return InvalidParameterError("path", "path must not contain '..'");
    }
    start = end + 1;
  }

  std::string rel(path.substr(1));
  if (rel.empty() || rel.back() == '/') rel += "index.html";

  std::error_code ec;
  fs::path candidate = fs::weakly_canonical(root_ / rel, ec);
  if (ec) return absl::NotFoundError(fmt::format("{} not found", path));
  // Component-wise prefix check: the file must be root_ or below it.
  auto [root_it, cand_it] =
      std::mismatch(root_.begin(), root_.end(), candidate.begin(), candidate.end());
  if (root_it != root_.end() || cand_it == candidate.end()) {
    return absl::NotFoundError(fmt::format("{} not found", path));
  }
  if (!fs::is_regular_file(candidate, ec) || ec) {
    return absl::NotFoundError(fmt::format("{} not found", path));
  }
  uintmax_t size = fs::file_size(candidate, ec);
  if (ec) return absl::NotFoundError(fmt::format("{} not found", path));
  if (size > kMaxStaticFileBytes) {
    return absl::InternalError(
        fmt::format("{} is larger than {} bytes", path, kMaxStaticFileBytes));
  }

  std::ifstream in(candidate, std::ios::binary);
  if (!in) return absl::NotFoundError(fmt::format("{} not found", path));
  StaticFile file;
  file.body.resize(static_cast<size_t>(size));
  in.read(file.body.data(), static_cast<std::streamsize>(size));
  file.body.resize(static_cast<size_t>(in.gcount()));
  file.content_type = ContentTypeFor(candidate.filename().string());
  return file;
}

}  // namespace reach::http
