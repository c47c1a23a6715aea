#include "analytics/engagement_graph.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace reach::analytics {
namespace {

constexpr uint32_t kMaxNodes = std::numeric_limits<uint32_t>::max();

absl::Status CheckWeight(double weight) {
  if (!std::isfinite(weight) || weight <= 0.0) {
    return absl::InvalidArgumentError("edge weight must be finite and positive");
  }
  return absl::OkStatus();
}

// Builds both adjacencies from valid edges (endpoints < n). Two stable counting sorts (by target,
// then by source) give rows sorted by target; repeated pairs are then adjacent and are merged.
CsrGraph BuildFromEdges(uint32_t n, std::span<const WeightedEdge> edges) {
  CsrGraph g;
  g.num_nodes = n;
  const size_t m = edges.size();

  std::vector<uint32_t> pos(size_t{n} + 1, 0);
  for (const WeightedEdge& e : edges) ++pos[e.to + 1];
  for (uint32_t v = 0; v < n; ++v) pos[v + 1] += pos[v];
  std::vector<WeightedEdge> by_target(m);
  for (const WeightedEdge& e : edges) by_target[pos[e.to]++] = e;

  g.out_offsets.assign(size_t{n} + 1, 0);
  for (const WeightedEdge& e : by_target) ++g.out_offsets[e.from + 1];
  for (uint32_t u = 0; u < n; ++u) g.out_offsets[u + 1] += g.out_offsets[u];
  g.out_targets.resize(m);
  g.out_weights.resize(m);
  pos.assign(g.out_offsets.begin(), g.out_offsets.end() - 1);
  for (const WeightedEdge& e : by_target) {
    const uint32_t i = pos[e.from]++;
    g.out_targets[i] = e.to;
    g.out_weights[i] = e.weight;
  }
  by_target = {};

  // Merge repeated targets within each row, compacting in place.
  uint32_t write = 0;
  uint32_t read = 0;
  for (uint32_t u = 0; u < n; ++u) {
    const uint32_t end = g.out_offsets[u + 1];
    const uint32_t row_start = write;
    for (; read < end; ++read) {
      if (write > row_start && g.out_targets[write - 1] == g.out_targets[read]) {
        g.out_weights[write - 1] += g.out_weights[read];
      } else {
        g.out_targets[write] = g.out_targets[read];
        g.out_weights[write] = g.out_weights[read];
        ++write;
      }
    }
    g.out_offsets[u + 1] = write;
  }
  g.out_targets.resize(write);
  g.out_targets.shrink_to_fit();
  g.out_weights.resize(write);
  g.out_weights.shrink_to_fit();

  g.out_strength.assign(n, 0.0);
  g.in_offsets.assign(size_t{n} + 1, 0);
  for (uint32_t u = 0; u < n; ++u) {
    double sum = 0.0;
    for (uint32_t i = g.out_offsets[u]; i < g.out_offsets[u + 1]; ++i) {
      sum += g.out_weights[i];
      ++g.in_offsets[g.out_targets[i] + 1];
    }
    g.out_strength[u] = sum;
  }
  for (uint32_t v = 0; v < n; ++v) g.in_offsets[v + 1] += g.in_offsets[v];
  g.in_sources.resize(write);
  g.in_weights.resize(write);
  pos.assign(g.in_offsets.begin(), g.in_offsets.end() - 1);
  for (uint32_t u = 0; u < n; ++u) {  // ascending u, so in-rows come out sorted by source
    for (uint32_t i = g.out_offsets[u]; i < g.out_offsets[u + 1]; ++i) {
      const uint32_t j = pos[g.out_targets[i]]++;
      g.in_sources[j] = u;
      g.in_weights[j] = g.out_weights[i];
    }
  }
  return g;
}

}  // namespace

size_t CsrGraph::BytesUsed() const {
  return (out_offsets.capacity() + out_targets.capacity() + in_offsets.capacity() +
          in_sources.capacity()) *
             sizeof(uint32_t) +
         (out_weights.capacity() + in_weights.capacity()) * sizeof(float) +
         out_strength.capacity() * sizeof(double);
}

