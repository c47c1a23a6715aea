#!/bin/sh
# Runs the igraph reference (tests/reference/igraph_higgs.py) on the Higgs retweet graph, then the
# C++ checker (igraph_reference_test) against it.
# Usage: igraph_reference_test.sh PYTHON SCRIPT EDGES_GZ WORKDIR CHECKER
set -eu
python=$1 script=$2 edges_gz=$3 workdir=$4 checker=$5
mkdir -p "$workdir"
gzip -dc "$edges_gz" > "$workdir/higgs-retweet.edgelist"
"$python" "$script" "$workdir/higgs-retweet.edgelist" "$workdir/igraph_higgs.txt"
REACH_HIGGS_EDGES="$workdir/higgs-retweet.edgelist" \
REACH_IGRAPH_REFERENCE="$workdir/igraph_higgs.txt" \
  exec "$checker"
