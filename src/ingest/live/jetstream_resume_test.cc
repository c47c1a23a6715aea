#include "ingest/live/jetstream_resume.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <string>

namespace reach::ingest {
namespace {

std::string Event(int64_t time_us, std::string_view did = "did:plc:a") {
  return fmt::format(R"({{"did":"{}","time_us":{},"kind":"commit","commit":{{}}}})", did, time_us);
}

TEST(JetstreamResumeTest, NoCursorBeforeTheFirstEvent) {
  JetstreamResume r(0);
  EXPECT_EQ(r.ResumeCursor(), 0);
  EXPECT_TRUE(r.Accept(Event(10'000'000)));
  EXPECT_EQ(r.cursor(), 10'000'000);
  EXPECT_EQ(r.ResumeCursor(), 5'000'000);
}

TEST(JetstreamResumeTest, ReplayedOverlapIsDroppedNewEventsPass) {
  JetstreamResume r(0, /*rewind_us=*/1000);
  for (int64_t t : {5000, 5400, 5200, 6000}) EXPECT_TRUE(r.Accept(Event(t))) << t;
  EXPECT_EQ(r.cursor(), 6000);
  EXPECT_EQ(r.ResumeCursor(), 5000);
  // The server replays from 5000: all four are repeats; 6500 is new.
  for (int64_t t : {5000, 5200, 5400, 6000}) EXPECT_FALSE(r.Accept(Event(t))) << t;
  EXPECT_TRUE(r.Accept(Event(6500)));
  // Same time, another account: a different event.
  EXPECT_TRUE(r.Accept(Event(6500, "did:plc:b")));
}

TEST(JetstreamResumeTest, LateEventOlderThanTheWindowIsAccepted) {
  JetstreamResume r(0, /*rewind_us=*/1000);
  EXPECT_TRUE(r.Accept(Event(10'000)));
  EXPECT_TRUE(r.Accept(Event(2'000)));  // out of order, before any replay could start
  EXPECT_EQ(r.cursor(), 10'000);
}

TEST(JetstreamResumeTest, MemoryStaysWithinTheWindow) {
  JetstreamResume r(0, /*rewind_us=*/100);
  for (int64_t t = 1; t <= 100'000; ++t) ASSERT_TRUE(r.Accept(Event(t)));
  EXPECT_LE(r.remembered(), 101u);
}

TEST(JetstreamResumeTest, UnreadableMessagesAreLeftToTheDecoder) {
  JetstreamResume r(0);
  EXPECT_TRUE(r.Accept("not json"));
  EXPECT_TRUE(r.Accept(R"({"did":"x","time_us":"12"})"));
  EXPECT_TRUE(r.Accept("not json"));
  EXPECT_EQ(r.cursor(), 0);
}

TEST(JetstreamResumeTest, InitialCursorFromTheUrl) {
  JetstreamResume r(1'000'000, 1000);
  EXPECT_EQ(r.ResumeCursor(), 999'000);
  EXPECT_TRUE(r.Accept(Event(1'000'500)));
}

}  // namespace
}  // namespace reach::ingest
