#include "analytics/hyperloglog.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <limits>

namespace reach::analytics {
namespace {

// Heule et al. 2013, Table/Appendix: below these cardinalities linear counting is the better
// estimate, for p = 4 .. 18.
constexpr double kLinearCountingThreshold[] = {10,   20,   40,    80,    220,   400,    900,   1800,
                                               3100, 6500, 11500, 20000, 50000, 120000, 350000};

// Ertl 2017, Algorithm 6: sigma(x) = x + sum_{k>=1} x^(2^k) 2^(k-1).
double Sigma(double x) {
  if (x == 1.0) return std::numeric_limits<double>::infinity();
  double y = 1.0;
  double z = x;
  for (;;) {
    x *= x;
    const double before = z;
    z += x * y;
    y += y;
    if (z == before) return z;
  }
}

// tau(x) = (1 - x - sum_{k>=1} (1 - x^(2^-k))^2 2^-k) / 3.
double Tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double y = 1.0;
  double z = 1.0 - x;
  for (;;) {
    x = std::sqrt(x);
    const double before = z;
    y *= 0.5;
    z -= (1.0 - x) * (1.0 - x) * y;
    if (z == before) return z / 3.0;
  }
}

}  // namespace

HyperLogLog::HyperLogLog(int precision)
    : p_(std::clamp(precision, kMinPrecision, kMaxPrecision)), registers_(size_t{1} << p_, 0) {}

uint8_t HyperLogLog::RankOf(uint64_t hash, int p) {
  const uint64_t rest = hash << p;  // the 64 - p bits below the register index, left-aligned
  const int q = 64 - p;
  if (rest == 0) return static_cast<uint8_t>(q + 1);
  return static_cast<uint8_t>(std::min(std::countl_zero(rest), q) + 1);
}

void HyperLogLog::Add(uint64_t hash) {
  uint8_t& r = registers_[RegisterOf(hash, p_)];
  r = std::max(r, RankOf(hash, p_));
}

void HyperLogLog::Merge(const HyperLogLog& other) {
  assert(other.p_ == p_);
  if (other.p_ != p_) return;
  for (size_t i = 0; i < registers_.size(); ++i) {
    registers_[i] = std::max(registers_[i], other.registers_[i]);
  }
}

double HyperLogLog::standard_error() const {
  return 1.04 / std::sqrt(static_cast<double>(registers_.size()));
}

double HyperLogLog::Estimate() const {
  std::vector<uint32_t> counts(static_cast<size_t>(66 - p_), 0);
  for (uint8_t r : registers_) ++counts[r];
  return EstimateFromHistogram(counts, p_);
}

double HyperLogLog::EstimateFromHistogram(std::span<const uint32_t> counts, int p) {
  const int q = 64 - p;
  assert(counts.size() == static_cast<size_t>(q + 2));
  const double m = std::ldexp(1.0, p);
  const double empty = counts[0];
  if (empty == m) return 0.0;
  if (empty > 0) {
    const double lc = m * std::log(m / empty);
    if (lc <= kLinearCountingThreshold[p - kMinPrecision]) return lc;
  }
  double z = m * Tau(1.0 - counts[static_cast<size_t>(q + 1)] / m);
  for (int k = q; k >= 1; --k) z = 0.5 * (z + counts[static_cast<size_t>(k)]);
  z += m * Sigma(empty / m);
  const double alpha_inf = 1.0 / (2.0 * std::log(2.0));
  return alpha_inf * m * m / z;
}

}  // namespace reach::analytics
