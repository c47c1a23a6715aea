// PageRank: influence scores on the weighted engagement graph (engager -> author), computed from
// scratch by Run and kept up to date by Update after the graph changes.
//
//   PageRank pagerank;                          // damping 0.85, L1 tolerance 1e-9
//   REACH_RETURN_IF_ERROR(pagerank.Run(csr));   // from scratch
//   ... graph.AddEdge(...) ...
//   REACH_RETURN_IF_ERROR(pagerank.Update(graph.BuildCsr(), graph.TakeChanges()));
//   double score = pagerank.Score(node);       // scores sum to 1
//
// Definition (Page, Brin, Motwani, Winograd 1999, "The PageRank citation ranking: bringing order to
// the web"), identical to igraph's Graph.pagerank(weights=..., directed=True) (PRPACK): a walker
// at u follows out-edge u -> v with probability w(u,v) / W(u), W(u) = sum of u's out-weights
// (self-loops and summed repeated edges included); with probability 1 - d (d = 0.85) it jumps to
// a uniformly chosen node; a dangling node (W(u) = 0) always jumps uniformly. The score vector x is
// the stationary distribution. Equivalently (Del Corso, Gulli, Romani 2005; Langville and Meyer
// 2006) x = y / sum(y) where y solves the linear system y = 1 + d P^T y, P holding the
// transition probabilities of non-dangling nodes only: the dangling and teleport mass are both
// uniform, so they only scale y. The class works on y internally.
//
// Methods for Run:
//  - kSccGaussSeidel (default): Gauss-Seidel on the linear system over the strongly connected
//    components in topological order (as PRPACK's "sccgs" solver, Gleich et al.), so nodes outside
//    cycles are exact after one visit; then a residual push (below) brings the error under the
//    tolerance.
//  - kPowerIteration: pull-based power iteration over in-edges with precomputed 1 / W(u), float64,
//    no allocation per iteration, stopping when the L1 change < tolerance * (1 - d) / d.
// Update is a residual-based push (Andersen, Chung, Lang 2006 forward push; on dynamic graphs
// Zhang, Lofgren, Goel 2016, "Approximate personalized PageRank on dynamic graphs"): the class
// keeps the residual r = 1 + d P^T y - y; an edge change alters r only at the out-neighbours of
// its source, and pushing node u (y_u += r_u, r_v += d w(u,v)/W(u) r_u for each out-edge, r_u = 0)
// keeps the invariant while shrinking the residual. Update(graph, changes) touches only what the
// changes reach; Update(graph) recomputes the whole residual from the previous vector (warm start)
// and needs no change list. New nodes start at y = 0 (their residual is 1).
//
// Accuracy: Run (kSccGaussSeidel) and Update push until |r|_1 <= tolerance * (1 - d) * n / 2
// (or every |r_v| <= tolerance * (1 - d) / 2), which bounds the L1 error of Scores() against the
// exact vector by `tolerance`, since |y - y*|_1 <= |r|_1 / (1 - d), sum(y*) >= n and
// |y / sum(y) - y* / sum(y*)|_1 <= 2 |y - y*|_1 / sum(y*). Rounding adds about 1e-13.
//
// Thread safety: none; a PageRank is used by one thread. Run and Update read the CsrGraph only.
// Ownership: keeps its own vectors (y, residual, scratch), nothing borrowed after a call returns.
// Errors: InvalidArgument for bad options, a graph with fewer nodes than the previous one, or a
// change naming a node outside the graph; FailedPrecondition for Update before Run.
// Cost: Run O((n + m) x sweeps) in large components, O(n + m) elsewhere, plus Tarjan's O(n + m).
// Update(graph, changes) O(sum of out-degrees of changed sources + pushes x out-degree); the
// number of pushes is at most |r|_1 / ((1 - d) eps). Memory: about 40 bytes per node between
// calls, about 70 during Run. Higgs retweet graph (256k nodes, 328k edges), 2.6 GHz: Run 25 ms,
// Update after 1,000 new edges 2.8 ms (docs/benchmarks.md).
#ifndef REACH_ANALYTICS_PAGERANK_H_
#define REACH_ANALYTICS_PAGERANK_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "analytics/engagement_graph.h"
#include "common/status.h"

