#include "engine/score.h"

#include <algorithm>
#include <cmath>

namespace reach::engine {
namespace {

double Normalise(double x, double log_max) {
  if (log_max <= 0 || x <= 0) return 0;
  return std::log1p(x) / log_max;
}

}  // namespace

absl::Status ValidateWeights(const ScoreWeights& w) {
  for (double v : {w.reshares, w.likes, w.followers, w.depth}) {
    if (!std::isfinite(v) || v < 0) {
      return absl::InvalidArgumentError("score weights must be finite and non-negative");
    }
  }
  if (w.reshares + w.likes + w.followers + w.depth <= 0) {
    return absl::InvalidArgumentError("at least one score weight must be positive");
  }
  return absl::OkStatus();
}

void ScoreAndRank(const ScoreWeights& weights, std::vector<InfluencerRow>& rows) {
  double max_reshares = 0, max_likes = 0, max_followers = 0, max_depth = 0;
  for (const InfluencerRow& r : rows) {
    max_reshares = std::max(max_reshares, static_cast<double>(r.metrics.reshares));
    max_likes = std::max(max_likes, static_cast<double>(r.metrics.likes));
    max_followers = std::max(max_followers, static_cast<double>(r.followers));
    max_depth = std::max(max_depth, static_cast<double>(r.metrics.depth));
  }
  const double l_reshares = std::log1p(max_reshares);
  const double l_likes = std::log1p(max_likes);
  const double l_followers = std::log1p(max_followers);
  const double l_depth = std::log1p(max_depth);
  const double total_weight = weights.reshares + weights.likes + weights.followers + weights.depth;

  for (InfluencerRow& r : rows) {
    ScoreComponents& c = r.components;
    c.reshares = Normalise(static_cast<double>(r.metrics.reshares), l_reshares);
    c.likes = Normalise(static_cast<double>(r.metrics.likes), l_likes);
    c.followers = Normalise(static_cast<double>(r.followers), l_followers);
    c.depth = Normalise(static_cast<double>(r.metrics.depth), l_depth);
    double weighted = weights.reshares * c.reshares + weights.likes * c.likes +
                      weights.followers * c.followers + weights.depth * c.depth;
    r.score = total_weight > 0 ? 100.0 * weighted / total_weight : 0;
  }
  std::sort(rows.begin(), rows.end(), [](const InfluencerRow& a, const InfluencerRow& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.metrics.reshares != b.metrics.reshares) return a.metrics.reshares > b.metrics.reshares;
    return a.user < b.user;
  });
  for (size_t i = 0; i < rows.size(); ++i) rows[i].rank = static_cast<int64_t>(i) + 1;
}

}  // namespace reach::engine
