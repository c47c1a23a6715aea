#include "ingest/archive_log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/clock.h"
#include "ingest/archive_line_reader.h"
#include "ingest/pipeline.h"
#include "ingest/twitter_v1_decoder.h"
#include "tests/support/temp_dir.h"
#include "tests/support/v1_tweet.h"

namespace reach::ingest {
namespace {

namespace fs = std::filesystem;

std::string Tweet(int id) { return MinimalV1Tweet(id, 1483326245000 + id); }

class ArchiveLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    input_ = (dir_ / "in.jsonl").string();
    archive_ = (dir_ / "archive").string();
  }

  void WriteInput(const std::vector<std::string>& lines, bool append = false) {
    std::ofstream out(input_, append ? std::ios::app : std::ios::trunc);
    for (const auto& l : lines) out << l << "\n";
  }

  // One `reach run` over the input with the archive, as the Runner does it: replay, resume, run.
  // Returns the post events the engine would receive, replay first.
  struct RunResult {
    uint64_t replayed_events = 0;
    uint64_t new_events = 0;
    uint64_t already_logged = 0;
    uint64_t skipped_lines = 0;
  };
  RunResult Run(const std::string& source) {
    RunResult r;
    auto log = ArchiveLog::Open(archive_, source);
    EXPECT_TRUE(log.ok()) << log.status();
    TwitterV1Decoder decoder;
    std::atomic<bool> stop{false};
    if ((*log)->replay_last_sequence() > 0) {
      IngestStats replay_stats;
      IngestPipeline replay(decoder, replay_stats, nullptr, SystemClock::Get());
      auto reader = OpenArchiveLineReader(archive_, 1, (*log)->replay_last_sequence());
      EXPECT_TRUE(reader.ok()) << reader.status();
      EXPECT_TRUE(replay
                      .Run(
                          **reader, [](std::vector<model::Event>&) {}, stop)
                      .ok());
      r.replayed_events = replay_stats.events.load();
    }
    auto reader = OpenLineReader(source);
    EXPECT_TRUE(reader.ok()) << reader.status();
    std::unique_ptr<LineReader> resumed = (*log)->ResumeReader(std::move(*reader));
    IngestStats stats;
    IngestPipeline pipeline(decoder, stats, nullptr, SystemClock::Get(), {.batch_size = 2});
    pipeline.set_record_log(log->get());
    EXPECT_TRUE(pipeline
                    .Run(
                        *resumed, [](std::vector<model::Event>&) {}, stop)
                    .ok());
    r.new_events = stats.events.load();
    r.already_logged = stats.already_logged.load();
    r.skipped_lines = (*log)->stats().resume_skipped_lines.load();
    EXPECT_TRUE((*log)->Close().ok());
    return r;
  }

  std::vector<std::string> ArchivedRecords() {
    std::vector<std::string> out;
    auto reader = OpenArchiveLineReader(archive_);
    EXPECT_TRUE(reader.ok()) << reader.status();
    Line line;
    while (true) {
      auto got = (*reader)->Next(&line);
      EXPECT_TRUE(got.ok()) << got.status();
      if (!got.ok() || !*got) break;
      out.emplace_back(line.text);
    }
    return out;
  }

  TempDir temp_{"reach_archive_log"};
  const fs::path& dir_ = temp_.path();
  std::string input_;
  std::string archive_;
};