namespace reach::analytics {

struct PageRankOptions {
  enum class Method { kSccGaussSeidel, kPowerIteration };

  double damping = 0.85;    // in (0, 1)
  double tolerance = 1e-9;  // bound on the L1 error of Scores(); > 0
  Method method = Method::kSccGaussSeidel;
  uint32_t max_iterations = 100000;  // power iterations, or Gauss-Seidel sweeps per component
};

class PageRank {
 public:
  // What the last Run / Update did (for tests and benchmarks).
  struct Stats {
    uint64_t iterations = 0;   // power iterations or Gauss-Seidel sweeps
    uint64_t pushes = 0;       // residual pushes
    uint64_t edge_visits = 0;  // edges read
    uint32_t components = 0;   // strongly connected components (kSccGaussSeidel Run)
    uint32_t largest_component = 0;
  };

  explicit PageRank(PageRankOptions options = {}) : options_(options) {}

  // Computes the scores of `graph` from scratch.
  [[nodiscard]] absl::Status Run(const CsrGraph& graph);
  // Brings the scores up to date with `graph`, which must differ from the graph of the previous
  // Run or Update by exactly `changes` (as returned by EngagementGraph::TakeChanges; repeated pairs
  // are summed). Touches only what the changes reach. A change list that does not match the graphs
  // is not detected and leaves the scores inexact; Update(graph) needs no list.
  [[nodiscard]] absl::Status Update(const CsrGraph& graph, std::span<const EdgeChange> changes);
  // Brings the scores up to date with `graph` warm-started from the previous vector, without a
  // change list: O(n + m) for the residual, then pushes.
  [[nodiscard]] absl::Status Update(const CsrGraph& graph);

  // Score of `node` (node < num_nodes()); the scores sum to 1.
  [[nodiscard]] double Score(uint32_t node) const { return y_[node] / sum_y_; }
  // All scores, summing to 1. O(n).
  [[nodiscard]] std::vector<double> Scores() const;
  [[nodiscard]] uint32_t num_nodes() const { return static_cast<uint32_t>(y_.size()); }
  [[nodiscard]] const Stats& last_stats() const { return stats_; }
  [[nodiscard]] const PageRankOptions& options() const { return options_; }

 private:
  absl::Status CheckOptions() const;
  // Per-node push threshold and the total residual that guarantees the tolerance (see Accuracy).
  double PushThreshold() const { return options_.tolerance * (1.0 - options_.damping) / 2.0; }
  double ResidualTarget() const { return PushThreshold() * static_cast<double>(y_.size()); }
  void AddResidual(uint32_t v, double amount, double eps);
  void Grow(uint32_t n);
  void ComputeInverseOutStrength(const CsrGraph& graph);
  void ComputeComponents(const CsrGraph& graph);
  void RunSccGaussSeidel(const CsrGraph& graph);
  void RunPowerIteration(const CsrGraph& graph);
  // r = 1 + d P^T y - y for every node; queues nodes above the push threshold.
  void ComputeResidual(const CsrGraph& graph);
  void Enqueue(uint32_t v);
  void Push(const CsrGraph& graph);
  void RecomputeSum();

  PageRankOptions options_;
  Stats stats_;
  bool has_run_ = false;
  std::vector<double> y_;         // unnormalised solution of y = 1 + d P^T y
  std::vector<double> residual_;  // 1 + d P^T y - y
  double residual_l1_ = 0.0;      // sum of |residual_|, kept up to date
  double sum_y_ = 0.0;

  // Scratch, reused between calls.
  std::vector<double> inv_out_;  // 1 / W(u), 0 for dangling nodes
  std::vector<double> next_;     // power iteration
  std::vector<uint8_t> queued_;
  std::vector<uint32_t> queue_, next_queue_;
  std::vector<EdgeChange> sorted_changes_;
  std::vector<uint32_t> tarjan_index_, tarjan_low_, tarjan_stack_, component_nodes_,
      component_offsets_;
  std::vector<uint8_t> on_stack_;
  std::vector<std::pair<uint32_t, uint32_t>> call_stack_;
};

}  // namespace reach::analytics

#endif  // REACH_ANALYTICS_PAGERANK_H_
