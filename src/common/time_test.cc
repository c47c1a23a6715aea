#include "common/time.h"

#include <gtest/gtest.h>

#include "common/clock.h"

namespace reach {
namespace {

TEST(TimeTest, FormatsIso8601) {
  EXPECT_EQ(FormatIso8601(EventTime::FromSeconds(1352341901)), "2012-11-08T02:31:41.000Z");
  EXPECT_EQ(FormatIso8601(EventTime::FromMicros(1352341901123456)), "2012-11-08T02:31:41.123Z");
}

TEST(TimeTest, ArithmeticKeepsTypes) {
  EventTime t = EventTime::FromSeconds(100);
  EXPECT_EQ((t + Duration::Minutes(1)).seconds(), 160);
  EXPECT_EQ((t - EventTime::FromSeconds(40)).micros, Duration::Seconds(60).micros);
}

TEST(ManualClockTest, MovesOnlyWhenTold) {
  ManualClock clock(EventTime::FromSeconds(10));
  EXPECT_EQ(clock.Now().seconds(), 10);
  clock.Advance(Duration::Seconds(5));
  EXPECT_EQ(clock.Now().seconds(), 15);
}

}  // namespace
}  // namespace reach