TEST_F(ArchiveLogTest, CheckpointRoundTrips) {
  fs::create_directories(archive_);
  ArchiveCheckpoint c{42, "in dir/x.jsonl", {"in dir/x.jsonl", 7, 1234}};
  ASSERT_TRUE(SaveArchiveCheckpoint(archive_, c, /*sync=*/true).ok());
  auto back = LoadArchiveCheckpoint(archive_);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_TRUE(back->has_value());
  EXPECT_EQ(**back, c);
  auto none = LoadArchiveCheckpoint((dir_ / "nowhere").string());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  std::ofstream(archive_ + "/CHECKPOINT") << "sequence\tabc\n";
  EXPECT_EQ(LoadArchiveCheckpoint(archive_).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ArchiveLogTest, ArchivesAcceptedRecordsOnlyAndCheckpointsTheLastLineRead) {
  WriteInput({Tweet(1), "{not json", Tweet(2), "{\"also\":\"unknown\"}"});
  RunResult r = Run(input_);
  EXPECT_EQ(r.replayed_events, 0u);
  EXPECT_EQ(ArchivedRecords(), (std::vector<std::string>{Tweet(1), Tweet(2)}));
  auto c = LoadArchiveCheckpoint(archive_);
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->sequence, 2u);
  EXPECT_EQ((*c)->source, input_);
  EXPECT_EQ((*c)->position.line, 4u);  // the rejected last line was read too
  EXPECT_TRUE(IsArchiveDirectory(archive_));
  EXPECT_FALSE(IsArchiveDirectory(dir_.string()));
}

TEST_F(ArchiveLogTest, RestartReplaysTheArchiveAndReadsOnlyNewInput) {
  WriteInput({Tweet(1), Tweet(2), Tweet(3)});
  RunResult first = Run(input_);
  const uint64_t per_tweet = first.new_events / 3;  // user snapshot + post
  ASSERT_GT(per_tweet, 0u);
  WriteInput({Tweet(4)}, /*append=*/true);
  RunResult second = Run(input_);
  EXPECT_EQ(second.replayed_events, 3 * per_tweet);
  EXPECT_EQ(second.skipped_lines, 3u);
  EXPECT_EQ(second.new_events, per_tweet);
  EXPECT_EQ(second.already_logged, 0u);
  EXPECT_EQ(ArchivedRecords().size(), 4u);
}

// A crash after the archive was flushed but before the checkpoint was replaced: the records after
// the stale checkpoint are replayed from the archive and recognised in the input, not applied
// twice.
TEST_F(ArchiveLogTest, StaleCheckpointRecordsAreRecognisedNotRepeated) {
  WriteInput({Tweet(1), Tweet(2), Tweet(3), Tweet(4), Tweet(5)});
  RunResult first = Run(input_);
  const uint64_t per_tweet = first.new_events / 5;
  ASSERT_TRUE(SaveArchiveCheckpoint(archive_, {2, input_, {input_, 2, 0}}, false).ok());
  RunResult second = Run(input_);
  EXPECT_EQ(second.replayed_events, 5 * per_tweet);
  EXPECT_EQ(second.skipped_lines, 2u);
  EXPECT_EQ(second.already_logged, 3u);
  EXPECT_EQ(second.new_events, 0u);
  EXPECT_EQ(ArchivedRecords().size(), 5u);
  // No checkpoint at all (a crash before the first one): everything is recognised.
  fs::remove(archive_ + "/CHECKPOINT");
  RunResult third = Run(input_);
  EXPECT_EQ(third.already_logged, 5u);
  EXPECT_EQ(third.new_events, 0u);
  EXPECT_EQ(ArchivedRecords().size(), 5u);
}

TEST_F(ArchiveLogTest, ADifferentSourceIsReadWholeAfterTheReplay) {
  WriteInput({Tweet(1), Tweet(2)});
  RunResult first = Run(input_);
  const std::string other = (dir_ / "other.jsonl").string();
  std::ofstream(other) << Tweet(10) << "\n" << Tweet(11) << "\n" << Tweet(12) << "\n";
  RunResult second = Run(other);
  EXPECT_EQ(second.replayed_events, first.new_events);
  EXPECT_EQ(second.skipped_lines, 0u);
  EXPECT_EQ(second.already_logged, 0u);
  EXPECT_EQ(second.new_events, first.new_events / 2 * 3);
  EXPECT_EQ(ArchivedRecords().size(), 5u);
}

}  // namespace
}  // namespace reach::ingest
