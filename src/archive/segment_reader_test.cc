#include "archive/segment_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "archive/archive_test_util.h"
#include "archive/segment_compressor.h"
#include "archive/segment_format.h"
#include "archive/segment_writer.h"

namespace reach::archive {
namespace {

using ::reach::archive::testing::FileNames;
using ::reach::archive::testing::ReadFile;
using ::reach::archive::testing::TempDir;
using ::reach::archive::testing::WriteFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr EventTime kArrival = EventTime::FromSeconds(1'700'000'000);
constexpr size_t kRecordSize = 60;
constexpr size_t kFramed = kRecordHeaderBytes + kRecordSize;

std::string Payload(uint64_t i) {
  std::string s = "record " + std::to_string(i) + " ";
  s.resize(kRecordSize, static_cast<char>('a' + i % 26));
  return s;
}

// Writes records 1..n, `per_segment` per segment, compressed or not; the last segment stays open.
void WriteArchive(const std::string& dir, uint64_t n, uint64_t per_segment, bool compress) {
  WriterOptions options;
  options.compress_on_rotation = compress;
  options.compress_in_background = false;
  options.max_segment_bytes = kSegmentHeaderBytes + per_segment * kFramed;
  auto writer = ArchiveWriter::Open(dir, options);
  ASSERT_TRUE(writer.ok()) << writer.status();
  for (uint64_t i = 1; i <= n; ++i) ASSERT_TRUE((*writer)->Append(Payload(i), kArrival).ok());
  ASSERT_TRUE((*writer)->Close().ok());
}

struct Outcome {
  std::vector<uint64_t> sequences;
  absl::Status status;
  ReaderStats stats;
};

Outcome ReadAll(const std::string& dir, ReaderOptions options = {}) {
  Outcome out;
  auto reader = ArchiveReader::Open(dir, options);
  if (!reader.ok()) {
    out.status = reader.status();
    return out;
  }
  while (true) {
    auto rec = (*reader)->Next();
    if (!rec.ok()) {
      out.status = rec.status();
      // The error is sticky.
      EXPECT_EQ((*reader)->Next().status(), rec.status());
      break;
    }
    if (!rec->has_value()) break;
    EXPECT_EQ((*rec)->data, Payload((*rec)->sequence));
    out.sequences.push_back((*rec)->sequence);
  }
  out.stats = (*reader)->stats();
  return out;
}

std::vector<uint64_t> Range(uint64_t from, uint64_t to) {
  std::vector<uint64_t> v;
  for (uint64_t i = from; i <= to; ++i) v.push_back(i);
  return v;
}

// Offset of record `k` (1-based, k-th in its segment) in an uncompressed segment.
uint64_t OffsetOfRecord(uint64_t k) { return kSegmentHeaderBytes + (k - 1) * kFramed; }

void FlipByte(const std::string& path, uint64_t offset) {
  std::string bytes = ReadFile(path);
  ASSERT_LT(offset, bytes.size());
  bytes[offset] = static_cast<char>(bytes[offset] ^ 0x40);
  WriteFile(path, bytes);
}

TEST(ArchiveReaderTest, MissingDirectoryIsNotFound) {
  TempDir tmp;
  auto reader = ArchiveReader::Open(tmp.File("nope"));
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kNotFound);
}

TEST(ArchiveReaderTest, EmptyArchiveHasNoRecords) {
  TempDir tmp;
  WriteFile(tmp.File("README"), "not a segment");
  auto reader = ArchiveReader::Open(tmp.path());
  ASSERT_TRUE(reader.ok());
  auto rec = (*reader)->Next();
  ASSERT_TRUE(rec.ok());
  EXPECT_FALSE(rec->has_value());
  EXPECT_EQ((*reader)->total_bytes(), 0u);
  EXPECT_EQ((*reader)->stats().segments_read, 0u);
}

TEST(ArchiveReaderTest, ReadsAcrossPlainAndCompressedSegments) {
  TempDir tmp;
  WriteArchive(tmp.path(), 25, 10, /*compress=*/true);
  EXPECT_THAT(FileNames(tmp.path()),
              ElementsAre("00000000000000000001.seg.zst", "00000000000000000011.seg.zst",
                          "00000000000000000021.seg"));
  Outcome out = ReadAll(tmp.path());
  ASSERT_TRUE(out.status.ok()) << out.status;
  EXPECT_EQ(out.sequences, Range(1, 25));
  EXPECT_EQ(out.stats.segments_read, 3u);
  EXPECT_EQ(out.stats.torn_tail_bytes, 0u);
}

TEST(ArchiveReaderTest, StartsFromAMiddleSequence) {
  TempDir tmp;
  WriteArchive(tmp.path(), 25, 10, /*compress=*/true);
  Outcome mid = ReadAll(tmp.path(), {.start_sequence = 14});
  ASSERT_TRUE(mid.status.ok());
  EXPECT_EQ(mid.sequences, Range(14, 25));
  EXPECT_EQ(mid.stats.records_before_start, 3u);  // 11..13, in the segment that holds 14
  EXPECT_EQ(mid.stats.segments_read, 2u);         // segment 1 is not opened at all
  Outcome boundary = ReadAll(tmp.path(), {.start_sequence = 21});
  EXPECT_EQ(boundary.sequences, Range(21, 25));
  EXPECT_EQ(boundary.stats.records_before_start, 0u);
  Outcome past_end = ReadAll(tmp.path(), {.start_sequence = 26});
  ASSERT_TRUE(past_end.status.ok());
  EXPECT_TRUE(past_end.sequences.empty());
}

TEST(ArchiveReaderTest, ProgressCountsFileBytes) {
  TempDir tmp;
  WriteArchive(tmp.path(), 25, 10, /*compress=*/true);
  uint64_t on_disk = 0;
  for (const auto& e : std::filesystem::directory_iterator(tmp.path())) on_disk += e.file_size();
  auto reader = ArchiveReader::Open(tmp.path());
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->total_bytes(), on_disk);
  EXPECT_EQ((*reader)->bytes_consumed(), 0u);
  while (true) {
    auto rec = (*reader)->Next();
    ASSERT_TRUE(rec.ok());
    if (!rec->has_value()) break;
  }
  EXPECT_EQ((*reader)->bytes_consumed(), on_disk);
}

TEST(ArchiveReaderTest, ChecksumCorruptionInAClosedSegmentIsDataLoss) {
  TempDir tmp;
  WriteArchive(tmp.path(), 25, 10, /*compress=*/false);
  const std::string path = tmp.File("00000000000000000011.seg");
  FlipByte(path, OffsetOfRecord(4) + kRecordHeaderBytes + 5);  // record 14's payload
  Outcome out = ReadAll(tmp.path());
  EXPECT_EQ(out.status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(out.status.message(), HasSubstr("00000000000000000011.seg"));
  EXPECT_THAT(out.status.message(),
              HasSubstr("offset " + std::to_string(OffsetOfRecord(4)) + ": checksum mismatch"));
  EXPECT_EQ(out.sequences, Range(1, 13));
}

TEST(ArchiveReaderTest, SkipModeCountsTheCorruptRecord) {
  TempDir tmp;
  WriteArchive(tmp.path(), 25, 10, /*compress=*/false);
  FlipByte(tmp.File("00000000000000000011.seg"), OffsetOfRecord(4) + kRecordHeaderBytes + 5);
  Outcome out = ReadAll(tmp.path(), {.on_corruption = CorruptionPolicy::kSkip});
  ASSERT_TRUE(out.status.ok()) << out.status;
  std::vector<uint64_t> expected = Range(1, 13);
  for (uint64_t i = 15; i <= 25; ++i) expected.push_back(i);
  EXPECT_EQ(out.sequences, expected);
  EXPECT_EQ(out.stats.corrupt_regions, 1u);
  EXPECT_EQ(out.stats.records_skipped, 1u);
  EXPECT_EQ(out.stats.corrupt_bytes_skipped, kFramed);
}

TEST(ArchiveReaderTest, SkipModeResynchronisesAfterACorruptLength) {
  TempDir tmp;
  WriteArchive(tmp.path(), 25, 10, /*compress=*/false);
  // Record 3's length field (bytes 4..8 of its header): a huge length runs past the segment.
  FlipByte(tmp.File("00000000000000000001.seg"), OffsetOfRecord(3) + 7);
  Outcome fail = ReadAll(tmp.path());
  EXPECT_EQ(fail.status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(fail.status.message(), HasSubstr("offset " + std::to_string(OffsetOfRecord(3))));
  Outcome out = ReadAll(tmp.path(), {.on_corruption = CorruptionPolicy::kSkip});
  ASSERT_TRUE(out.status.ok()) << out.status;
  std::vector<uint64_t> expected = {1, 2};
  for (uint64_t i = 4; i <= 25; ++i) expected.push_back(i);
  EXPECT_EQ(out.sequences, expected);
  EXPECT_EQ(out.stats.records_skipped, 1u);
}

TEST(ArchiveReaderTest, CorruptionInACompressedSegmentIsDataLoss) {
  TempDir tmp;
  WriteArchive(tmp.path(), 25, 10, /*compress=*/true);
  const std::string path = tmp.File("00000000000000000001.seg.zst");
  FlipByte(path, std::filesystem::file_size(path) / 2);
  Outcome out = ReadAll(tmp.path());
  EXPECT_EQ(out.status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(out.status.message(), HasSubstr("00000000000000000001.seg.zst"));
  // Skipping loses the damaged segment's unreadable rest, counted as a gap before segment 11.
  Outcome skip = ReadAll(tmp.path(), {.on_corruption = CorruptionPolicy::kSkip});
  ASSERT_TRUE(skip.status.ok()) << skip.status;
  EXPECT_GE(skip.stats.corrupt_regions, 1u);
  EXPECT_EQ(skip.sequences.size() + skip.stats.records_skipped, 25u);
  EXPECT_EQ(skip.sequences.back(), 25u);
}

TEST(ArchiveReaderTest, MissingSegmentIsAGap) {
  TempDir tmp;
  WriteArchive(tmp.path(), 25, 10, /*compress=*/true);
  std::filesystem::remove(tmp.File("00000000000000000011.seg.zst"));
  Outcome out = ReadAll(tmp.path());
  EXPECT_EQ(out.status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(out.status.message(), HasSubstr("records 11 to 20 are missing"));
  EXPECT_EQ(out.sequences, Range(1, 10));
  Outcome skip = ReadAll(tmp.path(), {.on_corruption = CorruptionPolicy::kSkip});
  ASSERT_TRUE(skip.status.ok());
  EXPECT_EQ(skip.stats.records_skipped, 10u);
  EXPECT_EQ(skip.sequences.size(), 15u);
  // A checkpoint older than the oldest segment is a gap too.
  std::filesystem::remove(tmp.File("00000000000000000001.seg.zst"));
  Outcome old = ReadAll(tmp.path(), {.start_sequence = 5});
  EXPECT_THAT(old.status.message(), HasSubstr("records 5 to 20 are missing"));
}

TEST(ArchiveReaderTest, TornTailOfTheNewestSegmentEndsTheIteration) {
  TempDir tmp;
  WriteArchive(tmp.path(), 25, 10, /*compress=*/true);
  const std::string newest = tmp.File("00000000000000000021.seg");
  const uint64_t cut = OffsetOfRecord(5) + 11;  // inside record 25
  std::filesystem::resize_file(newest, cut);
  Outcome out = ReadAll(tmp.path());
  ASSERT_TRUE(out.status.ok()) << out.status;
  EXPECT_EQ(out.sequences, Range(1, 24));
  EXPECT_EQ(out.stats.torn_tail_bytes, 11u);
}

TEST(ArchiveReaderTest, FindsASegmentCompressedAfterOpen) {
  TempDir tmp;
  WriteArchive(tmp.path(), 25, 10, /*compress=*/false);
  auto reader = ArchiveReader::Open(tmp.path());
  ASSERT_TRUE(reader.ok());
  CompressorStats stats;
  ASSERT_TRUE(CompressSegmentFile(tmp.path(), tmp.File("00000000000000000011.seg"),
                                  tmp.File("00000000000000000011.seg.zst"), 3, false, &stats)
                  .ok());
  std::vector<uint64_t> seen;
  while (true) {
    auto rec = (*reader)->Next();
    ASSERT_TRUE(rec.ok()) << rec.status();
    if (!rec->has_value()) break;
    seen.push_back((*rec)->sequence);
  }
  EXPECT_EQ(seen, Range(1, 25));
}

// Realistic lines: the Twitter v1.1 fixture corpus, repeated to `target` bytes.
std::vector<std::string> CorpusLines(size_t target) {
  std::vector<std::string> base;
  std::ifstream in(REACH_SHARED_DATA "/twitter-v1/all_fixture_tweets_v11.jsonl");
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) base.push_back(line);
  }
  if (base.empty()) base.push_back(std::string(800, 'x'));  // data not present: synthetic
  std::vector<std::string> lines;
  size_t bytes = 0;
  for (size_t i = 0; bytes < target; ++i) {
    lines.push_back(base[i % base.size()]);
    bytes += lines.back().size();
  }
  return lines;
}

TEST(ArchiveThroughputTest, ReportsAppendAndReadRates) {
  TempDir tmp;
  const std::vector<std::string> lines = CorpusLines(24u << 20);
  uint64_t bytes = 0;
  for (const auto& l : lines) bytes += l.size();
  WriterOptions options;
  options.fsync = FsyncPolicy::kNever;
  options.compress_on_rotation = false;  // append path only
  auto t0 = std::chrono::steady_clock::now();
  {
    auto writer = ArchiveWriter::Open(tmp.path(), options);
    ASSERT_TRUE(writer.ok());
    for (const auto& l : lines) ASSERT_TRUE((*writer)->Append(l, kArrival).ok());
    ASSERT_TRUE((*writer)->Close().ok());
  }
  auto t1 = std::chrono::steady_clock::now();
  auto reader = ArchiveReader::Open(tmp.path());
  ASSERT_TRUE(reader.ok());
  uint64_t read_bytes = 0;
  uint64_t n = 0;
  while (true) {
    auto rec = (*reader)->Next();
    ASSERT_TRUE(rec.ok());
    if (!rec->has_value()) break;
    ASSERT_EQ((*rec)->data, lines[n]);
    read_bytes += (*rec)->data.size();
    ++n;
  }
  auto t2 = std::chrono::steady_clock::now();
  ASSERT_EQ(n, lines.size());
  ASSERT_EQ(read_bytes, bytes);
  const double mb = static_cast<double>(bytes) / 1e6;
  const double append_s = std::chrono::duration<double>(t1 - t0).count();
  const double read_s = std::chrono::duration<double>(t2 - t1).count();
  std::printf(
      "[ throughput ] %zu records, %.1f MB: append %.0f MB/s, read %.0f MB/s (Debug build, "
      "fsync never, plain segments)\n",
      lines.size(), mb, mb / append_s, mb / read_s);
}

}  // namespace
}  // namespace reach::archive
