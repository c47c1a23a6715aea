#include "engine/score.h"

#include <cmath>

#include <gtest/gtest.h>

namespace reach::engine {
namespace {

InfluencerRow Row(uint64_t id, int64_t reshares, int64_t likes, int64_t followers, int32_t depth) {
  InfluencerRow r;
  r.user = UserId{id};
  r.metrics.reshares = reshares;
  r.metrics.likes = likes;
  r.metrics.depth = depth;
  r.followers = followers;
  return r;
}

TEST(ScoreTest, TopOfEveryFactorScoresHundred) {
  std::vector<InfluencerRow> rows = {Row(1, 10, 100, 1000, 3), Row(2, 1, 0, 10, 1)};
  ScoreAndRank(ScoreWeights{}, rows);
  EXPECT_EQ(rows[0].user, UserId{1});
  EXPECT_DOUBLE_EQ(rows[0].score, 100.0);
  EXPECT_EQ(rows[0].rank, 1);
  EXPECT_EQ(rows[1].rank, 2);
  EXPECT_DOUBLE_EQ(rows[1].components.reshares, std::log1p(1.0) / std::log1p(10.0));
  EXPECT_DOUBLE_EQ(rows[1].components.likes, 0.0);
}

TEST(ScoreTest, WeightsSelectTheFactor) {
  std::vector<InfluencerRow> rows = {Row(1, 10, 0, 0, 0), Row(2, 0, 0, 5000, 0)};
  ScoreWeights followers_only{0, 0, 1, 0};
  ScoreAndRank(followers_only, rows);
  EXPECT_EQ(rows[0].user, UserId{2});
  EXPECT_DOUBLE_EQ(rows[0].score, 100.0);
  EXPECT_DOUBLE_EQ(rows[1].score, 0.0);
}

TEST(ScoreTest, TiesBreakByResharesThenId) {
  std::vector<InfluencerRow> rows = {Row(9, 0, 0, 0, 0), Row(3, 0, 0, 0, 0)};
  ScoreAndRank(ScoreWeights{}, rows);
  EXPECT_EQ(rows[0].user, UserId{3});
}

TEST(ScoreTest, RejectsBadWeights) {
  EXPECT_EQ(ValidateWeights(ScoreWeights{-1, 0, 0, 0}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateWeights(ScoreWeights{0, 0, 0, 0}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateWeights(ScoreWeights{}).ok());
}

}  // namespace
}  // namespace reach::engine
