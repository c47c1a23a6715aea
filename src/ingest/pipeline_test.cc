#include "ingest/pipeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ingest/record_log.h"
#include "ingest/twitter_v1_decoder.h"
#include "tests/support/temp_dir.h"
#include "tests/support/v1_tweet.h"

namespace reach::ingest {
namespace {

namespace fs = std::filesystem;
using model::Event;
using ::testing::ElementsAre;

std::string Tweet(int id, int64_t ms) { return MinimalV1Tweet(id, ms); }

class PipelineTest : public ::testing::Test {
 protected:
  std::string Write(const std::vector<std::string>& lines) {
    std::string path = (dir_ / "in.jsonl").string();
    std::ofstream out(path, std::ios::binary);
    for (const auto& l : lines) out << l << "\n";
    return path;
  }

  static uint64_t Rejected(const IngestStats& stats, RejectReason r) {
    return stats.rejected[static_cast<int>(r)].load();
  }

  TempDir temp_{"reach_pipeline"};
  const fs::path& dir_ = temp_.path();
};

std::vector<uint64_t> PostIds(const std::vector<Event>& events) {
  std::vector<uint64_t> ids;
  for (const Event& e : events) {
    if (const auto* p = std::get_if<model::Post>(&e)) ids.push_back(p->id.value);
  }
  return ids;
}

TEST_F(PipelineTest, BadLinesAreCountedByReasonWhileGoodLinesAreDelivered) {
  std::string path = Write({
      Tweet(1, 1'500'000'000'000),
      R"({"id":1,"user":)",  // malformed_json
      Tweet(2, 1'500'000'002'000),
      "{\"text\":\"\xC3\x28\"}",                               // invalid_utf8
      R"({"created_at":"yesterday","id":3,"user":{"id":1}})",  // bad_timestamp
      R"({"foo":1})",                                          // unknown_format
      std::string(300, ' ') + "{}",                            // too_large (limit 100)
      R"({"delete":{"status":{"id_str":"1","user_id_str":"7"},"timestamp_ms":"1500000003000"}})",
      R"({"limit":{"track":5}})",
      Tweet(3, 1'500'000'001'000),
  });
  LineReaderOptions reader_options;
  reader_options.max_line_bytes = 100 + 200;  // tweets fit, the padded line does not
  auto reader = OpenLineReader(path, reader_options);
  ASSERT_TRUE(reader.ok());
  TwitterV1Decoder decoder;
  IngestStats stats;
  DeadLetterWriter dead_letter;
  std::string dead_path = (dir_ / "dead.jsonl").string();
  ASSERT_TRUE(dead_letter.Open(dead_path).ok());
  ManualClock clock(EventTime::FromSeconds(1'700'000'000));
  PipelineOptions options;
  options.batch_size = 3;
  IngestPipeline pipeline(decoder, stats, &dead_letter, clock, options);

  std::vector<Event> delivered;
  std::vector<size_t> batch_sizes;
  std::atomic<bool> stop{false};
  absl::Status st = pipeline.Run(
      **reader,
      [&](std::vector<Event>& batch) {
        batch_sizes.push_back(batch.size());
        for (auto& e : batch) delivered.push_back(std::move(e));
      },
      stop);
  ASSERT_TRUE(st.ok()) << st;

  EXPECT_THAT(PostIds(delivered), ElementsAre(1, 2, 3));
  ASSERT_EQ(delivered.size(), 7u);  // 3 x (user + post) + delete
  EXPECT_TRUE(std::holds_alternative<model::Delete>(delivered[4]));
  // Batches of at least 3 events, flushed at the end.
  EXPECT_THAT(batch_sizes, ElementsAre(4, 3));

  EXPECT_EQ(stats.records.load(), 10u);
  EXPECT_EQ(stats.accepted.load(), 5u);
  EXPECT_EQ(stats.events.load(), 7u);
  EXPECT_EQ(stats.total_rejected(), 5u);
  EXPECT_EQ(Rejected(stats, RejectReason::kMalformedJson), 1u);
  EXPECT_EQ(Rejected(stats, RejectReason::kInvalidUtf8), 1u);
  EXPECT_EQ(Rejected(stats, RejectReason::kBadTimestamp), 1u);
  EXPECT_EQ(Rejected(stats, RejectReason::kUnknownFormat), 1u);
  EXPECT_EQ(Rejected(stats, RejectReason::kTooLarge), 1u);
  EXPECT_EQ(stats.control[0].load(), 1u);  // delete
  EXPECT_EQ(stats.control[1].load(), 1u);  // limit
  EXPECT_EQ(stats.last_event_time_us.load(), 1'500'000'003'000'000);
  EXPECT_EQ(stats.last_arrival_us.load(), clock.Now().micros);
  uint64_t bytes = 0;
  std::ifstream in(path);
  for (std::string l; std::getline(in, l);) bytes += l.size();
  EXPECT_EQ(stats.bytes.load(), bytes);

  std::ifstream dead(dead_path);
  std::vector<std::string> dead_lines;
  for (std::string l; std::getline(dead, l);) dead_lines.push_back(l);
  ASSERT_EQ(dead_lines.size(), 5u);
  EXPECT_THAT(dead_lines[0], ::testing::HasSubstr(R"("line":2,)"));
  EXPECT_THAT(dead_lines[0], ::testing::HasSubstr(R"("reason":"malformed_json")"));
  EXPECT_THAT(dead_lines[4], ::testing::HasSubstr(R"("reason":"too_large")"));
  EXPECT_THAT(dead_lines[4], ::testing::HasSubstr(R"("truncated":true)"));
}

TEST_F(PipelineTest, LimitNoticesAddUpToTheCoverageGapAcrossConnections) {
  // Counts are cumulative per connection: 5, 12 then (a new connection) 4 and 10 are 12 + 10.
  std::string path = Write({
      R"({"limit":{"track":5,"timestamp_ms":"1500000000000"}})",
      Tweet(1, 1'500'000'000'500),
      R"({"limit":{"track":12,"timestamp_ms":"1500000001000"}})",
      R"({"limit":{"track":4,"timestamp_ms":"1500000002000"}})",
      R"({"limit":{"track":10,"timestamp_ms":"1500000003000"}})",
  });
  auto reader = OpenLineReader(path, LineReaderOptions{});
  ASSERT_TRUE(reader.ok());
  TwitterV1Decoder decoder;
  IngestStats stats;
  ManualClock clock(EventTime::FromSeconds(1'700'000'000));
  IngestPipeline pipeline(decoder, stats, nullptr, clock, PipelineOptions{});
  std::atomic<bool> stop{false};
  ASSERT_TRUE(pipeline
                  .Run(
                      **reader, [](std::vector<Event>&) {}, stop)
                  .ok());
  EXPECT_EQ(stats.control[1].load(), 4u);  // limit
  EXPECT_EQ(stats.undelivered.load(), 22u);
}

// A live source whose lines come in bursts of `burst`: within a burst the next line arrives
// before any wait times out; after the last line of a burst the source goes quiet.
class BurstReader final : public LineReader {
 public:
  BurstReader(std::vector<std::string> lines, size_t burst)
      : lines_(std::move(lines)), burst_(burst) {}
  absl::StatusOr<bool> Next(Line* line) override {
    if (next_ == lines_.size()) return false;
    line->text = lines_[next_];
    line->length = lines_[next_].size();
    line->position.line = ++next_;
    return true;
  }
  bool HasBufferedLine() const override { return false; }  // every read may wait
  bool WaitForInput(Duration timeout) override {
    longest_wait = std::max(longest_wait, timeout);
    return next_ == lines_.size() || next_ % burst_ != 0;
  }
  uint64_t bytes_read() const override { return 0; }
  uint64_t bytes_total() const override { return 0; }
  [[nodiscard]] size_t lines_read() const { return next_; }
  Duration longest_wait;

 private:
  std::vector<std::string> lines_;
  size_t burst_;
  size_t next_ = 0;
};

// Counts appends and commits; every append is fresh.
class CountingLog final : public RecordLog {
 public:
  absl::StatusOr<bool> Append(const Line&) override {
    ++appended;
    return true;
  }
  absl::Status Commit(const SourcePosition&) override {
    ++commits;
    committed = appended;
    return absl::OkStatus();
  }
  size_t appended = 0;
  size_t committed = 0;
  size_t commits = 0;
};

TEST_F(PipelineTest, GroupCommitGathersAStreamsLinesIntoOneCommitPerBurst) {
  std::vector<std::string> lines;
  for (int i = 1; i <= 100; ++i) lines.push_back(Tweet(i, 1'500'000'000'000 + i));
  for (const Duration interval : {Duration::Seconds(3600), Duration{}}) {
    SCOPED_TRACE(interval.micros);
    BurstReader reader(lines, 10);
    CountingLog log;
    TwitterV1Decoder decoder;
    IngestStats stats;
    ManualClock clock;
    PipelineOptions options;
    options.commit_interval = interval;
    IngestPipeline pipeline(decoder, stats, nullptr, clock, options);
    pipeline.set_record_log(&log);
    std::atomic<bool> stop{false};
    size_t events = 0;
    absl::Status st = pipeline.Run(
        reader,
        [&](std::vector<Event>& batch) {
          // Nothing reaches the engine before its record is durable.
          EXPECT_EQ(log.committed, log.appended);
          events += batch.size();
        },
        stop);
    ASSERT_TRUE(st.ok()) << st;
    EXPECT_EQ(events, 200u);  // every tweet: its user and its post
    EXPECT_EQ(log.appended, 100u);
    if (interval.micros > 0) {
      // One commit per burst of ten (the wait ends at each burst's end), and the waits stay
      // within the interval.
      EXPECT_EQ(log.commits, 10u);
      EXPECT_LE(reader.longest_wait.micros, interval.micros);
      EXPECT_GT(reader.longest_wait.micros, 0);
    } else {
      EXPECT_EQ(log.commits, 100u);  // without grouping, one per line
    }
  }
}

TEST_F(PipelineTest, StopsPromptlyAndFlushes) {
  std::vector<std::string> lines;
  for (int i = 1; i <= 100; ++i) lines.push_back(Tweet(i, 1'500'000'000'000 + i));
  auto reader = OpenLineReader(Write(lines));
  ASSERT_TRUE(reader.ok());
  TwitterV1Decoder decoder;
  IngestStats stats;
  ManualClock clock;
  PipelineOptions options;
  options.batch_size = 10;  // 5 records per batch
  IngestPipeline pipeline(decoder, stats, nullptr, clock, options);
  std::atomic<bool> stop{false};
  int calls = 0;
  absl::Status st = pipeline.Run(
      **reader,
      [&](std::vector<Event>& batch) {
        ++calls;
        EXPECT_EQ(batch.size(), 10u);
        stop = true;  // as if another thread asked to stop during the first batch
      },
      stop);
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(stats.records.load(), 5u);
}

TEST_F(PipelineTest, ReturnsTheReaderErrorAfterDeliveringEarlierEvents) {
  std::string path = (dir_ / "bad.zst").string();
  std::ofstream(path, std::ios::binary) << "definitely not zstd";
  auto reader = OpenLineReader(path);
  ASSERT_TRUE(reader.ok());
  TwitterV1Decoder decoder;
  IngestStats stats;
  ManualClock clock;
  IngestPipeline pipeline(decoder, stats, nullptr, clock);
  std::atomic<bool> stop{false};
  absl::Status st = pipeline.Run(
      **reader, [](std::vector<Event>&) {}, stop);
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss);
}

// Regression: on a live source (stdin) a decoded event must reach the engine before the pipeline
// waits for the next line, however small the batch.
TEST_F(PipelineTest, HandsOnEventsBeforeWaitingOnALiveSource) {
  BurstReader reader({Tweet(1, 1'500'000'000'000), Tweet(2, 1'500'000'001'000)}, 1);
  TwitterV1Decoder decoder;
  IngestStats stats;
  ManualClock clock;
  IngestPipeline pipeline(decoder, stats, nullptr, clock);  // batch size 256
  std::atomic<bool> stop{false};
  std::vector<size_t> read_when_delivered;
  absl::Status st = pipeline.Run(
      reader, [&](std::vector<Event>&) { read_when_delivered.push_back(reader.lines_read()); },
      stop);
  EXPECT_TRUE(st.ok());
  // The first tweet was delivered before the second line was read.
  EXPECT_THAT(read_when_delivered, ElementsAre(1u, 2u));
}

}  // namespace
}  // namespace reach::ingest
