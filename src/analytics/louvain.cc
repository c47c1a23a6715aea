#include "analytics/louvain.h"

#include <algorithm>
#include <numeric>
#include <utility>

namespace reach::analytics {
namespace {

// One level of the undirected, weighted graph: rows hold neighbours other than the node itself;
// `loop` is the weight inside the node (self-loops, or internal weight of an aggregated community).
struct Level {
  uint32_t n = 0;
  std::vector<uint32_t> offsets;
  std::vector<uint32_t> neighbours;
  std::vector<double> weights;
  std::vector<double> loop;
  std::vector<double> strength;  // sum of row weights + 2 loop
};

// Merges each node's sorted out- and in-rows into one row of summed undirected weights.
Level FromCsr(const CsrGraph& g) {
  Level level;
  const uint32_t n = g.num_nodes;
  level.n = n;
  level.offsets.assign(size_t{n} + 1, 0);
  level.loop.assign(n, 0.0);
  level.strength.assign(n, 0.0);
  level.neighbours.reserve(2 * g.num_edges());
  level.weights.reserve(2 * g.num_edges());
  for (uint32_t u = 0; u < n; ++u) {
    uint32_t i = g.out_offsets[u];
    uint32_t j = g.in_offsets[u];
    const uint32_t i_end = g.out_offsets[u + 1];
    const uint32_t j_end = g.in_offsets[u + 1];
    double strength = 0.0;
    auto emit = [&](uint32_t v, double w) {
      if (v == u) {
        level.loop[u] = w / 2;  // the self-loop is seen in both rows
        strength += w;
        return;
      }
      level.neighbours.push_back(v);
      level.weights.push_back(w);
      strength += w;
    };
    while (i < i_end || j < j_end) {
      if (j == j_end || (i < i_end && g.out_targets[i] < g.in_sources[j])) {
        emit(g.out_targets[i], g.out_weights[i]);
        ++i;
      } else if (i == i_end || g.in_sources[j] < g.out_targets[i]) {
        emit(g.in_sources[j], g.in_weights[j]);
        ++j;
      } else {
        emit(g.out_targets[i], double{g.out_weights[i]} + g.in_weights[j]);
        ++i;
        ++j;
      }
    }
    level.strength[u] = strength;
    level.offsets[u + 1] = static_cast<uint32_t>(level.neighbours.size());
  }
  return level;
}

// Local moving: each node joins the neighbouring community with the best modularity gain. Returns
// whether any node moved; `comm` holds the communities (ids are node ids of the level).
bool MoveNodes(const Level& level, double m2, const LouvainOptions& options,
               std::vector<uint32_t>& comm) {
  const uint32_t n = level.n;
  comm.resize(n);
  std::iota(comm.begin(), comm.end(), 0u);
  std::vector<double> total(level.strength);
  std::vector<double> link(n, 0.0);
  std::vector<uint8_t> seen(n, 0);
  std::vector<uint32_t> touched;
  bool moved_any = false;
  for (uint32_t sweep = 0; sweep < options.max_sweeps; ++sweep) {
    double gain_sum = 0.0;
    uint32_t moves = 0;
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t current = comm[i];
      const double k = level.strength[i];
      touched.clear();
      seen[current] = 1;
      touched.push_back(current);
      for (uint32_t e = level.offsets[i]; e < level.offsets[i + 1]; ++e) {
        const uint32_t c = comm[level.neighbours[e]];
        if (!seen[c]) {
          seen[c] = 1;
          touched.push_back(c);
        }
        link[c] += level.weights[e];
      }
      total[current] -= k;
      const double current_gain = link[current] - total[current] * k / m2;
      uint32_t best = current;
      double best_gain = current_gain;
      for (const uint32_t c : touched) {
        const double gain = link[c] - total[c] * k / m2;
        if (gain > best_gain) {  // ties keep the current, then the first seen community
          best = c;
          best_gain = gain;
        }
      }
      total[best] += k;
      if (best != current) {
        comm[i] = best;
        ++moves;
        gain_sum += 2 * (best_gain - current_gain) / m2;
      }
      for (const uint32_t c : touched) {
        link[c] = 0.0;
        seen[c] = 0;
      }
    }
    if (moves > 0) moved_any = true;
    if (moves == 0 || gain_sum < options.min_gain) break;
  }
  return moved_any;
}

// Renumbers `comm` densely (by first appearance) and returns the community count.
uint32_t Renumber(std::vector<uint32_t>& comm) {
  std::vector<uint32_t> id(comm.size(), UINT32_MAX);
  uint32_t next = 0;
  for (uint32_t& c : comm) {
    if (id[c] == UINT32_MAX) id[c] = next++;
    c = id[c];
  }
  return next;
}

Level Aggregate(const Level& level, const std::vector<uint32_t>& comm, uint32_t k) {
  // Members of each community, by counting sort.
  std::vector<uint32_t> start(size_t{k} + 1, 0);
  for (uint32_t c : comm) ++start[c + 1];
  for (uint32_t c = 0; c < k; ++c) start[c + 1] += start[c];
  std::vector<uint32_t> members(level.n);
  std::vector<uint32_t> pos(start.begin(), start.end() - 1);
  for (uint32_t i = 0; i < level.n; ++i) members[pos[comm[i]]++] = i;

  Level next;
  next.n = k;
  next.offsets.assign(size_t{k} + 1, 0);
  next.loop.assign(k, 0.0);
  next.strength.assign(k, 0.0);
  std::vector<double> link(k, 0.0);
  std::vector<uint8_t> seen(k, 0);
  std::vector<uint32_t> touched;
  for (uint32_t c = 0; c < k; ++c) {
    double internal = 0.0;  // each internal edge is seen from both ends
    touched.clear();
    for (uint32_t m = start[c]; m < start[c + 1]; ++m) {
      const uint32_t i = members[m];
      next.loop[c] += level.loop[i];
      next.strength[c] += level.strength[i];
      for (uint32_t e = level.offsets[i]; e < level.offsets[i + 1]; ++e) {
        const uint32_t cj = comm[level.neighbours[e]];
        if (cj == c) {
          internal += level.weights[e];
        } else {
          if (!seen[cj]) {
            seen[cj] = 1;
            touched.push_back(cj);
          }
          link[cj] += level.weights[e];
        }
      }
    }
    next.loop[c] += internal / 2;
    std::sort(touched.begin(), touched.end());
    for (const uint32_t cj : touched) {
      next.neighbours.push_back(cj);
      next.weights.push_back(link[cj]);
      link[cj] = 0.0;
      seen[cj] = 0;
    }
    next.offsets[c + 1] = static_cast<uint32_t>(next.neighbours.size());
  }
  return next;
}

}  // namespace

