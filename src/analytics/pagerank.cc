#include "analytics/pagerank.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace reach::analytics {
namespace {

constexpr uint32_t kUnvisited = std::numeric_limits<uint32_t>::max();

}  // namespace

absl::Status PageRank::CheckOptions() const {
  if (!(options_.damping > 0.0 && options_.damping < 1.0)) {
    return absl::InvalidArgumentError("PageRank: damping must be in (0, 1)");
  }
  if (!(options_.tolerance > 0.0) || !std::isfinite(options_.tolerance)) {
    return absl::InvalidArgumentError("PageRank: tolerance must be positive");
  }
  if (options_.max_iterations == 0) {
    return absl::InvalidArgumentError("PageRank: max_iterations must be positive");
  }
  return absl::OkStatus();
}

void PageRank::Grow(uint32_t n) {
  // A new node has y = 0; its residual is 1 plus inflows, which arrive as changes of its in-edges.
  residual_l1_ += static_cast<double>(n - y_.size());
  y_.resize(n, 0.0);
  residual_.resize(n, 1.0);
  queued_.resize(n, 0);
}

void PageRank::ComputeInverseOutStrength(const CsrGraph& graph) {
  inv_out_.resize(graph.num_nodes);
  for (uint32_t u = 0; u < graph.num_nodes; ++u) {
    const double w = graph.out_strength[u];
    inv_out_[u] = w > 0.0 ? 1.0 / w : 0.0;
  }
}

std::vector<double> PageRank::Scores() const {
  std::vector<double> scores(y_.size());
  double sum = 0.0;
  for (double v : y_) sum += v;
  for (size_t i = 0; i < y_.size(); ++i) scores[i] = y_[i] / sum;
  return scores;
}

void PageRank::RecomputeSum() {
  sum_y_ = 0.0;
  for (double v : y_) sum_y_ += v;
}

absl::Status PageRank::Run(const CsrGraph& graph) {
  REACH_RETURN_IF_ERROR(CheckOptions());
  stats_ = {};
  const uint32_t n = graph.num_nodes;
  y_.assign(n, 0.0);
  residual_.assign(n, 0.0);
  queued_.assign(n, 0);
  queue_.clear();
  has_run_ = true;
  if (n == 0) {
    sum_y_ = 0.0;
    residual_l1_ = 0.0;
    return absl::OkStatus();
  }
  ComputeInverseOutStrength(graph);
  if (options_.method == PageRankOptions::Method::kPowerIteration) {
    RunPowerIteration(graph);
    ComputeResidual(graph);
    queue_.clear();  // the power iteration result stands as computed
    std::fill(queued_.begin(), queued_.end(), 0);
    RecomputeSum();
    return absl::OkStatus();
  }
  RunSccGaussSeidel(graph);
  ComputeResidual(graph);
  RecomputeSum();
  Push(graph);
  RecomputeSum();
  return absl::OkStatus();
}

absl::Status PageRank::Update(const CsrGraph& graph) {
  REACH_RETURN_IF_ERROR(CheckOptions());
  if (!has_run_) return absl::FailedPreconditionError("PageRank::Update before Run");
  if (graph.num_nodes < y_.size()) {
    return absl::InvalidArgumentError("PageRank::Update: graph lost nodes");
  }
  stats_ = {};
  Grow(graph.num_nodes);
  ComputeInverseOutStrength(graph);
  std::fill(queued_.begin(), queued_.end(), 0);
  queue_.clear();
  ComputeResidual(graph);
  RecomputeSum();
  Push(graph);
  RecomputeSum();
  return absl::OkStatus();
}