absl::StatusOr<CsrGraph> CsrGraph::FromEdges(uint32_t num_nodes,
                                             std::span<const WeightedEdge> edges) {
  if (edges.size() >= kMaxNodes) return absl::InvalidArgumentError("too many edges for CsrGraph");
  for (const WeightedEdge& e : edges) {
    if (e.from >= num_nodes || e.to >= num_nodes) {
      return absl::InvalidArgumentError("edge endpoint out of range");
    }
    REACH_RETURN_IF_ERROR(CheckWeight(e.weight));
  }
  return BuildFromEdges(num_nodes, edges);
}

absl::Status EngagementGraph::CheckNodes(uint32_t from, uint32_t to) {
  if (from == kMaxNodes || to == kMaxNodes) {
    return absl::InvalidArgumentError("node index 2^32 - 1 is reserved");
  }
  num_nodes_ = std::max({num_nodes_, from + 1, to + 1});
  return absl::OkStatus();
}

void EngagementGraph::Record(uint32_t from, uint32_t to, double old_weight, double new_weight) {
  if (options_.record_changes && new_weight != old_weight) {
    changes_.push_back(EdgeChange{from, to, new_weight - old_weight});
  }
}

absl::Status EngagementGraph::AddEdge(uint32_t from, uint32_t to, double weight) {
  REACH_RETURN_IF_ERROR(CheckWeight(weight));
  REACH_RETURN_IF_ERROR(CheckNodes(from, to));
  auto [it, inserted] = weights_.try_emplace(Key(from, to), 0.0f);
  const float old_weight = it->second;
  it->second = static_cast<float>(old_weight + weight);
  Record(from, to, old_weight, it->second);
  return absl::OkStatus();
}

absl::Status EngagementGraph::DecrementEdge(uint32_t from, uint32_t to, double weight) {
  REACH_RETURN_IF_ERROR(CheckWeight(weight));
  auto it = weights_.find(Key(from, to));
  if (it == weights_.end()) return absl::NotFoundError("DecrementEdge: no such edge");
  const float old_weight = it->second;
  const double remaining = old_weight - weight;
  if (remaining <= kMinWeight) {
    weights_.erase(it);
    Record(from, to, old_weight, 0.0);
  } else {
    it->second = static_cast<float>(remaining);
    Record(from, to, old_weight, it->second);
  }
  return absl::OkStatus();
}

absl::Status EngagementGraph::RemoveEdge(uint32_t from, uint32_t to) {
  auto it = weights_.find(Key(from, to));
  if (it == weights_.end()) return absl::NotFoundError("RemoveEdge: no such edge");
  Record(from, to, it->second, 0.0);
  weights_.erase(it);
  return absl::OkStatus();
}

absl::Status EngagementGraph::EnsureNodes(uint32_t num_nodes) {
  if (num_nodes == kMaxNodes) return absl::InvalidArgumentError("too many nodes");
  num_nodes_ = std::max(num_nodes_, num_nodes);
  return absl::OkStatus();
}

double EngagementGraph::Weight(uint32_t from, uint32_t to) const {
  auto it = weights_.find(Key(from, to));
  return it == weights_.end() ? 0.0 : it->second;
}

CsrGraph EngagementGraph::BuildCsr() const {
  std::vector<WeightedEdge> edges;
  edges.reserve(weights_.size());
  for (const auto& [key, weight] : weights_) {
    edges.push_back(
        WeightedEdge{static_cast<uint32_t>(key >> 32), static_cast<uint32_t>(key), weight});
  }
  return BuildFromEdges(num_nodes_, edges);
}

std::vector<EdgeChange> EngagementGraph::TakeChanges() { return std::exchange(changes_, {}); }

size_t EngagementGraph::BytesUsed() const {
  using Slot = std::pair<const uint64_t, float>;
  return weights_.capacity() * (sizeof(Slot) + 1) + changes_.capacity() * sizeof(EdgeChange);
}

}  // namespace reach::analytics
