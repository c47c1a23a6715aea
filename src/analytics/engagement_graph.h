// EngagementGraph: the weighted, directed engagement graph (engager -> author) that PageRank and
// Louvain run on, kept up to date edge by edge, and CsrGraph, its immutable compressed-sparse-row
// snapshot that the algorithms read.
//
//   EngagementGraph graph({.record_changes = true});
//   REACH_RETURN_IF_ERROR(graph.AddEdge(fan, author, 1.0));      // a reshare: weight += 1
//   REACH_RETURN_IF_ERROR(graph.DecrementEdge(fan, author, 1.0));  // its deletion
//   CsrGraph csr = graph.BuildCsr();                              // snapshot for the algorithms
//   std::vector<EdgeChange> changes = graph.TakeChanges();       // for PageRank::Update
//
// Nodes are dense uint32 indices (see NodeIndex). Repeated engagements between the same pair add up
// to one edge whose weight is the sum; an edge whose weight falls to kMinWeight or below is
// removed. Weights are stored as float (exact for counts up to 2^24).
//
// Thread safety: EngagementGraph has none (one writer). A CsrGraph is immutable after it is built
// and may be shared by any number of readers.
// Errors: InvalidArgument for non-finite or non-positive weights and for node indices >= 2^32 - 1;
// NotFound when decrementing or removing an edge that does not exist.
// Cost: AddEdge / DecrementEdge / RemoveEdge O(1) expected. BuildCsr O(n + m) (two counting sorts,
// rows sorted by neighbour). Steady state memory: about 19-37 bytes per edge in the hash table
// (load factor 7/16 .. 7/8) plus 16 bytes per recorded change; a CsrGraph takes 16 bytes per edge
// plus 16 bytes per node.
#ifndef REACH_ANALYTICS_ENGAGEMENT_GRAPH_H_
#define REACH_ANALYTICS_ENGAGEMENT_GRAPH_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/status.h"

namespace reach::analytics {

// One directed, weighted edge.
struct WeightedEdge {
  uint32_t from = 0;
  uint32_t to = 0;
  float weight = 1.0f;
};

// A change of one edge's weight: delta = new weight - old weight (an edge that does not exist has
// weight 0). PageRank::Update uses these to touch only the affected part of the graph.
struct EdgeChange {
  uint32_t from = 0;
  uint32_t to = 0;
  double delta = 0.0;
};

// Immutable CSR snapshot with both out- and in-adjacency. Rows are sorted by neighbour and hold no
// duplicate neighbours; self-loops are kept as ordinary edges.
struct CsrGraph {
  uint32_t num_nodes = 0;
  std::vector<uint32_t> out_offsets;  // num_nodes + 1; row u is [out_offsets[u], out_offsets[u+1])
  std::vector<uint32_t> out_targets;
  std::vector<float> out_weights;
  std::vector<uint32_t> in_offsets;  // num_nodes + 1
  std::vector<uint32_t> in_sources;
  std::vector<float> in_weights;
  std::vector<double> out_strength;  // sum of out-edge weights per node (0 for dangling nodes)

  [[nodiscard]] size_t num_edges() const { return out_targets.size(); }
  [[nodiscard]] uint32_t OutDegree(uint32_t u) const { return out_offsets[u + 1] - out_offsets[u]; }
  [[nodiscard]] uint32_t InDegree(uint32_t v) const { return in_offsets[v + 1] - in_offsets[v]; }
  // Heap bytes held by the snapshot.
  [[nodiscard]] size_t BytesUsed() const;

  // Builds a snapshot from an edge list, summing the weights of repeated (from, to) pairs.
  // InvalidArgument if an endpoint is >= num_nodes or a weight is not finite and positive.
  [[nodiscard]] static absl::StatusOr<CsrGraph> FromEdges(uint32_t num_nodes,
                                                          std::span<const WeightedEdge> edges);
};

class EngagementGraph {
 public:
  // Weights at or below this are treated as zero and the edge is removed.
  static constexpr double kMinWeight = 1e-6;

  struct Options {
    // Record every weight change for TakeChanges (needed for PageRank::Update with changes).
    bool record_changes = false;
  };

  EngagementGraph() = default;
  explicit EngagementGraph(Options options) : options_(options) {}

  // Adds `weight` (> 0, finite) to edge from -> to, creating the edge and nodes if needed.
  [[nodiscard]] absl::Status AddEdge(uint32_t from, uint32_t to, double weight = 1.0);
  // Subtracts `weight` (> 0, finite) from edge from -> to (e.g. a deleted reshare); the edge is
  // removed when its weight reaches kMinWeight or less. NotFound if the edge does not exist.
  [[nodiscard]] absl::Status DecrementEdge(uint32_t from, uint32_t to, double weight = 1.0);
  // Removes edge from -> to whatever its weight. NotFound if it does not exist.
  [[nodiscard]] absl::Status RemoveEdge(uint32_t from, uint32_t to);
  // Makes nodes 0..num_nodes-1 exist (isolated nodes count in PageRank's n).
  [[nodiscard]] absl::Status EnsureNodes(uint32_t num_nodes);

  // Current weight of from -> to, 0 if absent.
  [[nodiscard]] double Weight(uint32_t from, uint32_t to) const;
  [[nodiscard]] uint32_t num_nodes() const { return num_nodes_; }
  [[nodiscard]] size_t num_edges() const { return weights_.size(); }

  // Snapshot of the current graph. O(n + m).
  [[nodiscard]] CsrGraph BuildCsr() const;
  // Returns the changes recorded since the previous call (in order) and clears them. Empty unless
  // Options::record_changes.
  [[nodiscard]] std::vector<EdgeChange> TakeChanges();

  // Heap bytes held by the graph (hash table and change log).
  [[nodiscard]] size_t BytesUsed() const;

 private:
  static uint64_t Key(uint32_t from, uint32_t to) { return (uint64_t{from} << 32) | to; }
  absl::Status CheckNodes(uint32_t from, uint32_t to);
  void Record(uint32_t from, uint32_t to, double old_weight, double new_weight);

  Options options_;
  uint32_t num_nodes_ = 0;
  absl::flat_hash_map<uint64_t, float> weights_;  // key: from << 32 | to
  std::vector<EdgeChange> changes_;
};

}  // namespace reach::analytics

#endif  // REACH_ANALYTICS_ENGAGEMENT_GRAPH_H_
