#include "ingest/live/reconnect_backoff.h"

#include <gtest/gtest.h>

namespace reach::ingest {
namespace {

using ms = std::chrono::milliseconds;
using F = ReconnectBackoff::Failure;

TEST(ReconnectBackoffTest, NetworkErrorsBackOffLinearlyTo16Seconds) {
  ReconnectBackoff b;
  EXPECT_EQ(b.Next(F::kNetwork), ms(250));
  EXPECT_EQ(b.Next(F::kNetwork), ms(500));
  EXPECT_EQ(b.Next(F::kNetwork), ms(750));
  ms last{0};
  for (int i = 0; i < 100; ++i) last = b.Next(F::kNetwork);
  EXPECT_EQ(last, ms(16'000));
}

TEST(ReconnectBackoffTest, HttpErrorsBackOffExponentiallyFrom5To320Seconds) {
  ReconnectBackoff b;
  EXPECT_EQ(b.Next(F::kHttp), ms(5'000));
  EXPECT_EQ(b.Next(F::kHttp), ms(10'000));
  EXPECT_EQ(b.Next(F::kHttp), ms(20'000));
  for (int i = 0; i < 10; ++i) b.Next(F::kHttp);
  EXPECT_EQ(b.Next(F::kHttp), ms(320'000));
}

TEST(ReconnectBackoffTest, RateLimitStartsAtOneMinuteAndDoubles) {
  ReconnectBackoff b;
  EXPECT_EQ(b.Next(F::kRateLimited), ms(60'000));
  EXPECT_EQ(b.Next(F::kRateLimited), ms(120'000));
  EXPECT_EQ(b.Next(F::kRateLimited), ms(240'000));
}

TEST(ReconnectBackoffTest, DropOfEstablishedStreamReconnectsAtOnceThenBacksOff) {
  ReconnectBackoff b;
  EXPECT_EQ(b.Next(F::kHttp), ms(5'000));
  b.Connected();
  EXPECT_EQ(b.Next(F::kDropped), ms(0));
  // Dropped again without having connected in between: a network error.
  EXPECT_EQ(b.Next(F::kDropped), ms(250));
  EXPECT_EQ(b.Next(F::kNetwork), ms(500));
  // A connection restarts every schedule.
  b.Connected();
  EXPECT_EQ(b.Next(F::kHttp), ms(5'000));
}

}  // namespace
}  // namespace reach::ingest
