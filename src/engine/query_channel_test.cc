#include "engine/query_channel.h"

#include <atomic>
#include <thread>

#include "common/clock.h"
#include "engine/engine.h"
#include "gtest/gtest.h"

namespace reach::engine {
namespace {

TEST(QueryChannelTest, AnswersOnTheServingThread) {
  ManualClock clock;
  Engine engine(EngineOptions{}, clock);
  QueryChannel channel;
  std::atomic<bool> stop{false};
  std::thread::id served_on;
  std::thread writer([&] {
    served_on = std::this_thread::get_id();
    while (!stop.load()) {
      channel.Serve(engine);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  std::thread::id asked_on;
  absl::StatusOr<int64_t> answer = channel.Ask<int64_t>([&](const Engine& e) {
    asked_on = std::this_thread::get_id();
    return absl::StatusOr<int64_t>(e.stats().events_applied + 41);
  });
  stop = true;
  writer.join();
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(*answer, 41);
  EXPECT_EQ(asked_on, served_on);
}

TEST(QueryChannelTest, ErrorsPassThrough) {
  ManualClock clock;
  Engine engine(EngineOptions{}, clock);
  QueryChannel channel;
  std::thread writer([&] {
    while (channel.waiting() == 0) std::this_thread::yield();
    channel.Serve(engine);
  });
  absl::StatusOr<int> answer =
      channel.Ask<int>([](const Engine&) { return absl::StatusOr<int>(absl::NotFoundError("x")); });
  writer.join();
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kNotFound);
}

TEST(QueryChannelTest, TimesOutWhenNobodyServes) {
  QueryChannel channel;
  absl::StatusOr<int> answer = channel.Ask<int>(
      [](const Engine&) { return absl::StatusOr<int>(1); }, std::chrono::milliseconds(20));
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kUnavailable);
  // The abandoned question is still answered safely later.
  ManualClock clock;
  Engine engine(EngineOptions{}, clock);
  EXPECT_EQ(channel.Serve(engine), 1);
}

TEST(QueryChannelTest, CloseFailsWaitingAndLaterQuestions) {
  QueryChannel channel;
  std::thread closer([&] {
    while (channel.waiting() == 0) std::this_thread::yield();
    channel.Close();
  });
  absl::StatusOr<int> waiting =
      channel.Ask<int>([](const Engine&) { return absl::StatusOr<int>(1); });
  closer.join();
  EXPECT_EQ(waiting.status().code(), absl::StatusCode::kUnavailable);
  absl::StatusOr<int> later =
      channel.Ask<int>([](const Engine&) { return absl::StatusOr<int>(1); });
  EXPECT_EQ(later.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace reach::engine
