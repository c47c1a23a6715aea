// archive_bench: how fast the raw archive appends and reads, on real tweets.
//
//   archive_bench [DIR] [MEGABYTES] [BATCH_RECORDS]
//   archive_bench /tmp/archive_bench 64 100
//
// Records are the lines of the Twitter v1.1 fixture corpus (REACH_SHARED_DATA/twitter-v1,
// about 4.5 KB each), repeated to MEGABYTES. Workloads, each in a fresh directory under DIR:
//   baseline/write    write(2) of the lines + '\n' to one file, fdatasync every batch: what a plain
//                     JSONL dump costs under the strictest policy (the same-run baseline)
//   append/<policy>   ArchiveWriter::Append each line, Flush every BATCH_RECORDS records, default
//                     options otherwise (5 MiB segments, zstd level 3 on a background thread);
//                     the time stops at the last Flush, the wait for compression is shown apart
//   baseline/read     read(2) of the baseline file in 256 KiB chunks, splitting lines
//   read/plain        ArchiveReader over the archive written without compression
//   read/zst          ArchiveReader over the compressed archive (streaming zstd)
// Every workload's result is checked (record count, bytes, a content hash) against the input
// before its figure is printed; a mismatch exits with status 1.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "archive/crc32c.h"
#include "archive/segment_reader.h"
#include "archive/segment_writer.h"
#include "common/log.h"

namespace {

namespace fs = std::filesystem;
using reach::EventTime;
using reach::archive::ArchiveReader;
using reach::archive::ArchiveWriter;
using reach::archive::FsyncPolicy;
using reach::archive::FsyncPolicyName;
using reach::archive::WriterOptions;
using Clock = std::chrono::steady_clock;

struct Digest {
  uint64_t records = 0;
  uint64_t bytes = 0;
  uint64_t hash = 0;  // order-sensitive
  void Add(std::string_view s) {
    ++records;
    bytes += s.size();
    hash = hash * 1099511628211ull + reach::archive::crc32c::Value(s);
  }
  bool operator==(const Digest&) const = default;
};

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "archive_bench: %s: result does not match the input\n", what);
    std::exit(1);
  }
}

uint64_t DirBytes(const fs::path& dir) {
  uint64_t total = 0;
  for (const auto& e : fs::directory_iterator(dir)) total += e.file_size();
  return total;
}

void Report(const char* name, const Digest& d, double seconds, const std::string& extra) {
  const double mb = static_cast<double>(d.bytes) / 1e6;
  std::printf("%-16s %8.1f MB  %7.3f s  %8.1f MB/s  %9.0f records/s  %s\n", name, mb, seconds,
              mb / seconds, static_cast<double>(d.records) / seconds, extra.c_str());
}

