// Graph benchmarks on the Higgs retweet graph (256,491 nodes, 328,132 weighted edges, SNAP):
//   BM_PageRankFull/scc_gauss_seidel, BM_PageRankFull/power_iteration  - Run from scratch
//   BM_PageRankUpdate1000       - Update after 1,000 new edges; counters: full_ms (best full Run
//                                 on the same graph, same process), speedup = full / update
//   BM_PageRankWarmUpdate1000   - Update without a change list (full residual pass + push)
//   BM_LouvainHiggs             - Louvain; counters: modularity, communities
//   BM_BuildCsr                 - EngagementGraph -> CsrGraph; counters: bytes per edge
// Every workload checks its result before timing (Update against a fresh Run: L1 < 1e-6).
// Data: REACH_HIGGS_EDGES or <shared data>/higgs/higgs-retweet_network.edgelist.gz.
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "analytics/engagement_graph.h"
#include "analytics/louvain.h"
#include "analytics/node_index.h"
#include "analytics/pagerank.h"
#include "benchmark/benchmark.h"

namespace reach::analytics {
namespace {

struct RawEdge {
  uint64_t from;
  uint64_t to;
  double weight;
};

const std::vector<RawEdge>& HiggsEdges() {
  static const std::vector<RawEdge> edges = [] {
    std::vector<RawEdge> out;
    const char* env = std::getenv("REACH_HIGGS_EDGES");
    const std::string path = env != nullptr ? env
                                            : std::string(REACH_SHARED_DATA) +
                                                  "/higgs/higgs-retweet_network.edgelist.gz";
    gzFile file = gzopen(path.c_str(), "rb");
    if (file == nullptr) return out;
    char line[256];
    while (gzgets(file, line, sizeof line) != nullptr) {
      RawEdge e{};
      if (std::sscanf(line, "%lu %lu %lf", &e.from, &e.to, &e.weight) == 3) out.push_back(e);
    }
    gzclose(file);
    return out;
  }();
  return edges;
}

// The Higgs graph, optionally without the `held_out` edges (chosen with a fixed seed), which are
// returned for adding later. All nodes are indexed up front so both graphs have the same n.
struct Higgs {
  NodeIndex index;
  EngagementGraph graph{EngagementGraph::Options{.record_changes = true}};
  std::vector<WeightedEdge> held_out;
};

std::unique_ptr<Higgs> LoadHiggs(size_t held_out) {
  auto h = std::make_unique<Higgs>();
  const std::vector<RawEdge>& raw = HiggsEdges();
  std::vector<uint8_t> hold(raw.size(), 0);
  std::mt19937_64 rng(42);
  for (size_t k = 0; k < held_out && k < raw.size(); ++k) hold[rng() % raw.size()] = 1;
  for (size_t i = 0; i < raw.size(); ++i) {
    const uint32_t from = *h->index.GetOrAdd(raw[i].from);
    const uint32_t to = *h->index.GetOrAdd(raw[i].to);
    if (hold[i]) {
      h->held_out.push_back({from, to, static_cast<float>(raw[i].weight)});
    } else {
      (void)h->graph.AddEdge(from, to, raw[i].weight);
    }
  }
  (void)h->graph.EnsureNodes(static_cast<uint32_t>(h->index.size()));
  (void)h->graph.TakeChanges();
  return h;
}

double L1(const std::vector<double>& a, const std::vector<double>& b) {
  double sum = 0.0;
  for (size_t i = 0; i < a.size(); ++i) sum += std::abs(a[i] - b[i]);
  return sum;
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_PageRankFull(benchmark::State& state) {
  static const std::unique_ptr<Higgs> h = LoadHiggs(0);
  const CsrGraph csr = h->graph.BuildCsr();
  if (csr.num_edges() != 328132) return state.SkipWithError("Higgs retweet graph not found");
  const auto method = state.range(0) == 0 ? PageRankOptions::Method::kSccGaussSeidel
                                          : PageRankOptions::Method::kPowerIteration;
  PageRank pagerank({.method = method});
  for (auto _ : state) {
    if (!pagerank.Run(csr).ok()) return state.SkipWithError("Run failed");
    benchmark::DoNotOptimize(pagerank.Score(0));
  }
  state.counters["iterations"] = static_cast<double>(pagerank.last_stats().iterations);
  state.counters["largest_scc"] = pagerank.last_stats().largest_component;
  state.SetLabel(state.range(0) == 0 ? "scc_gauss_seidel" : "power_iteration");
}
BENCHMARK(BM_PageRankFull)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Run on Higgs minus 1,000 edges, then add them and Update; compared with a full Run on the result.
void UpdateBenchmark(benchmark::State& state, bool with_changes) {
  const std::unique_ptr<Higgs> h = LoadHiggs(1000);
  if (h->held_out.size() < 990) return state.SkipWithError("Higgs retweet graph not found");
  PageRank base;
  if (!base.Run(h->graph.BuildCsr()).ok()) return state.SkipWithError("Run failed");
  for (const WeightedEdge& e : h->held_out) (void)h->graph.AddEdge(e.from, e.to, e.weight);
  const CsrGraph after = h->graph.BuildCsr();
  const std::vector<EdgeChange> changes = h->graph.TakeChanges();

  // Check before timing, and time the full recompute in the same process.
  PageRank fresh;
  double full_seconds = 1e9;
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    if (!fresh.Run(after).ok()) return state.SkipWithError("Run failed");
    full_seconds = std::min(full_seconds, Seconds(start));
  }
  PageRank check = base;
  if (!(with_changes ? check.Update(after, changes) : check.Update(after)).ok()) {
    return state.SkipWithError("Update failed");
  }
  const double l1 = L1(check.Scores(), fresh.Scores());
  if (!(l1 < 1e-6)) return state.SkipWithError("Update differs from a fresh Run");

  double update_seconds = 0.0;
  for (auto _ : state) {
    PageRank pagerank = base;  // copy of the pre-update state, not timed
    const auto start = std::chrono::steady_clock::now();
    const absl::Status status =
        with_changes ? pagerank.Update(after, changes) : pagerank.Update(after);
    const double seconds = Seconds(start);
    if (!status.ok()) return state.SkipWithError("Update failed");
    state.SetIterationTime(seconds);
    update_seconds += seconds;
    benchmark::DoNotOptimize(pagerank.Score(0));
  }
  const double mean_update = update_seconds / static_cast<double>(state.iterations());
  state.counters["full_ms"] = full_seconds * 1e3;
  state.counters["speedup"] = full_seconds / mean_update;
  state.counters["l1_vs_full"] = l1;
  state.counters["pushes"] = static_cast<double>(check.last_stats().pushes);
}

void BM_PageRankUpdate1000(benchmark::State& state) { UpdateBenchmark(state, true); }
BENCHMARK(BM_PageRankUpdate1000)->UseManualTime()->Unit(benchmark::kMillisecond);
void BM_PageRankWarmUpdate1000(benchmark::State& state) { UpdateBenchmark(state, false); }
BENCHMARK(BM_PageRankWarmUpdate1000)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_LouvainHiggs(benchmark::State& state) {
  static const std::unique_ptr<Higgs> h = LoadHiggs(0);
  const CsrGraph csr = h->graph.BuildCsr();
  if (csr.num_edges() != 328132) return state.SkipWithError("Higgs retweet graph not found");
  CommunityResult result;
  for (auto _ : state) {
    absl::StatusOr<CommunityResult> r = Louvain().Run(csr);
    if (!r.ok()) return state.SkipWithError("Louvain failed");
    result = *std::move(r);
  }
  state.counters["modularity"] = result.modularity;
  state.counters["communities"] = static_cast<double>(result.communities.size());
  state.counters["levels"] = result.levels;
}
BENCHMARK(BM_LouvainHiggs)->Unit(benchmark::kMillisecond);

void BM_BuildCsr(benchmark::State& state) {
  static const std::unique_ptr<Higgs> h = LoadHiggs(0);
  CsrGraph csr;
  for (auto _ : state) {
    csr = h->graph.BuildCsr();
    benchmark::DoNotOptimize(csr.num_edges());
  }
  const double m = static_cast<double>(csr.num_edges());
  state.counters["graph_bytes_per_edge"] = static_cast<double>(h->graph.BytesUsed()) / m;
  state.counters["csr_bytes_per_edge"] = static_cast<double>(csr.BytesUsed()) / m;
  state.counters["index_bytes_per_node"] =
      static_cast<double>(h->index.BytesUsed()) / static_cast<double>(h->index.size());
}
BENCHMARK(BM_BuildCsr)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace reach::analytics

BENCHMARK_MAIN();