absl::Status PageRank::Update(const CsrGraph& graph, std::span<const EdgeChange> changes) {
  REACH_RETURN_IF_ERROR(CheckOptions());
  if (!has_run_) return absl::FailedPreconditionError("PageRank::Update before Run");
  const uint32_t n = graph.num_nodes;
  if (n < y_.size()) return absl::InvalidArgumentError("PageRank::Update: graph lost nodes");
  for (const EdgeChange& c : changes) {
    if (c.from >= n || c.to >= n) {
      return absl::InvalidArgumentError("PageRank::Update: change names a node outside the graph");
    }
  }
  stats_ = {};
  const uint32_t old_n = num_nodes();
  Grow(n);
  queue_.clear();
  for (uint32_t v = old_n; v < n; ++v) Enqueue(v);

  sorted_changes_.assign(changes.begin(), changes.end());
  std::sort(sorted_changes_.begin(), sorted_changes_.end(),
            [](const EdgeChange& a, const EdgeChange& b) {
              return a.from != b.from ? a.from < b.from : a.to < b.to;
            });
  // Sum repeated pairs.
  size_t kept = 0;
  for (const EdgeChange& c : sorted_changes_) {
    if (kept > 0 && sorted_changes_[kept - 1].from == c.from &&
        sorted_changes_[kept - 1].to == c.to) {
      sorted_changes_[kept - 1].delta += c.delta;
    } else {
      sorted_changes_[kept++] = c;
    }
  }
  sorted_changes_.resize(kept);

  // For each changed source u, r_v += d y_u (w_new(u,v) / W_new(u) - w_old(u,v) / W_old(u)).
  const double d = options_.damping;
  const double eps = PushThreshold();
  const double zero_weight = EngagementGraph::kMinWeight / 2;
  for (size_t begin = 0; begin < kept;) {
    const uint32_t u = sorted_changes_[begin].from;
    size_t end = begin;
    double delta_sum = 0.0;
    while (end < kept && sorted_changes_[end].from == u) delta_sum += sorted_changes_[end++].delta;
    const double y_u = y_[u];
    if (y_u != 0.0) {
      const double w_new_total = graph.out_strength[u];
      const double w_old_total = w_new_total - delta_sum;
      const double a = w_new_total > zero_weight ? d * y_u / w_new_total : 0.0;
      const double b = w_old_total > zero_weight ? d * y_u / w_old_total : 0.0;
      size_t c = begin;
      for (uint32_t i = graph.out_offsets[u]; i < graph.out_offsets[u + 1]; ++i) {
        const uint32_t v = graph.out_targets[i];
        const double w = graph.out_weights[i];
        for (; c < end && sorted_changes_[c].to < v; ++c) {  // edges that no longer exist
          const uint32_t gone = sorted_changes_[c].to;
          AddResidual(gone, b * sorted_changes_[c].delta, eps);  // w_old = -delta
        }
        double w_old = w;
        if (c < end && sorted_changes_[c].to == v) w_old -= sorted_changes_[c++].delta;
        AddResidual(v, a * w - b * w_old, eps);
      }
      for (; c < end; ++c) {
        const uint32_t gone = sorted_changes_[c].to;
        AddResidual(gone, b * sorted_changes_[c].delta, eps);
      }
      stats_.edge_visits += graph.OutDegree(u);
    }
    begin = end;
  }
  Push(graph);
  return absl::OkStatus();
}

void PageRank::AddResidual(uint32_t v, double amount, double eps) {
  const double old = residual_[v];
  residual_[v] = old + amount;
  residual_l1_ += std::abs(residual_[v]) - std::abs(old);
  if (std::abs(residual_[v]) > eps) Enqueue(v);
}

void PageRank::Enqueue(uint32_t v) {
  if (!queued_[v]) {
    queued_[v] = 1;
    queue_.push_back(v);
  }
}

