#include "sim/random.h"

#include <cassert>
#include <cmath>

namespace reach::sim {

AliasTable::AliasTable(std::span<const double> weights) {
  const size_t n = weights.size();
  threshold_.assign(n, 0);
  alias_.assign(n, 0);
  if (n == 0) return;
  double sum = 0;
  for (double w : weights) {
    assert(std::isfinite(w) && w >= 0);
    sum += w;
  }
  assert(sum > 0);
  // Vose's method: scaled probabilities, split into those below and above the mean.
  std::vector<double> scaled(n);
  std::vector<uint32_t> small;
  std::vector<uint32_t> large;
  for (size_t i = 0; i < n; ++i) {
    scaled[i] = weights[i] * static_cast<double>(n) / sum;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  constexpr double kScale = 4294967296.0;  // 2^32
  auto set = [&](uint32_t i, double p, uint32_t alias) {
    const double t = std::floor(p * kScale);
    threshold_[i] = t >= kScale - 1 ? 0xffffffffu : static_cast<uint32_t>(t);
    alias_[i] = p >= 1.0 ? i : alias;
  };
  while (!small.empty() && !large.empty()) {
    const uint32_t s = small.back();
    small.pop_back();
    const uint32_t l = large.back();
    set(s, scaled[s], l);
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What is left has probability 1 up to rounding.
  for (uint32_t i : large) set(i, 1.0, i);
  for (uint32_t i : small) set(i, 1.0, i);
}

}  // namespace reach::sim
