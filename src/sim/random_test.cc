#include "sim/random.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace reach::sim {
namespace {

TEST(RngTest, SameSeedSameSequenceDifferentSeedDifferent) {
  Rng a(42);
  Rng b(42);
  Rng c(43);
  int differ = 0;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differ += x != c.Next();
  }
  EXPECT_EQ(differ, 1000);
}

// The generator is specified by its algorithm, not by the library: these values must never change
// (they would change the bytes of every simulated world).
TEST(RngTest, OutputIsPinned) {
  Rng rng(1);
  EXPECT_EQ(rng.Next(), 0xb3f2af6d0fc710c5ULL);
  EXPECT_EQ(rng.Next(), 0x853b559647364ceaULL);
  EXPECT_EQ(SplitMix64(0), 0xe220a8397b1dcdafULL);
}

TEST(RngTest, BelowIsInRangeAndRoughlyUniform) {
  Rng rng(7);
  std::vector<int> counts(10, 0);
  for (int i = 0; i < 100'000; ++i) {
    const uint64_t k = rng.Below(10);
    ASSERT_LT(k, 10u);
    ++counts[k];
  }
  for (int c : counts) EXPECT_NEAR(c, 10'000, 500);
}

TEST(RngTest, ExponentialAndGeometricMeans) {
  Rng rng(9);
  double sum = 0;
  double geo = 0;
  constexpr int kN = 200'000;
  for (int i = 0; i < kN; ++i) {
    sum += rng.Exponential(600);
    geo += static_cast<double>(rng.GeometricSkip(0.1));
  }
  EXPECT_NEAR(sum / kN, 600, 6);
  EXPECT_NEAR(geo / kN, 9.0, 0.15);  // (1 - p) / p
  EXPECT_EQ(rng.GeometricSkip(1.0), 0u);
}

TEST(RngTest, ParetoTail) {
  Rng rng(11);
  int above = 0;
  constexpr int kN = 200'000;
  for (int i = 0; i < kN; ++i) {
    const double x = rng.Pareto(1.0, 1.5);
    ASSERT_GE(x, 1.0);
    above += x > 10.0;
  }
  // P(X > 10) = 10^-1.5 = 0.0316
  EXPECT_NEAR(static_cast<double>(above) / kN, 0.0316, 0.003);
}

TEST(AliasTableTest, SamplesInProportionToWeights) {
  const std::vector<double> weights = {1, 0, 3, 6};
  AliasTable table(weights);
  ASSERT_EQ(table.size(), 4u);
  Rng rng(3);
  std::vector<int> counts(4, 0);
  constexpr int kN = 100'000;
  for (int i = 0; i < kN; ++i) ++counts[table.Sample(rng)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[0], kN * 0.1, 600);
  EXPECT_NEAR(counts[2], kN * 0.3, 900);
  EXPECT_NEAR(counts[3], kN * 0.6, 900);
}

TEST(AliasTableTest, SingleWeight) {
  const std::vector<double> weights = {5};
  AliasTable table(weights);
  Rng rng(1);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(table.Sample(rng), 0u);
}

}  // namespace
}  // namespace reach::sim