void PageRank::Push(const CsrGraph& graph) {
  const double d = options_.damping;
  const double eps = PushThreshold();
  const uint32_t* offsets = graph.out_offsets.data();
  const uint32_t* targets = graph.out_targets.data();
  const float* weights = graph.out_weights.data();
  double* y = y_.data();
  double* r = residual_.data();
  uint8_t* queued = queued_.data();
  const double l1_target = ResidualTarget();
  double l1 = residual_l1_;
  while (!queue_.empty()) {
    if (l1 <= l1_target) {  // the error bound already holds
      for (const uint32_t v : queue_) queued[v] = 0;
      queue_.clear();
      break;
    }
    queue_.swap(next_queue_);
    queue_.clear();
    for (const uint32_t u : next_queue_) {
      queued[u] = 0;
      const double ru = r[u];
      if (std::abs(ru) <= eps) continue;
      r[u] = 0.0;
      l1 -= std::abs(ru);
      y[u] += ru;
      sum_y_ += ru;
      ++stats_.pushes;
      const double w_total = graph.out_strength[u];
      if (w_total <= 0.0) continue;
      const double f = d * ru / w_total;
      const uint32_t row_end = offsets[u + 1];
      stats_.edge_visits += row_end - offsets[u];
      for (uint32_t i = offsets[u]; i < row_end; ++i) {
        const uint32_t v = targets[i];
        const double old = r[v];
        r[v] = old + f * weights[i];
        l1 += std::abs(r[v]) - std::abs(old);
        if (!queued[v] && std::abs(r[v]) > eps) {
          queued[v] = 1;
          queue_.push_back(v);
        }
      }
    }
  }
  next_queue_.clear();
  residual_l1_ = l1;
}

void PageRank::ComputeResidual(const CsrGraph& graph) {
  const double d = options_.damping;
  const double eps = PushThreshold();
  const uint32_t n = graph.num_nodes;
  const uint32_t* offsets = graph.in_offsets.data();
  const uint32_t* sources = graph.in_sources.data();
  const float* weights = graph.in_weights.data();
  const double* y = y_.data();
  const double* inv_out = inv_out_.data();
  residual_l1_ = 0.0;
  for (uint32_t v = 0; v < n; ++v) {
    double inflow = 0.0;
    for (uint32_t i = offsets[v]; i < offsets[v + 1]; ++i) {
      const uint32_t u = sources[i];
      inflow += y[u] * inv_out[u] * weights[i];
    }
    residual_[v] = 1.0 + d * inflow - y[v];
    residual_l1_ += std::abs(residual_[v]);
    if (std::abs(residual_[v]) > eps) Enqueue(v);
  }
  stats_.edge_visits += graph.num_edges();
}

void PageRank::ComputeComponents(const CsrGraph& graph) {
  // Iterative Tarjan. Components are emitted sinks first (reverse topological order).
  const uint32_t n = graph.num_nodes;
  tarjan_index_.assign(n, kUnvisited);
  tarjan_low_.resize(n);
  on_stack_.assign(n, 0);
  tarjan_stack_.clear();
  call_stack_.clear();
  component_nodes_.clear();
  component_offsets_.assign(1, 0);
  uint32_t counter = 0;
  auto visit = [&](uint32_t v) {
    tarjan_index_[v] = tarjan_low_[v] = counter++;
    tarjan_stack_.push_back(v);
    on_stack_[v] = 1;
    call_stack_.emplace_back(v, graph.out_offsets[v]);
  };
  for (uint32_t s = 0; s < n; ++s) {
    if (tarjan_index_[s] != kUnvisited) continue;
    visit(s);
    while (!call_stack_.empty()) {
      const uint32_t v = call_stack_.back().first;
      const uint32_t pos = call_stack_.back().second;
      if (pos < graph.out_offsets[v + 1]) {
        ++call_stack_.back().second;
        const uint32_t w = graph.out_targets[pos];
        if (tarjan_index_[w] == kUnvisited) {
          visit(w);
        } else if (on_stack_[w]) {
          tarjan_low_[v] = std::min(tarjan_low_[v], tarjan_index_[w]);
        }
        continue;
      }
      call_stack_.pop_back();
      if (!call_stack_.empty()) {
        const uint32_t parent = call_stack_.back().first;
        tarjan_low_[parent] = std::min(tarjan_low_[parent], tarjan_low_[v]);
      }
      if (tarjan_low_[v] == tarjan_index_[v]) {
        uint32_t w;
        do {
          w = tarjan_stack_.back();
          tarjan_stack_.pop_back();
          on_stack_[w] = 0;
          component_nodes_.push_back(w);
        } while (w != v);
        component_offsets_.push_back(static_cast<uint32_t>(component_nodes_.size()));
      }
    }
  }
  stats_.edge_visits += graph.num_edges();
}

