// The practical limit for ingest: a bare simdjson on-demand pass over a v1.1 NDJSON file that
// reads, per line, the post id, and the author's follower count, and nothing else. Reach's full
// pipeline is measured against this (docs/benchmarks.md, "Ingest").
//
//   build/bench/bench/bare_simdjson FILE.jsonl
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <simdjson.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bare_simdjson FILE.jsonl\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  std::vector<std::string> lines;
  size_t bytes = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    bytes += line.size();
    lines.push_back(std::move(line));
  }
  simdjson::ondemand::parser parser;
  uint64_t checksum = 0, parsed = 0;
  auto start = std::chrono::steady_clock::now();
  for (const std::string& line : lines) {
    simdjson::padded_string padded(line);
    auto doc = parser.iterate(padded);
    simdjson::ondemand::object obj;
    if (doc.get_object().get(obj)) continue;
    for (auto field : obj) {
      std::string_view key;
      if (field.unescaped_key().get(key)) break;
      if (key == "id_str") {
        std::string_view id;
        if (!field.value().get_string().get(id)) checksum += id.size();
      } else if (key == "user") {
        simdjson::ondemand::object user;
        if (field.value().get_object().get(user)) break;
        for (auto u : user) {
          std::string_view k;
          if (u.unescaped_key().get(k)) break;
          int64_t followers = 0;
          if (k == "followers_count" && !u.value().get_int64().get(followers))
            checksum += followers;
        }
      }
    }
    ++parsed;
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The checksum keeps the work from being optimised away and lets runs be compared.
  std::printf("%zu lines, %.0f lines/s, %.0f MB/s, checksum %llu\n", lines.size(),
              static_cast<double>(parsed) / s, static_cast<double>(bytes) / s / 1e6,
              static_cast<unsigned long long>(checksum));
  return parsed == lines.size() ? 0 : 1;
}
