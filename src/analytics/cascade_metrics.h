// Cascade metrics: the shape and growth of one reshare tree.
//
// A tree is given as parent indices in any order where a parent comes before its children (adoption
// order does): parent[0] == -1 is the root, 0 <= parent[i] < i for every other node. Times are
// adoption times in microseconds (any epoch); they need not be sorted.
//
//   size                 nodes, the root included
//   depth                the longest root-to-node path, in edges (0 for a lone root)
//   max_breadth          the node count of the widest depth level (the root's level counts)
//   structural_virality  the mean shortest-path distance over all unordered node pairs (Goel,
//                        Anderson, Hofman, Watts, "The Structural Virality of Online Diffusion",
//                        Management Science 62(1), 2016). Computed in O(n) from the Wiener index:
//                        every edge lies on the paths of s·(n−s) pairs, s being the size of the
//                        subtree below it, so W = Σ s·(n−s) and the mean is W / (n(n−1)/2).
//                        0 for a lone root.
//   t50, t90             how long after the root the cascade first had ceil(q·size) nodes
//                        (q = 0.5, 0.9), nodes counted in time order; a node timed before the root
//                        counts as at the root's time
//
// Pure functions; any thread. Cost O(n) time and memory, plus O(n log n) for the growth times.
#ifndef REACH_ANALYTICS_CASCADE_METRICS_H_
#define REACH_ANALYTICS_CASCADE_METRICS_H_

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"

namespace reach::analytics {

struct CascadeMetrics {
  int64_t size = 0;
  int32_t depth = 0;
  int64_t max_breadth = 0;
  double structural_virality = 0;
  double wiener_index = 0;  // sum of distances over unordered pairs
  int64_t t50_micros = 0;
  int64_t t90_micros = 0;
  std::vector<int32_t> node_depth;  // per node
};

// InvalidArgument when the tree is empty, the sizes differ or a parent index is not earlier than
// its child.
absl::StatusOr<CascadeMetrics> ComputeCascadeMetrics(std::span<const int32_t> parent,
                                                     std::span<const int64_t> time_micros);

// The time (relative to times[0], clamped at 0) at which ceil(q·n) of the n nodes had adopted.
int64_t TimeToFraction(std::span<const int64_t> time_micros, double q);

}  // namespace reach::analytics

#endif  // REACH_ANALYTICS_CASCADE_METRICS_H_
