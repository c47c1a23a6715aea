#include "engine/score.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

namespace reach::engine {
namespace {

std::array<double, kScoreFactors> WeightArray(const ScoreWeights& w) {
  return {w.reshares, w.likes, w.followers, w.depth, w.pagerank, w.audience};
}

std::array<double, kScoreFactors> RawValues(const InfluencerRow& r) {
  return {static_cast<double>(r.metrics.reshares),
          static_cast<double>(r.metrics.likes),
          static_cast<double>(r.followers),
          static_cast<double>(r.metrics.depth),
          r.pagerank,
          static_cast<double>(r.metrics.audience)};
}

constexpr std::array<std::string_view, kScoreFactors> kNames = {"reshares", "likes",    "followers",
                                                                "depth",    "pagerank", "audience"};

std::string During(Window w) {
  return w == Window::kAll ? std::string("over all time")
                           : fmt::format("in the last {}", WindowName(w));
}

}  // namespace

absl::Status ValidateWeights(const ScoreWeights& w) {
  const auto weights = WeightArray(w);
  for (double v : weights) {
    if (!std::isfinite(v) || v < 0) {
      return absl::InvalidArgumentError("score weights must be finite and non-negative");
    }
  }
  if (std::accumulate(weights.begin(), weights.end(), 0.0) <= 0) {
    return absl::InvalidArgumentError("at least one score weight must be positive");
  }
  return absl::OkStatus();
}

std::vector<double> Percentiles(const std::vector<double>& values) {
  const size_t n = values.size();
  std::vector<double> out(n, 0.0);
  if (n == 0) return out;
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && values[order[j]] == values[order[i]]) ++j;
    // Positions i .. j-1 hold equal values: `i` accounts below, `j - i` tied.
    const double x = values[order[i]];
    double p = 0;
    if (x > 0) {
      p = n == 1 ? 1.0
                 : (static_cast<double>(i) + static_cast<double>(j - i - 1) / 2.0) /
                       static_cast<double>(n - 1);
    }
    for (size_t k = i; k < j; ++k) out[order[k]] = p;
    i = j;
  }
  return out;
}

void ScoreAndRank(const ScoreWeights& weights, std::vector<InfluencerRow>& rows) {
  const auto w = WeightArray(weights);
  const double total_weight = std::accumulate(w.begin(), w.end(), 0.0);
  std::array<std::vector<double>, kScoreFactors> components;
  for (int f = 0; f < kScoreFactors; ++f) {
    std::vector<double> raw(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) raw[i] = RawValues(rows[i])[static_cast<size_t>(f)];
    components[static_cast<size_t>(f)] = Percentiles(raw);
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    ScoreComponents& c = rows[i].components;
    c.reshares = components[0][i];
    c.likes = components[1][i];
    c.followers = components[2][i];
    c.depth = components[3][i];
    c.pagerank = components[4][i];
    c.audience = components[5][i];
    double weighted = 0;
    for (int f = 0; f < kScoreFactors; ++f) {
      weighted += w[static_cast<size_t>(f)] * components[static_cast<size_t>(f)][i];
    }
    rows[i].score = total_weight > 0 ? 100.0 * weighted / total_weight : 0;
  }
  std::sort(rows.begin(), rows.end(), [](const InfluencerRow& a, const InfluencerRow& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.metrics.reshares != b.metrics.reshares) return a.metrics.reshares > b.metrics.reshares;
    return a.user < b.user;
  });
  for (size_t i = 0; i < rows.size(); ++i) rows[i].rank = static_cast<int64_t>(i) + 1;
}

std::array<ScoreFactor, kScoreFactors> ScoreFactors(const InfluencerRow& row,
                                                    const ScoreWeights& weights) {
  const auto w = WeightArray(weights);
  const auto raw = RawValues(row);
  const ScoreComponents& c = row.components;
  const std::array<double, kScoreFactors> value = {c.reshares, c.likes,    c.followers,
                                                   c.depth,    c.pagerank, c.audience};
  std::array<ScoreFactor, kScoreFactors> out;
  for (size_t f = 0; f < out.size(); ++f) out[f] = ScoreFactor{kNames[f], value[f], raw[f], w[f]};
  return out;
}

std::string ExplainFactor(const ScoreFactor& f, Window window) {
  // Rounded down, so that "more than" stays true; the top of a factor says so.
  const int pct = static_cast<int>(std::floor(f.value * 100 + 1e-9));
  const bool top = f.value >= 1.0;
  const std::string rank = top ? std::string("the most of any active account")
                               : fmt::format("more than {}% of active accounts", pct);
  const auto n = static_cast<int64_t>(std::llround(f.raw));
  if (f.name == "reshares") {
    if (n <= 0) return fmt::format("no reshares {}", During(window));
    return fmt::format("{} reshare{} {}, {}", n, n == 1 ? "" : "s", During(window), rank);
  }
  if (f.name == "likes") {
    if (n <= 0) return fmt::format("no likes {}", During(window));
    return fmt::format("{} like{} {}, {}", n, n == 1 ? "" : "s", During(window), rank);
  }
  if (f.name == "followers") {
    if (n < 0) return "follower count unknown";
    if (n == 0) return "no followers";
    return fmt::format("{} followers (latest count), {}", n, rank);
  }
  if (f.name == "depth") {
    if (n <= 0) return fmt::format("no reshares or quotes in its cascades {}", During(window));
    return fmt::format("its cascades reached depth {} {}, {}", n, During(window),
                       top ? std::string("the deepest of any active account")
                           : fmt::format("deeper than {}% of active accounts", pct));
  }
  if (f.name == "pagerank") {
    if (f.raw <= 0) return "not yet ranked in the engagement graph";
    return fmt::format("PageRank {:.2f}x the average account's, {}", f.raw,
                       top ? std::string("the highest of any active account")
                           : fmt::format("higher than {}% of active accounts", pct));
  }
  if (f.name == "audience") {
    if (n <= 0) return fmt::format("no one engaged {}", During(window));
    return fmt::format("about {} distinct account{} engaged {}, {}", n, n == 1 ? "" : "s",
                       During(window), rank);
  }
  return std::string();
}

}  // namespace reach::engine
