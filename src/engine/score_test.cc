#include "engine/score.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

namespace reach::engine {
namespace {

InfluencerRow Row(uint64_t id, int64_t reshares, int64_t likes, int64_t followers, int32_t depth,
                  double pagerank = 0, int64_t audience = 0) {
  InfluencerRow r;
  r.user = UserId{id};
  r.metrics.reshares = reshares;
  r.metrics.likes = likes;
  r.metrics.depth = depth;
  r.metrics.audience = audience;
  r.followers = followers;
  r.pagerank = pagerank;
  return r;
}

ScoreWeights Only(int factor) {
  ScoreWeights w{0, 0, 0, 0, 0, 0};
  double* fields[] = {&w.reshares, &w.likes, &w.followers, &w.depth, &w.pagerank, &w.audience};
  *fields[factor] = 1;
  return w;
}

TEST(ScoreTest, TopOfEveryFactorScoresHundred) {
  std::vector<InfluencerRow> rows = {Row(1, 10, 100, 1000, 3, 2.5, 40),
                                     Row(2, 1, 0, 10, 1, 0.5, 2)};
  ScoreAndRank(ScoreWeights{}, rows);
  EXPECT_EQ(rows[0].user, UserId{1});
  EXPECT_DOUBLE_EQ(rows[0].score, 100.0);
  EXPECT_EQ(rows[0].rank, 1);
  EXPECT_EQ(rows[1].rank, 2);
  // The lowest non-zero value of two ranks 0 of 1; a zero scores 0.
  EXPECT_DOUBLE_EQ(rows[1].components.reshares, 0.0);
  EXPECT_DOUBLE_EQ(rows[1].components.likes, 0.0);
  EXPECT_DOUBLE_EQ(rows[1].score, 0.0);
}

// Brute force: the share of the other accounts below, ties counted half.
double BrutePercentile(const std::vector<double>& v, size_t i) {
  if (v[i] <= 0) return 0;
  if (v.size() == 1) return 1;
  double below = 0, tied = 0;
  for (size_t j = 0; j < v.size(); ++j) {
    if (j == i) continue;
    if (v[j] < v[i]) below += 1;
    if (v[j] == v[i]) tied += 1;
  }
  return (below + tied / 2) / static_cast<double>(v.size() - 1);
}

TEST(ScoreTest, PercentilesAverageTiesAndMatchABruteForceRank) {
  std::mt19937 rng(3);
  for (int round = 0; round < 50; ++round) {
    std::vector<double> v(1 + rng() % 40);
    for (double& x : v) x = static_cast<double>(rng() % 6);  // many ties, some zeros
    const std::vector<double> p = Percentiles(v);
    for (size_t i = 0; i < v.size(); ++i) {
      EXPECT_NEAR(p[i], BrutePercentile(v, i), 1e-12) << "round " << round << " i " << i;
    }
  }
  // Explicit: values 0, 5, 5, 9 -> 0, (1 + 0.5) / 3, the same, 1.
  const std::vector<double> p = Percentiles({0, 5, 5, 9});
  EXPECT_DOUBLE_EQ(p[0], 0.0);
  EXPECT_DOUBLE_EQ(p[1], 0.5);
  EXPECT_DOUBLE_EQ(p[2], 0.5);
  EXPECT_DOUBLE_EQ(p[3], 1.0);
}

TEST(ScoreTest, EachWeightSelectsItsFactor) {
  // Account 1 leads reshares, likes and depth; account 2 followers, PageRank and audience.
  for (int f = 0; f < kScoreFactors; ++f) {
    std::vector<InfluencerRow> rows = {Row(1, 10, 10, 5, 4, 0.5, 3), Row(2, 1, 1, 5000, 1, 3, 90),
                                       Row(3, 2, 2, 50, 2, 1, 10)};
    ScoreAndRank(Only(f), rows);
    const UserId want = (f == 0 || f == 1 || f == 3) ? UserId{1} : UserId{2};
    EXPECT_EQ(rows[0].user, want) << "factor " << f;
    EXPECT_DOUBLE_EQ(rows[0].score, 100.0) << "factor " << f;
    EXPECT_DOUBLE_EQ(rows[1].score, 50.0) << "factor " << f;  // the middle of three
  }
}

TEST(ScoreTest, ScoreIsTheWeightedMeanOfComponents) {
  std::vector<InfluencerRow> rows;
  std::mt19937 rng(5);
  for (uint64_t id = 1; id <= 30; ++id) {
    rows.push_back(Row(id, rng() % 7, rng() % 9, rng() % 1000, static_cast<int32_t>(rng() % 4),
                       (rng() % 100) / 10.0, rng() % 50));
  }
  const ScoreWeights w{0.3, 0.1, 0.2, 0.1, 0.2, 0.1};
  ScoreAndRank(w, rows);
  for (const InfluencerRow& r : rows) {
    double sum = 0, weights = 0;
    for (const ScoreFactor& f : ScoreFactors(r, w)) {
      EXPECT_GE(f.value, 0.0);
      EXPECT_LE(f.value, 1.0);
      sum += f.weight * f.value;
      weights += f.weight;
    }
    EXPECT_NEAR(r.score, 100 * sum / weights, 1e-9);
  }
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_GE(rows[i - 1].score, rows[i].score);
}

TEST(ScoreTest, TiesBreakByResharesThenId) {
  std::vector<InfluencerRow> rows = {Row(9, 0, 0, 0, 0), Row(3, 0, 0, 0, 0)};
  ScoreAndRank(ScoreWeights{}, rows);
  EXPECT_EQ(rows[0].user, UserId{3});
}

TEST(ScoreTest, RejectsBadWeights) {
  EXPECT_EQ(ValidateWeights(ScoreWeights{-1, 0, 0, 0, 0, 0}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateWeights(ScoreWeights{0, 0, 0, 0, 0, 0}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateWeights(ScoreWeights{1, 0, 0, 0, NAN, 0}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateWeights(ScoreWeights{0, 0, 0, 0, 0, 1}).ok());
  EXPECT_TRUE(ValidateWeights(ScoreWeights{}).ok());
}

TEST(ScoreTest, ExplanationsNameTheRawValueAndThePercentile) {
  ScoreFactor f{"reshares", 0.83, 120, 0.25};
  EXPECT_EQ(ExplainFactor(f, Window::k24h),
            "120 reshares in the last 24h, more than 83% of active accounts");
  EXPECT_EQ(ExplainFactor(ScoreFactor{"followers", 0, -1, 0.15}, Window::kAll),
            "follower count unknown");
  EXPECT_EQ(ExplainFactor(ScoreFactor{"audience", 0.5, 12, 0.15}, Window::k1h),
            "about 12 distinct accounts engaged in the last 1h, more than 50% of active accounts");
  EXPECT_EQ(ExplainFactor(ScoreFactor{"likes", 0, 0, 0.15}, Window::kAll),
            "no likes over all time");
  // Rounded down ("more than" stays true), and the top of a factor says so.
  EXPECT_EQ(ExplainFactor(ScoreFactor{"likes", 0.9976, 7, 0.15}, Window::k15m),
            "7 likes in the last 15m, more than 99% of active accounts");
  EXPECT_EQ(ExplainFactor(ScoreFactor{"depth", 1.0, 3, 0.15}, Window::k1h),
            "its cascades reached depth 3 in the last 1h, the deepest of any active account");
  EXPECT_EQ(ExplainFactor(ScoreFactor{"reshares", 1.0, 1, 0.25}, Window::kAll),
            "1 reshare over all time, the most of any active account");
}

}  // namespace
}  // namespace reach::engine
