// Test helper for the decoder golden tests: counts what a Decoder makes of a sample file, in the
// columns of tests/golden/expected_counts.tsv (written by tests/golden/count_events.py, an
// independent computation), and reads that TSV. Header-only, for tests; not thread-safe.
#ifndef REACH_TESTS_GOLDEN_GOLDEN_COUNTS_H_
#define REACH_TESTS_GOLDEN_GOLDEN_COUNTS_H_

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "ingest/decoder.h"
#include "model/event.h"

namespace reach::ingest::golden {

using Counts = std::map<std::string, int64_t>;

// Adds the events of one decoded record to *c.
inline void CountEvents(const std::vector<model::Event>& events, Counts* c) {
  for (const model::Event& e : events) {
    if (const auto* p = std::get_if<model::Post>(&e)) {
      ++(*c)["posts"];
      switch (p->kind) {
        case model::PostKind::kOriginal:
          ++(*c)["originals"];
          break;
        case model::PostKind::kReshare:
          ++(*c)["reshares"];
          break;
        case model::PostKind::kQuote:
          ++(*c)["quotes"];
          break;
        case model::PostKind::kReply:
          ++(*c)["replies"];
          break;
      }
      (*c)["hashtags"] += static_cast<int64_t>(p->hashtags.size());
      (*c)["mentions"] += static_cast<int64_t>(p->mentions.size());
    } else if (std::holds_alternative<model::UserSnapshot>(e)) {
      ++(*c)["users"];
    } else if (std::holds_alternative<model::Like>(e)) {
      ++(*c)["likes"];
    } else if (const auto* f = std::get_if<model::Follow>(&e)) {
      ++(*c)[f->follow ? "follows" : "unfollows"];
    } else if (std::holds_alternative<model::Delete>(e)) {
      ++(*c)["deletes"];
    }
  }
}

// Decodes every non-empty line of `path`. `via` is not an event property and is left to callers.
inline Counts CountFile(Decoder& decoder, const std::string& path) {
  Counts c;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    ++c["records"];
    std::vector<model::Event> events;
    DecodeResult r = decoder.Decode(line, &events);
    if (!r.accepted) continue;
    ++c["accepted"];
    if (!r.control.empty()) ++c["controls"];
    CountEvents(events, &c);
  }
  return c;
}

// expected_counts.tsv: file -> column -> count ("format" is dropped).
inline std::map<std::string, Counts> ReadExpectedCounts(const std::string& tsv_path) {
  std::map<std::string, Counts> rows;
  std::ifstream in(tsv_path);
  std::string line;
  std::vector<std::string> header;
  auto split = [](const std::string& s) {
    std::vector<std::string> fields;
    std::stringstream ss(s);
    for (std::string f; std::getline(ss, f, '\t');) fields.push_back(f);
    return fields;
  };
  if (!std::getline(in, line)) return rows;
  header = split(line);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields = split(line);
    Counts& c = rows[fields[0]];
    for (size_t i = 2; i < fields.size() && i < header.size(); ++i) {
      c[header[i]] = std::stoll(fields[i]);
    }
  }
  return rows;
}

}  // namespace reach::ingest::golden

#endif  // REACH_TESTS_GOLDEN_GOLDEN_COUNTS_H_
