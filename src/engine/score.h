// Influence score v2: the seed's four factors — reshares received, likes received, followers and
// cascade depth — plus PageRank on the engagement graph and the unique engaged audience, each
// percentile-normalised within a window, then combined by configurable weights.
//
//   component(x) = 0                                   when x = 0 (no evidence of the factor)
//                = (below(x) + (ties(x) - 1) / 2) / (n - 1)   otherwise (1 when n = 1)
//   score        = 100 * sum(w_i * component_i) / sum(w_i)
//
// where n is the number of accounts active in the window, below(x) how many of them have less of
// the factor and ties(x) how many have exactly x (the account included): the account's rank among
// the active accounts, ties averaged, scaled to [0, 1]. Percentiles make the factors comparable
// whatever their scale and tails (a 50M-follower account does not flatten the rest), and a score
// reads as "better than this share of today's active accounts". docs/metrics.md gives the
// rationale, the sources and what each input counts.
//
// Pure functions; thread-safe. Cost: O(n log n) for n users in the window.
#ifndef REACH_ENGINE_SCORE_H_
#define REACH_ENGINE_SCORE_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/snapshot.h"

namespace reach::engine {

// Weights must be finite, non-negative, and not all zero.
absl::Status ValidateWeights(const ScoreWeights& w);

// Fills components, score and rank of every row, and sorts rows by score (descending), ties by more
// reshares, then by user id. Rows must have metrics, followers (0 when unknown) and pagerank set.
void ScoreAndRank(const ScoreWeights& weights, std::vector<InfluencerRow>& rows);

// The rank-based percentile above for each value (in the input order).
std::vector<double> Percentiles(const std::vector<double>& values);

// One factor of a row's score, for the API: its name, normalised value, raw input and weight.
struct ScoreFactor {
  std::string_view name;  // "reshares", "likes", "followers", "depth", "pagerank", "audience"
  double value = 0;       // the component, 0..1
  double raw = 0;         // the input (followers: -1 when unknown)
  double weight = 0;
};

inline constexpr int kScoreFactors = 6;

// The six factors of a scored row, in the order above.
std::array<ScoreFactor, kScoreFactors> ScoreFactors(const InfluencerRow& row,
                                                    const ScoreWeights& weights);

// A one-line explanation of a factor in a window, e.g.
// "120 reshares in the last 24h, more than 83% of active accounts".
std::string ExplainFactor(const ScoreFactor& factor, Window window);

}  // namespace reach::engine

#endif  // REACH_ENGINE_SCORE_H_