absl::StatusOr<double> Modularity(const CsrGraph& graph, std::span<const uint32_t> community) {
  if (community.size() != graph.num_nodes) {
    return absl::InvalidArgumentError("Modularity: need one community per node");
  }
  const uint32_t k =
      community.empty() ? 0 : *std::max_element(community.begin(), community.end()) + 1;
  if (k > graph.num_nodes) return absl::InvalidArgumentError("Modularity: community id too large");
  std::vector<double> inside(k, 0.0);
  std::vector<double> strength(k, 0.0);
  double m = 0.0;
  for (uint32_t u = 0; u < graph.num_nodes; ++u) {
    for (uint32_t i = graph.out_offsets[u]; i < graph.out_offsets[u + 1]; ++i) {
      const double w = graph.out_weights[i];
      const uint32_t cu = community[u];
      const uint32_t cv = community[graph.out_targets[i]];
      strength[cu] += w;
      strength[cv] += w;
      if (cu == cv) inside[cu] += 2 * w;
      m += w;
    }
  }
  if (m == 0.0) return 0.0;
  double q = 0.0;
  for (uint32_t c = 0; c < k; ++c) {
    const double share = strength[c] / (2 * m);
    q += inside[c] / (2 * m) - share * share;
  }
  return q;
}

absl::StatusOr<CommunityResult> Louvain::Run(const CsrGraph& graph,
                                             std::span<const double> scores) const {
  if (!scores.empty() && scores.size() != graph.num_nodes) {
    return absl::InvalidArgumentError("Louvain: need one score per node");
  }
  if (options_.max_levels == 0 || options_.max_sweeps == 0) {
    return absl::InvalidArgumentError("Louvain: max_levels and max_sweeps must be positive");
  }
  const uint32_t n = graph.num_nodes;
  CommunityResult result;
  result.community.resize(n);
  std::iota(result.community.begin(), result.community.end(), 0u);

  Level level = FromCsr(graph);
  double m2 = 0.0;
  for (double s : level.strength) m2 += s;
  if (m2 > 0.0) {
    std::vector<uint32_t> comm;
    for (uint32_t l = 0; l < options_.max_levels; ++l) {
      if (!MoveNodes(level, m2, options_, comm)) break;
      const uint32_t k = Renumber(comm);
      for (uint32_t& c : result.community) c = comm[c];
      ++result.levels;
      if (k == level.n) break;
      level = Aggregate(level, comm, k);
    }
  }
  level = {};
  const uint32_t k = n == 0 ? 0 : Renumber(result.community);

  // Number communities by size (largest first), ties by smallest member (first appearance).
  std::vector<uint32_t> size(k, 0);
  for (uint32_t c : result.community) ++size[c];
  std::vector<uint32_t> order(k);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return size[a] > size[b]; });
  std::vector<uint32_t> rank(k);
  for (uint32_t r = 0; r < k; ++r) rank[order[r]] = r;
  for (uint32_t& c : result.community) c = rank[c];

  result.communities.resize(k);
  for (uint32_t c = 0; c < k; ++c) {
    result.communities[c].id = c;
    result.communities[c].size = size[order[c]];
  }
  for (uint32_t u = 0; u < n; ++u) {
    const uint32_t cu = result.community[u];
    for (uint32_t i = graph.out_offsets[u]; i < graph.out_offsets[u + 1]; ++i) {
      const uint32_t v = graph.out_targets[i];
      if (v == u || result.community[v] != cu) continue;
      Community& c = result.communities[cu];
      c.internal_weight += graph.out_weights[i];
      // Count the pair once: from u when v -> u is absent or when u < v.
      const auto row_begin = graph.out_targets.begin() + graph.out_offsets[v];
      const auto row_end = graph.out_targets.begin() + graph.out_offsets[v + 1];
      if (u < v || !std::binary_search(row_begin, row_end, u)) ++c.internal_edges;
    }
  }
  for (Community& c : result.communities) {
    if (c.size > 1) c.density = c.internal_weight / (0.5 * c.size * (c.size - 1.0));
  }

  if (!scores.empty() && options_.top_k > 0) {
    std::vector<std::vector<uint32_t>> members(k);
    for (uint32_t u = 0; u < n; ++u) members[result.community[u]].push_back(u);
    for (uint32_t c = 0; c < k; ++c) {
      std::vector<uint32_t>& m = members[c];
      const size_t top = std::min(options_.top_k, m.size());
      std::partial_sort(m.begin(), m.begin() + top, m.end(), [&](uint32_t a, uint32_t b) {
        return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
      });
      result.communities[c].leading.assign(m.begin(), m.begin() + top);
    }
  }

  REACH_ASSIGN_OR_RETURN(result.modularity, Modularity(graph, result.community));
  return result;
}

}  // namespace reach::analytics