Digest ReadArchive(const fs::path& dir) {
  Digest d;
  auto reader = ArchiveReader::Open(dir.string());
  Check(reader.ok(), "open reader");
  while (true) {
    auto rec = (*reader)->Next();
    Check(rec.ok(), "read");
    if (!rec->has_value()) break;
    d.Add((*rec)->data);
  }
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path root = argc > 1 ? argv[1] : "/tmp/archive_bench";
  const uint64_t megabytes = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 64;
  const uint64_t batch = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 100;
  reach::log::SetLevel("warn");

  std::vector<std::string> base;
  std::ifstream in(REACH_SHARED_DATA "/twitter-v1/all_fixture_tweets_v11.jsonl");
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) base.push_back(line);
  }
  Check(!base.empty(), "corpus (twitter-v1/all_fixture_tweets_v11.jsonl)");
  std::vector<std::string> lines;
  Digest input;
  for (size_t i = 0; input.bytes < megabytes * 1000000; ++i) {
    lines.push_back(base[i % base.size()]);
    input.Add(lines.back());
  }
  fs::remove_all(root);
  fs::create_directories(root);
  std::printf("corpus: %lu records, %.1f MB, mean %.0f bytes; flush every %lu records; crc32c %s\n",
              static_cast<unsigned long>(input.records), static_cast<double>(input.bytes) / 1e6,
              static_cast<double>(input.bytes) / static_cast<double>(input.records),
              static_cast<unsigned long>(batch),
              reach::archive::crc32c::HardwareAccelerated() ? "sse4.2" : "portable");

  // Baseline: plain write(2) + fdatasync per batch.
  const fs::path raw = root / "baseline.jsonl";
  {
    const int fd = ::open(raw.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    Check(fd >= 0, "open baseline");
    std::string buf;
    auto t0 = Clock::now();
    for (size_t i = 0; i < lines.size(); ++i) {
      buf += lines[i];
      buf += '\n';
      if ((i + 1) % batch == 0 || i + 1 == lines.size()) {
        Check(::write(fd, buf.data(), buf.size()) == static_cast<ssize_t>(buf.size()), "write");
        Check(::fdatasync(fd) == 0, "fdatasync");
        buf.clear();
      }
    }
    auto t1 = Clock::now();
    ::close(fd);
    Check(fs::file_size(raw) == input.bytes + input.records, "baseline size");
    Report("baseline/write", input, Seconds(t0, t1), "fdatasync per batch");
  }

  for (FsyncPolicy policy :
       {FsyncPolicy::kNever, FsyncPolicy::kOnRotate, FsyncPolicy::kEveryBatch}) {
    const fs::path dir = root / fmt::format("append_{}", FsyncPolicyName(policy));
    WriterOptions options;
    options.fsync = policy;
    auto writer = ArchiveWriter::Open(dir.string(), options);
    Check(writer.ok(), "open writer");
    const EventTime arrival = EventTime::FromSeconds(1'700'000'000);
    auto t0 = Clock::now();
    for (size_t i = 0; i < lines.size(); ++i) {
      Check((*writer)->Append(lines[i], arrival).ok(), "append");
      if ((i + 1) % batch == 0) Check((*writer)->Flush().ok(), "flush");
    }
    Check((*writer)->Flush().ok(), "flush");
    auto t1 = Clock::now();
    Check((*writer)->Close().ok(), "close");
    auto t2 = Clock::now();
    const auto stats = (*writer)->stats();
    Check(ReadArchive(dir) == input, "append read-back");
    const std::string name = fmt::format("append/{}", FsyncPolicyName(policy));
    Report(name.c_str(), input, Seconds(t0, t1),
           fmt::format("{} file syncs, {} segments, then {:.2f} s waiting for compression; "
                       "on disk {:.1f} MB",
                       stats.file_syncs, stats.segments_created, Seconds(t1, t2),
                       static_cast<double>(DirBytes(dir)) / 1e6));
  }

  // Reads: the baseline file, an uncompressed archive, the compressed archive.
  {
    std::string buf(256 << 10, '\0');
    std::string carry;
    Digest d;
    auto t0 = Clock::now();
    const int fd = ::open(raw.c_str(), O_RDONLY);
    Check(fd >= 0, "open baseline");
    while (true) {
      ssize_t r = ::read(fd, buf.data(), buf.size());
      Check(r >= 0, "read baseline");
      if (r == 0) break;
      std::string_view chunk(buf.data(), static_cast<size_t>(r));
      size_t start = 0;
      for (size_t nl; (nl = chunk.find('\n', start)) != std::string_view::npos; start = nl + 1) {
        if (carry.empty()) {
          d.Add(chunk.substr(start, nl - start));
        } else {
          carry.append(chunk.substr(start, nl - start));
          d.Add(carry);
          carry.clear();
        }
      }
      carry.append(chunk.substr(start));
    }
    ::close(fd);
    auto t1 = Clock::now();
    Check(d == input, "baseline read");
    Report("baseline/read", d, Seconds(t0, t1), "page cache");
  }
  {
    const fs::path dir = root / "plain";
    WriterOptions options;
    options.fsync = FsyncPolicy::kNever;
    options.compress_on_rotation = false;
    auto writer = ArchiveWriter::Open(dir.string(), options);
    Check(writer.ok(), "open writer");
    for (const auto& l : lines) Check((*writer)->Append(l, EventTime{}).ok(), "append");
    Check((*writer)->Close().ok(), "close");
    auto t0 = Clock::now();
    Digest d = ReadArchive(dir);
    auto t1 = Clock::now();
    Check(d == input, "read/plain");
    Report("read/plain", d, Seconds(t0, t1),
           fmt::format("{:.1f} MB on disk, page cache", static_cast<double>(DirBytes(dir)) / 1e6));
  }
  {
    const fs::path dir = root / "append_batch";
    auto t0 = Clock::now();
    Digest d = ReadArchive(dir);
    auto t1 = Clock::now();
    Check(d == input, "read/zst");
    Report("read/zst", d, Seconds(t0, t1),
           fmt::format("{:.1f} MB on disk (ratio {:.1f}), page cache",
                       static_cast<double>(DirBytes(dir)) / 1e6,
                       static_cast<double>(input.bytes) / static_cast<double>(DirBytes(dir))));
  }
  {
    std::string block(64 << 20, 'x');
    for (size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>(i * 131 + (i >> 9));
    auto t0 = Clock::now();
    const uint32_t a = reach::archive::crc32c::Value(block);
    auto t1 = Clock::now();
    const uint32_t b = reach::archive::crc32c::ExtendPortable(0, block.data(), block.size());
    auto t2 = Clock::now();
    Check(a == b, "crc32c");
    std::printf("crc32c: dispatched %.2f GB/s, portable %.2f GB/s\n",
                static_cast<double>(block.size()) / 1e9 / Seconds(t0, t1),
                static_cast<double>(block.size()) / 1e9 / Seconds(t1, t2));
  }
  fs::remove_all(root);
  return 0;
}