void PageRank::RunSccGaussSeidel(const CsrGraph& graph) {
  ComputeComponents(graph);
  const double d = options_.damping;
  const double eps = PushThreshold();
  const uint32_t* offsets = graph.in_offsets.data();
  const uint32_t* sources = graph.in_sources.data();
  const float* weights = graph.in_weights.data();
  const double* inv_out = inv_out_.data();
  double* y = y_.data();
  // One Gauss-Seidel step for v: y_v = (1 + d sum_{u != v} y_u p(u,v)) / (1 - d p(v,v)).
  auto relax = [&](uint32_t v) {
    double inflow = 0.0;
    double self = 0.0;
    for (uint32_t i = offsets[v]; i < offsets[v + 1]; ++i) {
      const uint32_t u = sources[i];
      const double p = inv_out[u] * weights[i];
      if (u == v) {
        self += p;
      } else {
        inflow += y[u] * p;
      }
    }
    return (1.0 + d * inflow) / (1.0 - d * self);
  };
  const auto components = static_cast<uint32_t>(component_offsets_.size() - 1);
  stats_.components = components;
  for (uint32_t c = components; c-- > 0;) {  // topological order: sources first
    const uint32_t begin = component_offsets_[c];
    const uint32_t end = component_offsets_[c + 1];
    const uint32_t size = end - begin;
    stats_.largest_component = std::max(stats_.largest_component, size);
    if (size == 1) {
      const uint32_t v = component_nodes_[begin];
      y[v] = relax(v);
      stats_.edge_visits += graph.InDegree(v);
      continue;
    }
    for (uint32_t sweep = 0; sweep < options_.max_iterations; ++sweep) {
      double change = 0.0;
      for (uint32_t i = begin; i < end; ++i) {
        const uint32_t v = component_nodes_[i];
        const double next = relax(v);
        change += std::abs(next - y[v]);
        y[v] = next;
        stats_.edge_visits += graph.InDegree(v);
      }
      ++stats_.iterations;
      if (change <= eps * size) break;  // the residual push finishes the job
    }
  }
}

void PageRank::RunPowerIteration(const CsrGraph& graph) {
  const uint32_t n = graph.num_nodes;
  const double d = options_.damping;
  const double stop = options_.tolerance * (1.0 - d) / d;
  const uint32_t* offsets = graph.in_offsets.data();
  const uint32_t* sources = graph.in_sources.data();
  const float* weights = graph.in_weights.data();
  // x lives in y_; next_ holds x / W per node (the contribution per unit weight), then the new x.
  std::vector<double>& x = y_;
  x.assign(n, 1.0 / n);
  next_.resize(n);
  std::vector<double>& contribution = residual_;  // reused as scratch
  double dangling = 0.0;
  for (uint32_t it = 0; it < options_.max_iterations; ++it) {
    dangling = 0.0;
    for (uint32_t u = 0; u < n; ++u) {
      contribution[u] = x[u] * inv_out_[u];
      if (inv_out_[u] == 0.0) dangling += x[u];
    }
    const double base = ((1.0 - d) + d * dangling) / n;
    double change = 0.0;
    for (uint32_t v = 0; v < n; ++v) {
      double inflow = 0.0;
      for (uint32_t i = offsets[v]; i < offsets[v + 1]; ++i) {
        inflow += contribution[sources[i]] * weights[i];
      }
      next_[v] = base + d * inflow;
      change += std::abs(next_[v] - x[v]);
    }
    x.swap(next_);
    ++stats_.iterations;
    stats_.edge_visits += graph.num_edges();
    if (change < stop) break;
  }
  // Rescale to the linear-system solution: x = d P^T x + c 1 with c = ((1 - d) + d dangling) / n
  // gives y = x / c.
  dangling = 0.0;
  double sum = 0.0;
  for (uint32_t u = 0; u < n; ++u) {
    sum += x[u];
    if (inv_out_[u] == 0.0) dangling += x[u];
  }
  const double c = ((1.0 - d) * sum + d * dangling) / n;
  for (double& v : x) v /= c;
}

}  // namespace reach::analytics
