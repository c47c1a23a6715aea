#include "ingest/posted_lines.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/clock.h"
#include "ingest/archive_line_reader.h"
#include "ingest/archive_log.h"
#include "ingest/pipeline.h"
#include "ingest/twitter_v1_decoder.h"
#include "tests/support/temp_dir.h"
#include "tests/support/v1_tweet.h"

namespace reach::ingest {
namespace {

namespace fs = std::filesystem;

std::string Tweet(int id) { return MinimalV1Tweet(id, 1483326245000 + id); }

class PostedLinesTest : public ::testing::Test {
 protected:
  TempDir temp_{"reach_posted"};
  const fs::path& dir_ = temp_.path();
};

// Posted bodies take the pipeline's path: counted per body, archived before they count, their
// events handed on; the source's lines go on around them.
TEST_F(PostedLinesTest, BodiesGoThroughThePipelineAndTheArchive) {
  const std::string source = (dir_ / "in.jsonl").string();
  std::ofstream(source) << Tweet(1) << "\n" << Tweet(2) << "\n";
  const std::string archive = (dir_ / "archive").string();
  auto log = ArchiveLog::Open(archive, source);
  ASSERT_TRUE(log.ok()) << log.status();
  auto file = OpenLineReader(source);
  ASSERT_TRUE(file.ok());

  PostedLines posted(1 << 20);
  IngestStats stats;
  std::atomic<bool> stop{false};
  MergedLineReader reader(std::move(*file), posted, stats, stop);
  TwitterV1Decoder decoder;
  IngestPipeline pipeline(decoder, stats, nullptr, SystemClock::Get());
  pipeline.set_record_log(log->get());
  std::atomic<uint64_t> events{0};
  std::thread ingest([&] {
    EXPECT_TRUE(pipeline
                    .Run(
                        reader, [&](std::vector<model::Event>& b) { events += b.size(); }, stop)
                    .ok());
  });

  // The source first (a body posted earlier would be taken between two of its lines).
  while (stats.records.load() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto done = posted.Post(Tweet(10) + "\r\n\n{broken\n" + Tweet(11) + "\n{\"x\":1}");
  ASSERT_TRUE(done.ok()) << done.status();
  PostResult r = done->get();
  EXPECT_TRUE(r.status.ok());
  EXPECT_EQ(r.records, 4u);
  EXPECT_EQ(r.accepted, 2u);
  EXPECT_EQ(r.rejected, 2u);
  EXPECT_EQ(r.rejected_by_reason[static_cast<int>(RejectReason::kMalformedJson)], 1u);
  EXPECT_EQ(r.rejected_by_reason[static_cast<int>(RejectReason::kUnknownFormat)], 1u);
  // Answered only after the records were archived (committed) and handed on.
  EXPECT_EQ((*log)->stats().records.load(), 4u);  // 2 from the file, 2 posted
  EXPECT_EQ(events.load(), 8u);                   // user + post each

  auto again = posted.Post(Tweet(12));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get().accepted, 1u);
  stop = true;
  ingest.join();
  posted.Close();
  EXPECT_EQ(posted.Post("x").status().code(), absl::StatusCode::kUnavailable);
  ASSERT_TRUE((*log)->Close().ok());
  // The checkpoint keeps the source's position, not the posted lines'.
  auto c = LoadArchiveCheckpoint(archive);
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->position.source, source);
  EXPECT_EQ((*c)->position.line, 2u);
  EXPECT_EQ((*c)->sequence, 5u);
}

TEST_F(PostedLinesTest, BoundedQueueAndClose) {
  PostedLines posted(10);
  auto first = posted.Post(std::string(8, 'a'));  // a body larger than the bound still fits alone
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(posted.Post(std::string(8, 'b')).status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(posted.pending_bytes(), 8u);
  posted.Close();
  EXPECT_EQ(first->get().status.code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace reach::ingest
