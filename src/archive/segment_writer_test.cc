#include "archive/segment_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zstd.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "archive/archive_test_util.h"
#include "archive/segment_format.h"
#include "archive/segment_reader.h"
#include "common/clock.h"

namespace reach::archive {
namespace {

using ::reach::archive::testing::FileNames;
using ::reach::archive::testing::ReadFile;
using ::reach::archive::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr EventTime kArrival = EventTime::FromSeconds(1'700'000'000);

std::string Payload(uint64_t i, size_t size = 40) {
  std::string s = "{\"id\":" + std::to_string(i) + ",\"text\":\"";
  while (s.size() + 2 < size) s.push_back(static_cast<char>('a' + (i + s.size()) % 26));
  s += "\"}";
  return s;  // exactly `size` bytes for the sizes used here
}

struct Read {
  std::vector<uint64_t> sequences;
  std::vector<std::string> records;
  std::vector<int64_t> arrivals;
};

Read ReadAll(const std::string& dir, uint64_t start = 0) {
  Read out;
  auto reader = ArchiveReader::Open(dir, ReaderOptions{.start_sequence = start});
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return out;
  while (true) {
    auto rec = (*reader)->Next();
    EXPECT_TRUE(rec.ok()) << rec.status();
    if (!rec.ok() || !rec->has_value()) break;
    out.sequences.push_back((*rec)->sequence);
    out.records.emplace_back((*rec)->data);
    out.arrivals.push_back((*rec)->arrival.micros);
  }
  return out;
}

std::unique_ptr<ArchiveWriter> OpenOrDie(const std::string& dir, WriterOptions options) {
  auto writer = ArchiveWriter::Open(dir, options);
  EXPECT_TRUE(writer.ok()) << writer.status();
  return writer.ok() ? std::move(*writer) : nullptr;
}

WriterOptions Synchronous(WriterOptions options = {}) {
  options.compress_in_background = false;
  return options;
}

TEST(ArchiveWriterTest, OpenCreatesTheDirectoryAndStartsAtOne) {
  TempDir tmp;
  const std::string dir = tmp.File("nested/archive");
  auto writer = OpenOrDie(dir, {});
  ASSERT_NE(writer, nullptr);
  EXPECT_TRUE(std::filesystem::is_directory(dir));
  EXPECT_EQ(writer->next_sequence(), 1u);
  EXPECT_EQ(writer->last_sequence(), 0u);
  EXPECT_TRUE(FileNames(dir).empty());  // no segment before the first record
}

TEST(ArchiveWriterTest, AppendReturnsDenseSequenceNumbersAndRoundTrips) {
  TempDir tmp;
  auto writer = OpenOrDie(tmp.path(), {});
  for (uint64_t i = 1; i <= 5; ++i) {
    auto seq = writer->Append(Payload(i), kArrival + Duration::Seconds(static_cast<int64_t>(i)));
    ASSERT_TRUE(seq.ok()) << seq.status();
    EXPECT_EQ(*seq, i);
  }
  ASSERT_TRUE(writer->Flush().ok());
  Read r = ReadAll(tmp.path());
  EXPECT_THAT(r.sequences, ElementsAre(1, 2, 3, 4, 5));
  EXPECT_EQ(r.records[2], Payload(3));
  EXPECT_EQ(r.arrivals[4], (kArrival + Duration::Seconds(5)).micros);
  EXPECT_THAT(FileNames(tmp.path()), ElementsAre("00000000000000000001.seg"));
}

TEST(ArchiveWriterTest, AppendIsBufferedUntilFlush) {
  TempDir tmp;
  auto writer = OpenOrDie(tmp.path(), {});
  ASSERT_TRUE(writer->Append(Payload(1), kArrival).ok());
  const std::string path = tmp.File("00000000000000000001.seg");
  EXPECT_EQ(std::filesystem::file_size(path), 0u);  // created, nothing written yet
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_EQ(std::filesystem::file_size(path),
            kSegmentHeaderBytes + kRecordHeaderBytes + Payload(1).size());
}

TEST(ArchiveWriterTest, RotatesBySizeAndCompressesClosedSegments) {
  TempDir tmp;
  WriterOptions options = Synchronous();
  // Header 32 + 3 records of (24 + 76) = 332 bytes fit; the fourth would not.
  options.max_segment_bytes = 340;
  auto writer = OpenOrDie(tmp.path(), options);
  for (uint64_t i = 1; i <= 10; ++i) ASSERT_TRUE(writer->Append(Payload(i, 76), kArrival).ok());
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_THAT(FileNames(tmp.path()),
              ElementsAre("00000000000000000001.seg.zst", "00000000000000000004.seg.zst",
                          "00000000000000000007.seg.zst", "00000000000000000010.seg"));
  const WriterStats stats = writer->stats();
  EXPECT_EQ(stats.segments_rotated, 3u);
  EXPECT_EQ(stats.segments_created, 4u);
  EXPECT_EQ(stats.segments_compressed, 3u);
  EXPECT_EQ(stats.compressed_bytes_in, 3u * 332u);
  Read r = ReadAll(tmp.path());
  ASSERT_EQ(r.sequences.size(), 10u);
  for (uint64_t i = 1; i <= 10; ++i) {
    EXPECT_EQ(r.sequences[i - 1], i);
    EXPECT_EQ(r.records[i - 1], Payload(i, 76));
  }
}

TEST(ArchiveWriterTest, CompressedSegmentIsTheZstdFrameOfThePlainBytes) {
  TempDir tmp;
  auto writer = OpenOrDie(tmp.path(), Synchronous());
  for (uint64_t i = 1; i <= 200; ++i) ASSERT_TRUE(writer->Append(Payload(i, 200), kArrival).ok());
  ASSERT_TRUE(writer->Flush().ok());
  const std::string plain = ReadFile(tmp.File("00000000000000000001.seg"));
  ASSERT_EQ(plain.size(), kSegmentHeaderBytes + 200u * (kRecordHeaderBytes + 200u));
  ASSERT_TRUE(writer->Rotate().ok());
  EXPECT_FALSE(std::filesystem::exists(tmp.File("00000000000000000001.seg")));
  const std::string zst = ReadFile(tmp.File("00000000000000000001.seg.zst"));
  EXPECT_LT(zst.size(), plain.size() / 4);  // JSON-like text compresses well
  std::string restored(plain.size(), '\0');
  const size_t n = ZSTD_decompress(restored.data(), restored.size(), zst.data(), zst.size());
  ASSERT_FALSE(ZSTD_isError(n)) << ZSTD_getErrorName(n);
  EXPECT_EQ(n, plain.size());
  EXPECT_EQ(restored, plain);
}

TEST(ArchiveWriterTest, BackgroundCompressionFinishesByWaitForCompression) {
  TempDir tmp;
  WriterOptions options;
  options.max_segment_bytes = 1000;
  auto writer = OpenOrDie(tmp.path(), options);
  for (uint64_t i = 1; i <= 100; ++i) ASSERT_TRUE(writer->Append(Payload(i, 100), kArrival).ok());
  ASSERT_TRUE(writer->WaitForCompression().ok());
  const std::vector<std::string> names = FileNames(tmp.path());
  ASSERT_GT(names.size(), 5u);
  for (size_t i = 0; i + 1 < names.size(); ++i) EXPECT_THAT(names[i], HasSubstr(".seg.zst"));
  EXPECT_EQ(writer->stats().segments_compressed, names.size() - 1);
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_EQ(ReadAll(tmp.path()).sequences.size(), 100u);
}

TEST(ArchiveWriterTest, NoCompressionWhenDisabled) {
  TempDir tmp;
  WriterOptions options = Synchronous();
  options.compress_on_rotation = false;
  auto writer = OpenOrDie(tmp.path(), options);
  ASSERT_TRUE(writer->Append("a", kArrival).ok());
  ASSERT_TRUE(writer->Rotate().ok());
  ASSERT_TRUE(writer->Append("b", kArrival).ok());
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_THAT(FileNames(tmp.path()),
              ElementsAre("00000000000000000001.seg", "00000000000000000002.seg"));
  EXPECT_THAT(ReadAll(tmp.path()).records, ElementsAre("a", "b"));
}

TEST(ArchiveWriterTest, RotatesByAgeOnTheInjectedClock) {
  TempDir tmp;
  ManualClock clock;
  WriterOptions options = Synchronous();
  options.clock = &clock;
  auto writer = OpenOrDie(tmp.path(), options);
  ASSERT_TRUE(writer->Append("1", kArrival).ok());
  clock.Advance(Duration::Seconds(299));
  ASSERT_TRUE(writer->Append("2", kArrival).ok());  // 299 s old: same segment
  EXPECT_EQ(writer->stats().segments_rotated, 0u);
  clock.Advance(Duration::Seconds(1));
  ASSERT_TRUE(writer->Append("3", kArrival).ok());  // 300 s old: rotated first
  EXPECT_EQ(writer->stats().segments_rotated, 1u);
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_THAT(FileNames(tmp.path()),
              ElementsAre("00000000000000000001.seg.zst", "00000000000000000003.seg"));
  EXPECT_THAT(ReadAll(tmp.path()).records, ElementsAre("1", "2", "3"));
}

TEST(ArchiveWriterTest, FlushClosesAnIdleSegmentOnceItIsOld) {
  TempDir tmp;
  ManualClock clock;
  WriterOptions options = Synchronous();
  options.clock = &clock;
  options.max_segment_age = Duration::Seconds(60);
  auto writer = OpenOrDie(tmp.path(), options);
  ASSERT_TRUE(writer->Append("x", kArrival).ok());
  ASSERT_TRUE(writer->Flush().ok());
  clock.Advance(Duration::Seconds(59));
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_THAT(FileNames(tmp.path()), ElementsAre("00000000000000000001.seg"));
  clock.Advance(Duration::Seconds(1));
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_THAT(FileNames(tmp.path()), ElementsAre("00000000000000000001.seg.zst"));
  ASSERT_TRUE(writer->Flush().ok());  // nothing open: no new segment
  EXPECT_EQ(writer->stats().segments_created, 1u);
}

TEST(ArchiveWriterTest, ReopenContinuesTheOpenSegmentAndItsNumbering) {
  TempDir tmp;
  {
    auto writer = OpenOrDie(tmp.path(), {});
    for (uint64_t i = 1; i <= 10; ++i) ASSERT_TRUE(writer->Append(Payload(i), kArrival).ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  auto writer = OpenOrDie(tmp.path(), {});
  EXPECT_EQ(writer->next_sequence(), 11u);
  EXPECT_EQ(writer->stats().recovered_records, 10u);
  EXPECT_EQ(writer->stats().torn_bytes_truncated, 0u);
  auto seq = writer->Append(Payload(11), kArrival);
  ASSERT_TRUE(seq.ok());
  EXPECT_EQ(*seq, 11u);
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_THAT(FileNames(tmp.path()), ElementsAre("00000000000000000001.seg"));
  Read r = ReadAll(tmp.path());
  ASSERT_EQ(r.sequences.size(), 11u);
  EXPECT_EQ(r.sequences.back(), 11u);
  EXPECT_EQ(r.records.back(), Payload(11));
}

TEST(ArchiveWriterTest, ReopenAfterRotationResumesFromTheCompressedSegment) {
  TempDir tmp;
  {
    auto writer = OpenOrDie(tmp.path(), Synchronous());
    for (uint64_t i = 1; i <= 7; ++i) ASSERT_TRUE(writer->Append(Payload(i), kArrival).ok());
    ASSERT_TRUE(writer->Rotate().ok());
  }
  EXPECT_THAT(FileNames(tmp.path()), ElementsAre("00000000000000000001.seg.zst"));
  auto writer = OpenOrDie(tmp.path(), Synchronous());
  EXPECT_EQ(writer->next_sequence(), 8u);
  ASSERT_EQ(*writer->Append("eight", kArrival), 8u);
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_THAT(FileNames(tmp.path()),
              ElementsAre("00000000000000000001.seg.zst", "00000000000000000008.seg"));
  Read r = ReadAll(tmp.path());
  EXPECT_THAT(r.sequences, ElementsAre(1, 2, 3, 4, 5, 6, 7, 8));
}

// Writes records 1..5 (record 5 is `last_size` bytes) and returns the segment's bytes.
std::string WriteFiveRecords(const std::string& dir, size_t last_size) {
  auto writer = OpenOrDie(dir, {});
  for (uint64_t i = 1; i <= 4; ++i) EXPECT_TRUE(writer->Append(Payload(i), kArrival).ok());
  EXPECT_TRUE(writer->Append(Payload(5, last_size), kArrival).ok());
  EXPECT_TRUE(writer->Close().ok());
  return ReadFile((std::filesystem::path(dir) / "00000000000000000001.seg").string());
}

TEST(ArchiveWriterTest, TornTailAtEveryBytePositionOfTheLastRecordIsTruncated) {
  constexpr size_t kLastSize = 50;
  TempDir probe;
  const std::string full = WriteFiveRecords(probe.path(), kLastSize);
  const size_t last_start = full.size() - kRecordHeaderBytes - kLastSize;
  for (size_t cut = last_start + 1; cut < full.size(); ++cut) {
    SCOPED_TRACE("segment cut at byte " + std::to_string(cut));
    TempDir tmp;
    WriteFiveRecords(tmp.path(), kLastSize);
    const std::string path = tmp.File("00000000000000000001.seg");
    ASSERT_EQ(::truncate(path.c_str(), static_cast<off_t>(cut)), 0);
    auto writer = OpenOrDie(tmp.path(), {});
    ASSERT_NE(writer, nullptr);
    EXPECT_EQ(writer->stats().torn_bytes_truncated, cut - last_start);
    EXPECT_EQ(writer->stats().recovered_records, 4u);
    EXPECT_EQ(std::filesystem::file_size(path), last_start);
    EXPECT_EQ(writer->next_sequence(), 5u);
    ASSERT_EQ(*writer->Append("again", kArrival), 5u);
    ASSERT_TRUE(writer->Flush().ok());
    Read r = ReadAll(tmp.path());
    EXPECT_THAT(r.sequences, ElementsAre(1, 2, 3, 4, 5));
    ASSERT_EQ(r.records.size(), 5u);
    EXPECT_EQ(r.records[3], Payload(4));
    EXPECT_EQ(r.records[4], "again");
  }
}

TEST(ArchiveWriterTest, CorruptLastRecordIsTruncatedByChecksum) {
  TempDir tmp;
  const std::string full = WriteFiveRecords(tmp.path(), 50);
  std::string damaged = full;
  damaged[damaged.size() - 10] ^= 0x01;  // one bit in record 5's payload
  testing::WriteFile(tmp.File("00000000000000000001.seg"), damaged);
  auto writer = OpenOrDie(tmp.path(), {});
  EXPECT_EQ(writer->stats().torn_bytes_truncated, kRecordHeaderBytes + 50u);
  EXPECT_EQ(writer->next_sequence(), 5u);
}

TEST(ArchiveWriterTest, TornSegmentHeaderRemovesTheNewSegment) {
  TempDir tmp;
  {
    auto writer = OpenOrDie(tmp.path(), Synchronous());
    for (uint64_t i = 1; i <= 3; ++i) ASSERT_TRUE(writer->Append(Payload(i), kArrival).ok());
    ASSERT_TRUE(writer->Rotate().ok());
    ASSERT_TRUE(writer->Append(Payload(4), kArrival).ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  const std::string newest = tmp.File("00000000000000000004.seg");
  ASSERT_EQ(::truncate(newest.c_str(), 10), 0);
  auto writer = OpenOrDie(tmp.path(), Synchronous());
  EXPECT_FALSE(std::filesystem::exists(newest));
  EXPECT_EQ(writer->stats().torn_bytes_truncated, 10u);
  EXPECT_EQ(writer->next_sequence(), 4u);
  ASSERT_EQ(*writer->Append("four", kArrival), 4u);
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_THAT(ReadAll(tmp.path()).sequences, ElementsAre(1, 2, 3, 4));
}

TEST(ArchiveWriterTest, OpenFinishesInterruptedCompressions) {
  TempDir tmp;
  {
    WriterOptions options = Synchronous();
    options.compress_on_rotation = false;
    auto writer = OpenOrDie(tmp.path(), options);
    ASSERT_TRUE(writer->Append("a", kArrival).ok());
    ASSERT_TRUE(writer->Rotate().ok());
    ASSERT_TRUE(writer->Append("b", kArrival).ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  // A crash in the middle of compressing segment 1 leaves a partial temporary file.
  testing::WriteFile(tmp.File("00000000000000000001.seg.zst.tmp"), "partial");
  auto writer = OpenOrDie(tmp.path(), Synchronous());
  ASSERT_TRUE(writer->WaitForCompression().ok());
  EXPECT_THAT(FileNames(tmp.path()),
              ElementsAre("00000000000000000001.seg.zst", "00000000000000000002.seg"));
  EXPECT_THAT(ReadAll(tmp.path()).records, ElementsAre("a", "b"));
}

TEST(ArchiveWriterTest, PlainFileBesideItsCompressedFormIsRemoved) {
  TempDir tmp;
  {
    auto writer = OpenOrDie(tmp.path(), Synchronous());
    ASSERT_TRUE(writer->Append("a", kArrival).ok());
    ASSERT_TRUE(writer->Flush().ok());
    std::filesystem::copy_file(tmp.File("00000000000000000001.seg"), tmp.File("keep"));
    ASSERT_TRUE(writer->Rotate().ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  // The crash came after the rename and before the plain file's removal.
  std::filesystem::rename(tmp.File("keep"), tmp.File("00000000000000000001.seg"));
  auto writer = OpenOrDie(tmp.path(), Synchronous());
  EXPECT_THAT(FileNames(tmp.path()), ElementsAre("00000000000000000001.seg.zst"));
  EXPECT_EQ(writer->next_sequence(), 2u);
}

TEST(ArchiveWriterTest, FsyncEveryBatchSyncsEachFlushThatWrote) {
  TempDir tmp;
  WriterOptions options = Synchronous();
  options.fsync = FsyncPolicy::kEveryBatch;
  auto writer = OpenOrDie(tmp.path(), options);
  ASSERT_TRUE(writer->Append("a", kArrival).ok());
  ASSERT_TRUE(writer->Append("b", kArrival).ok());
  EXPECT_EQ(writer->stats().file_syncs, 0u);
  EXPECT_EQ(writer->stats().dir_syncs, 1u);  // the new segment's name
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_EQ(writer->stats().file_syncs, 1u);
  ASSERT_TRUE(writer->Flush().ok());  // nothing new to make durable
  EXPECT_EQ(writer->stats().file_syncs, 1u);
  ASSERT_TRUE(writer->Append("c", kArrival).ok());
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_EQ(writer->stats().file_syncs, 2u);
  EXPECT_EQ(writer->stats().flushes, 3u);
}

TEST(ArchiveWriterTest, FsyncOnRotateSyncsOnlyWhenASegmentCloses) {
  TempDir tmp;
  WriterOptions options = Synchronous();
  options.fsync = FsyncPolicy::kOnRotate;
  auto writer = OpenOrDie(tmp.path(), options);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(writer->Append("a", kArrival).ok());
    ASSERT_TRUE(writer->Flush().ok());
  }
  EXPECT_EQ(writer->stats().file_syncs, 0u);
  EXPECT_EQ(writer->stats().dir_syncs, 0u);
  ASSERT_TRUE(writer->Rotate().ok());
  EXPECT_EQ(writer->stats().file_syncs, 1u);
  EXPECT_EQ(writer->stats().dir_syncs, 1u);
}

TEST(ArchiveWriterTest, FsyncNeverNeverSyncs) {
  TempDir tmp;
  WriterOptions options = Synchronous();
  options.fsync = FsyncPolicy::kNever;
  auto writer = OpenOrDie(tmp.path(), options);
  ASSERT_TRUE(writer->Append("a", kArrival).ok());
  ASSERT_TRUE(writer->Flush().ok());
  ASSERT_TRUE(writer->Rotate().ok());
  ASSERT_TRUE(writer->Append("b", kArrival).ok());
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_EQ(writer->stats().file_syncs, 0u);
  EXPECT_EQ(writer->stats().dir_syncs, 0u);
  EXPECT_THAT(ReadAll(tmp.path()).records, ElementsAre("a", "b"));
}

TEST(ArchiveWriterTest, ParsesFsyncPolicyNames) {
  EXPECT_EQ(*ParseFsyncPolicy("never"), FsyncPolicy::kNever);
  EXPECT_EQ(*ParseFsyncPolicy("rotate"), FsyncPolicy::kOnRotate);
  EXPECT_EQ(*ParseFsyncPolicy("batch"), FsyncPolicy::kEveryBatch);
  EXPECT_EQ(FsyncPolicyName(FsyncPolicy::kOnRotate), "rotate");
  EXPECT_EQ(ParseFsyncPolicy("always").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ArchiveWriterTest, RejectsAnOversizedRecordAndStaysUsable) {
  TempDir tmp;
  auto writer = OpenOrDie(tmp.path(), {});
  const std::string huge(kMaxRecordBytes + 1, 'x');
  auto seq = writer->Append(huge, kArrival);
  EXPECT_EQ(seq.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(*writer->Append("ok", kArrival), 1u);
}

TEST(ArchiveWriterTest, ClosedWriterRefusesAppends) {
  TempDir tmp;
  auto writer = OpenOrDie(tmp.path(), {});
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_EQ(writer->Append("x", kArrival).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(writer->Flush().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace reach::archive
