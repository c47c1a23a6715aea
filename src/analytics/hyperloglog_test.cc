#include "analytics/hyperloglog.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "absl/container/flat_hash_set.h"
#include "analytics/sliding_hyperloglog.h"

namespace reach::analytics {
namespace {

// Relative error of the estimate of `n` distinct ids drawn from `seed`'s range, at precision p.
double RelativeError(int p, uint64_t n, uint64_t seed) {
  HyperLogLog h(p);
  for (uint64_t i = 0; i < n; ++i) h.Add(MixHash64(seed * 0x100000000ULL + i));
  return (h.Estimate() - static_cast<double>(n)) / static_cast<double>(n);
}

TEST(HyperLogLogTest, EmptyIsZero) {
  HyperLogLog h(10);
  EXPECT_EQ(h.Estimate(), 0.0);
}

TEST(HyperLogLogTest, RankAndRegister) {
  // Top p bits pick the register; the rank counts the leading zeros of the rest, plus one.
  EXPECT_EQ(HyperLogLog::RegisterOf(0xFFC0000000000000ULL, 10), 1023u);
  EXPECT_EQ(HyperLogLog::RankOf(0x0020000000000000ULL, 10), 1);  // first bit after the index
  EXPECT_EQ(HyperLogLog::RankOf(0x0010000000000000ULL, 10), 2);
  EXPECT_EQ(HyperLogLog::RankOf(0x0000000000000001ULL, 10), 54);
  EXPECT_EQ(HyperLogLog::RankOf(0, 10), 55);  // all 54 bits zero
}

TEST(HyperLogLogTest, SmallCountsAreNearlyExact) {
  // Linear counting: with far fewer items than registers, collisions are rare.
  for (uint64_t n : {1, 2, 5, 10, 50, 100}) {
    HyperLogLog h(10);
    for (uint64_t i = 0; i < n; ++i) h.Add(MixHash64(i + 77));
    EXPECT_NEAR(h.Estimate(), static_cast<double>(n), std::max(1.0, 0.02 * n)) << n;
  }
}

TEST(HyperLogLogTest, ErrorWithinThreeStandardErrorsOverTheRange) {
  // Every range, including the transition from linear counting to the bias-corrected estimate
  // (around 2^p .. 5 * 2^p), within 3 sigma = 3 * 1.04 / sqrt(2^p).
  for (int p : {10, 12}) {
    const double sigma = HyperLogLog(p).standard_error();
    for (uint64_t n : {300, 1000, 2000, 4000, 8000, 20000, 100000, 1000000}) {
      const double err = RelativeError(p, n, 1);
      EXPECT_LE(std::abs(err), 3 * sigma) << "p=" << p << " n=" << n;
    }
  }
}

TEST(HyperLogLogTest, UnbiasedWithStatedStandardErrorAcrossTrials) {
  // Over 40 independent streams at each size, the root mean square error is close to
  // 1.04 / sqrt(m) and the mean error (bias) is small, in the transition region too.
  const int p = 10;
  const double sigma = HyperLogLog(p).standard_error();
  for (uint64_t n : {700, 1500, 3000, 6000, 30000}) {
    double sum = 0, sum_sq = 0;
    const int trials = 40;
    for (int t = 0; t < trials; ++t) {
      const double e = RelativeError(p, n, 100 + static_cast<uint64_t>(t));
      sum += e;
      sum_sq += e * e;
    }
    const double mean = sum / trials;
    const double rms = std::sqrt(sum_sq / trials);
    EXPECT_LE(rms, 1.35 * sigma) << "n=" << n;
    EXPECT_LE(std::abs(mean), 0.5 * sigma) << "n=" << n;
  }
}

TEST(HyperLogLogTest, AddIsIdempotentAndMergeIsTheUnion) {
  HyperLogLog a(10), b(10), both(10);
  for (uint64_t i = 0; i < 3000; ++i) {
    a.Add(MixHash64(i));
    both.Add(MixHash64(i));
  }
  const double before = a.Estimate();
  for (uint64_t i = 0; i < 3000; ++i) a.Add(MixHash64(i));
  EXPECT_EQ(a.Estimate(), before);
  for (uint64_t i = 2000; i < 6000; ++i) {
    b.Add(MixHash64(i));
    both.Add(MixHash64(i));
  }
  a.Merge(b);
  EXPECT_EQ(a.registers(), both.registers());
  EXPECT_NEAR(a.Estimate(), 6000, 3 * a.standard_error() * 6000);
}

// The sliding sketch's answer for [since, now] must equal a plain HyperLogLog of exactly the items
// added at or after `since` (the same registers, so the same estimate), in any arrival order and
// after expiry.
TEST(SlidingHyperLogLogTest, EveryWindowEqualsAPlainSketchOfItsItems) {
  std::mt19937_64 rng(7);
  struct Item {
    uint64_t hash;
    int64_t time;
  };
  std::vector<Item> items;
  for (int i = 0; i < 20000; ++i) {
    // Repeated ids (engagers come back) at random times, in random order.
    items.push_back({MixHash64(rng() % 6000), static_cast<int64_t>(rng() % 100000)});
  }
  SlidingHyperLogLog s(10);
  for (const Item& it : items) s.Add(it.hash, it.time);
  auto plain = [&](int64_t since) {
    HyperLogLog h(10);
    for (const Item& it : items) {
      if (it.time >= since) h.Add(it.hash);
    }
    return h;
  };
  for (int64_t since : {0, 1, 5000, 50000, 90000, 99990, 100000}) {
    EXPECT_EQ(s.Estimate(since), plain(since).Estimate()) << since;
  }
  EXPECT_EQ(s.EstimateAll(), plain(0).Estimate());

  const size_t before = s.entries();
  s.ExpireBefore(60000);
  EXPECT_LT(s.entries(), before);
  for (int64_t since : {60000, 75000, 99999}) {
    EXPECT_EQ(s.Estimate(since), plain(since).Estimate()) << since;
  }
  EXPECT_EQ(s.EstimateAll(), plain(0).Estimate());  // each register's all-time maximum stays
  // Bounded: at most one entry per (register, rank).
  EXPECT_LE(s.entries(), size_t{1024} * 56);
}

TEST(SlidingHyperLogLogTest, ExactSetCountWithinStatedError) {
  // Distinct ids in a window against an exact set.
  std::mt19937_64 rng(11);
  SlidingHyperLogLog s(12);
  absl::flat_hash_set<uint64_t> recent, all;
  for (int i = 0; i < 200000; ++i) {
    const uint64_t id = rng() % 150000;
    const int64_t t = i;
    s.Add(MixHash64(id), t);
    all.insert(id);
    if (t >= 150000) recent.insert(id);
  }
  const double sigma = HyperLogLog(12).standard_error();
  EXPECT_NEAR(s.Estimate(150000), static_cast<double>(recent.size()),
              3 * sigma * static_cast<double>(recent.size()));
  EXPECT_NEAR(s.EstimateAll(), static_cast<double>(all.size()),
              3 * sigma * static_cast<double>(all.size()));
}

TEST(SlidingHyperLogLogTest, SmallAudienceKeepsFewEntries) {
  SlidingHyperLogLog s(10);
  for (uint64_t id = 0; id < 20; ++id) s.Add(MixHash64(id), static_cast<int64_t>(id));
  EXPECT_LE(s.entries(), 20u);
  EXPECT_NEAR(s.EstimateAll(), 20, 1);
  EXPECT_NEAR(s.Estimate(10), 10, 1);
}

}  // namespace
}  // namespace reach::analytics
