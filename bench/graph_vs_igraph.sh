#!/bin/sh
# PageRank on the Higgs retweet graph: ours (graph_bench BM_PageRankFull, SCC Gauss-Seidel) against
# igraph's Graph.pagerank(weights=..., directed=True) on the same machine in the same run.
# igraph: time.perf_counter around g.pagerank only, best of 5 (Debian python3-igraph).
# Usage: bench/graph_vs_igraph.sh path/to/graph_bench [edges.gz]
set -eu
bench=$1
edges=${2:-$(dirname "$0")/../../shared/data/higgs/higgs-retweet_network.edgelist.gz}
ours_ms=$(REACH_HIGGS_EDGES="$edges" "$bench" --benchmark_filter='BM_PageRankFull/0$' \
  --benchmark_repetitions=5 --benchmark_format=json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
runs = [b for b in json.load(sys.stdin)["benchmarks"] if b.get("run_type") == "iteration"]
print(min(b["real_time"] for b in runs))')
igraph_ms=$(/usr/bin/python3 - "$edges" <<'PY'
import gzip, sys, time
import igraph
node_of, edges, weights = {}, [], []
with gzip.open(sys.argv[1], "rt") as f:
    for line in f:
        a, b, w = line.split()
        edges.append((node_of.setdefault(a, len(node_of)), node_of.setdefault(b, len(node_of))))
        weights.append(float(w))
g = igraph.Graph(n=len(node_of), edges=edges, directed=True)
g.es["weight"] = weights
best = float("inf")
for _ in range(5):
    start = time.perf_counter()
    g.pagerank(weights="weight", directed=True)
    best = min(best, time.perf_counter() - start)
print(best * 1000)
PY
)
/usr/bin/python3 -c "
ours, igraph = $ours_ms, $igraph_ms
print(f'pagerank higgs: reach {ours:.1f} ms, igraph {igraph:.1f} ms, igraph/reach = {igraph / ours:.1f}x')"
