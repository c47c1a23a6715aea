#include "analytics/cascade_metrics.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace reach::analytics {

int64_t TimeToFraction(std::span<const int64_t> time_micros, double q) {
  const size_t n = time_micros.size();
  if (n == 0) return 0;
  const int64_t start = time_micros[0];
  std::vector<int64_t> t(time_micros.begin(), time_micros.end());
  for (int64_t& x : t) x = std::max<int64_t>(0, x - start);
  size_t k = static_cast<size_t>(std::ceil(q * static_cast<double>(n)));
  k = std::clamp<size_t>(k, 1, n);
  std::nth_element(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(k - 1), t.end());
  return t[k - 1];
}

absl::StatusOr<CascadeMetrics> ComputeCascadeMetrics(std::span<const int32_t> parent,
                                                     std::span<const int64_t> time_micros) {
  const size_t n = parent.size();
  if (n == 0) return absl::InvalidArgumentError("a cascade has at least its root");
  if (time_micros.size() != n) {
    return absl::InvalidArgumentError(
        fmt::format("{} parents but {} times", n, time_micros.size()));
  }
  if (parent[0] != -1) return absl::InvalidArgumentError("node 0 must be the root (parent -1)");
  CascadeMetrics m;
  m.size = static_cast<int64_t>(n);
  m.node_depth.assign(n, 0);
  std::vector<int64_t> level_counts{1};
  for (size_t i = 1; i < n; ++i) {
    const int32_t p = parent[i];
    if (p < 0 || static_cast<size_t>(p) >= i) {
      return absl::InvalidArgumentError(
          fmt::format("node {} has parent {}: parents must come before their children", i, p));
    }
    const int32_t d = m.node_depth[static_cast<size_t>(p)] + 1;
    m.node_depth[i] = d;
    if (level_counts.size() <= static_cast<size_t>(d)) level_counts.resize(d + 1, 0);
    ++level_counts[static_cast<size_t>(d)];
  }
  m.depth = static_cast<int32_t>(level_counts.size()) - 1;
  m.max_breadth = *std::max_element(level_counts.begin(), level_counts.end());
  // Subtree sizes bottom-up (children come after parents), then the Wiener index.
  std::vector<int64_t> below(n, 1);
  const double nn = static_cast<double>(n);
  double wiener = 0;
  for (size_t i = n - 1; i >= 1; --i) {
    const double s = static_cast<double>(below[i]);
    wiener += s * (nn - s);
    below[static_cast<size_t>(parent[i])] += below[i];
  }
  m.wiener_index = wiener;
  m.structural_virality = n > 1 ? wiener / (nn * (nn - 1) / 2) : 0.0;
  m.t50_micros = TimeToFraction(time_micros, 0.5);
  m.t90_micros = TimeToFraction(time_micros, 0.9);
  return m;
}

}  // namespace reach::analytics
