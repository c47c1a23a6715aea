// Test support for the golden-count tests of the v2 and SNAP decoders: decodes every line of a
// shared sample file and tallies the columns of tests/golden/expected_counts_v2_snap.tsv (written
// by tests/golden/count_v2_snap.py, an independent stdlib Python computation). Test-only.
#ifndef REACH_INGEST_TWITTER_V2_DECODER_GOLDEN_COUNTS_H_
#define REACH_INGEST_TWITTER_V2_DECODER_GOLDEN_COUNTS_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "ingest/decoder.h"
#include "ingest/line_reader.h"
#include "model/event.h"

namespace reach::ingest::golden {

inline constexpr char kExpectedTsv[] = REACH_SOURCE_DIR "/tests/golden/expected_counts_v2_snap.tsv";

// Column name -> value, keyed by file (relative to the shared data directory).
using Table = std::map<std::string, std::map<std::string, int64_t>>;

inline Table ReadExpected() {
  Table table;
  std::ifstream in(kExpectedTsv);
  std::string line;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) cells.push_back(cell);
    if (header.empty()) {
      header = cells;
      continue;
    }
    for (size_t i = 1; i < cells.size() && i < header.size(); ++i) {
      table[cells[0]][header[i]] = std::stoll(cells[i]);
    }
  }
  return table;
}

// Decodes every line of `path` and tallies what the TSV counts, plus "distinct_post_ids" (not in
// the TSV: for checks that synthetic ids do not collide).
inline std::map<std::string, int64_t> CountFile(const std::string& path, Decoder* decoder) {
  std::map<std::string, int64_t> c;
  std::unordered_set<uint64_t> parents, post_ids;
  auto reader = OpenLineReader(path);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return c;
  Line line;
  std::vector<model::Event> events;
  while (true) {
    auto more = (*reader)->Next(&line);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    ++c["records"];
    events.clear();
    DecodeResult r = decoder->Decode(line.text, &events);
    if (!r.accepted) {
      ++c["rejected"];
      continue;
    }
    ++c["accepted"];
    if (!r.control.empty()) ++c["controls"];
    for (const model::Event& e : events) {
      if (std::holds_alternative<model::UserSnapshot>(e)) {
        ++c["users"];
        continue;
      }
      const auto* p = std::get_if<model::Post>(&e);
      if (p == nullptr) continue;
      ++c["posts"];
      switch (p->kind) {
        case model::PostKind::kOriginal:
          ++c["originals"];
          break;
        case model::PostKind::kReshare:
          ++c["reshares"];
          break;
        case model::PostKind::kQuote:
          ++c["quotes"];
          break;
        case model::PostKind::kReply:
          ++c["replies"];
          break;
      }
      c["mentions"] += static_cast<int64_t>(p->mentions.size());
      c["hashtags"] += static_cast<int64_t>(p->hashtags.size());
      c["urls"] += static_cast<int64_t>(p->urls.size());
      if (p->counters.likes >= 0) c["like_sum"] += p->counters.likes;
      if (p->parent.valid()) parents.insert(p->parent.value);
      post_ids.insert(p->id.value);
    }
  }
  c["distinct_parents"] = static_cast<int64_t>(parents.size());
  c["distinct_post_ids"] = static_cast<int64_t>(post_ids.size());
  return c;
}

}  // namespace reach::ingest::golden

#endif  // REACH_INGEST_TWITTER_V2_DECODER_GOLDEN_COUNTS_H_
