#!/usr/bin/python3
"""igraph's PageRank and multilevel (Louvain) modularity for a weighted edge list.

Reference for src/analytics/pagerank_igraph_reference_test.cc. Usage (Debian's python3-igraph):

    /usr/bin/python3 igraph_higgs.py EDGES OUT

EDGES: lines "userA userB weight" (A -> B, e.g. A retweeted B), plain or .gz.
OUT:   "igraph <version>", "nodes <n>", "edges <m>", "modularity <q>", "communities <k>",
       "pagerank_seconds <best of 5>", then one "<id> <pagerank>" line per node.
PageRank: Graph.pagerank(weights=w, directed=True) on the directed graph (PRPACK).
Modularity: community_multilevel(weights=...) on the undirected graph whose edge weights are the
sums of both directions (as_undirected(mode="collapse", combine_edges="sum")).
"""
import gzip
import sys
import time

import igraph


def main():
    edges_path, out_path = sys.argv[1], sys.argv[2]
    opener = gzip.open if edges_path.endswith(".gz") else open
    node_of = {}
    edges = []
    weights = []
    with opener(edges_path, "rt") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            a = node_of.setdefault(parts[0], len(node_of))
            b = node_of.setdefault(parts[1], len(node_of))
            edges.append((a, b))
            weights.append(float(parts[2]) if len(parts) > 2 else 1.0)
    g = igraph.Graph(n=len(node_of), edges=edges, directed=True)
    g.es["weight"] = weights

    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        pagerank = g.pagerank(weights="weight", directed=True)
        best = min(best, time.perf_counter() - start)

    undirected = g.as_undirected(mode="collapse", combine_edges="sum")
    clusters = undirected.community_multilevel(weights="weight")

    ids = [None] * len(node_of)
    for name, index in node_of.items():
        ids[index] = name
    with open(out_path, "w") as out:
        out.write(f"igraph {igraph.__version__}\n")
        out.write(f"nodes {g.vcount()}\nedges {g.ecount()}\n")
        out.write(f"modularity {clusters.modularity!r}\ncommunities {len(clusters)}\n")
        out.write(f"pagerank_seconds {best!r}\n")
        for name, score in zip(ids, pagerank):
            out.write(f"{name} {score!r}\n")


if __name__ == "__main__":
    main()
