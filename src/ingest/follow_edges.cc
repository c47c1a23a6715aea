#include "ingest/follow_edges.h"

#include <charconv>
#include <string_view>

#include <fmt/format.h>

#include "ingest/line_reader.h"

namespace reach::ingest {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == ','; }

// Parses the next decimal id at *pos (after whitespace); false when there is none.
bool NextId(std::string_view line, size_t* pos, uint64_t* id) {
  while (*pos < line.size() && IsSpace(line[*pos])) ++*pos;
  const char* begin = line.data() + *pos;
  const char* end = line.data() + line.size();
  auto [ptr, ec] = std::from_chars(begin, end, *id);
  if (ec != std::errc() || ptr == begin) return false;
  if (ptr != end && !IsSpace(*ptr)) return false;
  *pos = static_cast<size_t>(ptr - line.data());
  return true;
}

}  // namespace

absl::StatusOr<FollowEdges> ReadFollowEdges(const std::string& path) {
  auto reader = OpenLineReader(path);
  if (!reader.ok()) return reader.status();
  FollowEdges out;
  Line line;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(&line);
    if (!more.ok()) return more.status();
    if (!*more) break;
    ++out.lines;
    std::string_view text = line.text;
    if (size_t hash = text.find('#'); hash != std::string_view::npos) text = text.substr(0, hash);
    size_t pos = 0;
    while (pos < text.size() && IsSpace(text[pos])) ++pos;
    if (pos == text.size()) continue;
    uint64_t follower = 0, followee = 0;
    if (line.too_long || !NextId(text, &pos, &follower) || !NextId(text, &pos, &followee) ||
        follower == 0 || followee == 0) {
      if (out.bad_lines++ == 0) {
        out.first_bad = fmt::format("{}:{}", line.position.source, line.position.line);
      }
      continue;
    }
    out.edges.emplace_back(UserId{follower}, UserId{followee});
  }
  return out;
}

}  // namespace reach::ingest
