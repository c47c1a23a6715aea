// The practical limit for ingest: a bare simdjson on-demand pass over a v1.1 NDJSON file that
// streams the file in 1 MiB chunks, as Reach's line reader does, and reads, per line, the post id
// and the author's follower count, and nothing else. The time covers reading and parsing (the
// whole pass), so it compares with Reach's whole-process time (docs/benchmarks.md, "Ingest").
//
//   build/bench/bench/bare_simdjson FILE.jsonl
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

namespace {

struct Pass {
  simdjson::ondemand::parser parser;
  std::vector<char> padded;  // the line, followed by SIMDJSON_PADDING bytes
  uint64_t checksum = 0, parsed = 0, lines = 0, bytes = 0;

  void Line(std::string_view line) {
    if (line.empty()) return;
    ++lines;
    bytes += line.size();
    if (padded.size() < line.size() + simdjson::SIMDJSON_PADDING) {
      padded.resize(line.size() + simdjson::SIMDJSON_PADDING);
    }
    std::memcpy(padded.data(), line.data(), line.size());
    std::memset(padded.data() + line.size(), ' ', simdjson::SIMDJSON_PADDING);
    auto doc =
        parser.iterate(simdjson::padded_string_view(padded.data(), line.size(), padded.size()));
    simdjson::ondemand::object obj;
    if (doc.get_object().get(obj)) return;
    for (auto field : obj) {
      std::string_view key;
      if (field.unescaped_key().get(key)) return;
      if (key == "id_str") {
        std::string_view id;
        if (!field.value().get_string().get(id)) checksum += id.size();
      } else if (key == "user") {
        simdjson::ondemand::object user;
        if (field.value().get_object().get(user)) return;
        for (auto u : user) {
          std::string_view k;
          if (u.unescaped_key().get(k)) return;
          int64_t followers = 0;
          if (k == "followers_count" && !u.value().get_int64().get(followers))
            checksum += followers;
        }
      }
    }
    ++parsed;
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bare_simdjson FILE.jsonl\n");
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  std::FILE* in = std::fopen(argv[1], "rb");
  if (in == nullptr) {
    std::fprintf(stderr, "bare_simdjson: cannot open %s\n", argv[1]);
    return 2;
  }
  Pass pass;
  std::string buf;
  std::vector<char> chunk(1 << 20);
  size_t n;
  while ((n = std::fread(chunk.data(), 1, chunk.size(), in)) > 0) {
    buf.append(chunk.data(), n);
    size_t pos = 0;
    for (size_t nl; (nl = buf.find('\n', pos)) != std::string::npos; pos = nl + 1) {
      pass.Line(std::string_view(buf).substr(pos, nl - pos));
    }
    buf.erase(0, pos);
  }
  pass.Line(buf);
  std::fclose(in);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The checksum keeps the work from being optimised away and lets runs be compared.
  std::printf("%llu lines, %.0f lines/s, %.0f MB/s, checksum %llu\n",
              static_cast<unsigned long long>(pass.lines), static_cast<double>(pass.parsed) / s,
              static_cast<double>(pass.bytes) / s / 1e6,
              static_cast<unsigned long long>(pass.checksum));
  return pass.parsed == pass.lines ? 0 : 1;
}
