#include "store/engine_state.h"

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace reach::store {
namespace {

engine::StoreBatch BatchWithStats() {
  engine::StoreBatch batch;
  batch.as_of = EventTime::FromMicros(1'352'000'000'123'456);
  batch.flushed_at = EventTime::FromMicros(1'700'000'000'000'001);
  batch.stats.events_applied = 1234;
  batch.stats.posts = 1000;
  batch.stats.users = 300;
  batch.stats.duplicates = 7;
  batch.stats.deletes_applied = 3;
  batch.stats.deletes_pending = 2;
  batch.stats.cascades = 90;
  batch.stats.watermark = EventTime::FromMicros(1'352'000'000'123'000);
  return batch;
}

TEST(EngineStateTest, RoundTripWithoutScores) {
  engine::StoreBatch batch = BatchWithStats();
  std::vector<StateEntry> rows = EncodeEngineState(batch);
  EXPECT_EQ(rows.size(), 10u);
  StoredEngineState state = DecodeEngineState(rows);
  EXPECT_FALSE(state.has_scores);
  EXPECT_EQ(state.as_of, batch.as_of);
  EXPECT_EQ(state.flushed_at, batch.flushed_at);
  EXPECT_EQ(state.stats.events_applied, 1234);
  EXPECT_EQ(state.stats.posts, 1000);
  EXPECT_EQ(state.stats.users, 300);
  EXPECT_EQ(state.stats.duplicates, 7);
  EXPECT_EQ(state.stats.deletes_applied, 3);
  EXPECT_EQ(state.stats.deletes_pending, 2);
  EXPECT_EQ(state.stats.cascades, 90);
  EXPECT_EQ(state.stats.watermark, batch.stats.watermark);
  EXPECT_EQ(state.scores_as_of, EventTime{});
}

TEST(EngineStateTest, RoundTripWithScoresKeepsWeightsExactly) {
  engine::StoreBatch batch = BatchWithStats();
  auto snap = testing::MakeSnapshot(1'352'000'000'000'000);
  snap->sequence = 18'000'000'000'000'000'000ull;
  snap->weights = {0.1, 0.2, 0.30000000000000004, 1.0 / 3.0, 0.7, 1e-9};
  batch.scores = snap;
  StoredEngineState state = DecodeEngineState(EncodeEngineState(batch));
  EXPECT_TRUE(state.has_scores);
  EXPECT_EQ(state.scores_as_of, snap->as_of);
  EXPECT_EQ(state.scores_published, snap->published);
  EXPECT_EQ(state.scores_sequence, 18'000'000'000'000'000'000ull);
  EXPECT_EQ(state.weights.reshares, 0.1);
  EXPECT_EQ(state.weights.likes, 0.2);
  EXPECT_EQ(state.weights.followers, 0.30000000000000004);
  EXPECT_EQ(state.weights.depth, 1.0 / 3.0);
  EXPECT_EQ(state.weights.pagerank, 0.7);
  EXPECT_EQ(state.weights.audience, 1e-9);
}

TEST(EngineStateTest, MalformedAndUnknownValuesAreIgnored) {
  StoredEngineState state = DecodeEngineState({{"stats.posts", "12x"},
                                               {"stats.users", "5"},
                                               {"weights.likes", "abc"},
                                               {"something.else", "1"}});
  EXPECT_EQ(state.stats.posts, 0);
  EXPECT_EQ(state.stats.users, 5);
  EXPECT_EQ(state.weights.likes, engine::ScoreWeights{}.likes);
}

}  // namespace
}  // namespace reach::store
