// HyperLogLog: an estimate of the number of distinct items of a stream in 2^p bytes.
//
// Flajolet, Fusy, Gandouet and Meunier, "HyperLogLog: the analysis of a near-optimal cardinality
// estimation algorithm", AofA 2007. Each item's 64-bit hash picks a register with its top p bits;
// the register keeps the largest rank (position of the first 1-bit) seen among the other 64 - p
// bits. The relative standard error is about 1.04 / sqrt(2^p) (3.25 % at p = 10, 1.6 % at p = 12).
//
// Estimation follows Heule, Nunkesser and Hall, "HyperLogLog in practice", EDBT 2013: a 64-bit
// hash (no large-range correction is needed), and linear counting (m ln(m / V), V empty registers)
// while its result is below the paper's empirical threshold for p. Above it, the raw estimate's
// small-range bias is removed with Ertl's improved estimator ("New cardinality estimation
// algorithms for HyperLogLog sketches", 2017), which uses the register histogram and needs no
// empirical bias tables, instead of HLL++'s k-nearest-neighbour tables.
//
//   HyperLogLog h(12);
//   for (uint64_t id : ids) h.Add(MixHash64(id));
//   double distinct = h.Estimate();
//
// Items must be hashed well (MixHash64 for integer ids); Add is idempotent, so re-adding an item
// never changes the estimate. Merge gives the sketch of the union.
//
// Thread safety: none; const methods may run concurrently with each other. Cost: Add O(1);
// Estimate O(2^p); memory 2^p bytes.
#ifndef REACH_ANALYTICS_HYPERLOGLOG_H_
#define REACH_ANALYTICS_HYPERLOGLOG_H_

#include <cstdint>
#include <span>
#include <vector>

namespace reach::analytics {

// A 64-bit finaliser (splitmix64) that spreads integer ids over all bits.
constexpr uint64_t MixHash64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class HyperLogLog {
 public:
  static constexpr int kMinPrecision = 4;
  static constexpr int kMaxPrecision = 18;

  // `precision` is clamped to [kMinPrecision, kMaxPrecision].
  explicit HyperLogLog(int precision = 10);

  void Add(uint64_t hash);
  // The union: registers take the maximum. Both sketches must have the same precision (asserted).
  void Merge(const HyperLogLog& other);
  [[nodiscard]] double Estimate() const;

  [[nodiscard]] int precision() const { return p_; }
  [[nodiscard]] const std::vector<uint8_t>& registers() const { return registers_; }
  // 1.04 / sqrt(2^p).
  [[nodiscard]] double standard_error() const;

  // The register a hash falls in and its rank (1 .. 65 - p) at precision p.
  static uint32_t RegisterOf(uint64_t hash, int p) {
    return static_cast<uint32_t>(hash >> (64 - p));
  }
  static uint8_t RankOf(uint64_t hash, int p);
  // The estimate from a histogram of register values: counts[k] registers hold k, for
  // k = 0 .. 65 - p (so counts.size() == 66 - p). Shared with SlidingHyperLogLog.
  static double EstimateFromHistogram(std::span<const uint32_t> counts, int p);

 private:
  int p_;
  std::vector<uint8_t> registers_;
};

}  // namespace reach::analytics

#endif  // REACH_ANALYTICS_HYPERLOGLOG_H_
