// Influence score v1: the seed's four factors — reshares received, likes received, followers and
// cascade depth — each normalised to [0, 1] within a window, then combined by configurable weights.
//
//   component(x) = log(1 + x) / log(1 + max over the window's users of x)   (0 when that max is 0)
//   score        = 100 * sum(w_i * component_i) / sum(w_i)
//
// The log damps the heavy tails of social counts (one viral account must not flatten everyone else
// to zero) while keeping the order within each factor; dividing by the window's maximum makes the
// factors comparable and the score independent of the window's size. docs/metrics.md gives the
// rationale and what each input counts.
//
// Pure functions; thread-safe. Cost: O(n log n) for n users in the window.
#ifndef REACH_ENGINE_SCORE_H_
#define REACH_ENGINE_SCORE_H_

#include <vector>

#include "common/status.h"
#include "engine/snapshot.h"

namespace reach::engine {

// Weights must be finite, non-negative, and not all zero.
absl::Status ValidateWeights(const ScoreWeights& w);

// Fills components, score and rank of every row, and sorts rows by score (descending), ties by more
// reshares, then by user id. Rows must have metrics and followers set.
void ScoreAndRank(const ScoreWeights& weights, std::vector<InfluencerRow>& rows);

}  // namespace reach::engine

#endif  // REACH_ENGINE_SCORE_H_
