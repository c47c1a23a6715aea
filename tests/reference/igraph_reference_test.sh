#!/bin/sh
# Runs the igraph reference (tests/reference/igraph_higgs.py) on the Higgs retweet graph, then the
# C++ checker (graph_test's IgraphReference tests) against it.
# Usage: igraph_reference_test.sh PYTHON SCRIPT EDGES_GZ WORKDIR GRAPH_TEST
set -eu
python=$1 script=$2 edges_gz=$3 workdir=$4 graph_test=$5
mkdir -p "$workdir"
gzip -dc "$edges_gz" > "$workdir/higgs-retweet.edgelist"
"$python" "$script" "$workdir/higgs-retweet.edgelist" "$workdir/igraph_higgs.txt"
REACH_HIGGS_EDGES="$workdir/higgs-retweet.edgelist" \
REACH_IGRAPH_REFERENCE="$workdir/igraph_higgs.txt" \
  exec "$graph_test" --gtest_filter='IgraphReference.*'
