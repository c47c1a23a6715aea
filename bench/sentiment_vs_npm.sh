#!/usr/bin/env bash
# VADER throughput: the C++ SentimentAnalyzer against the npm package vader-sentiment 1.1.3, on
# the same 4,200 rated tweets, each checked against the reference Python 3.3.2 scores first.
#
#   bench/sentiment_vs_npm.sh            # from the repository root
#
# Environment: BUILD_DIR (Release build tree holding sentiment_bench; configured and built here if
# missing, default build/bench, the `bench` preset), NPM_DIR (where vader-sentiment is installed, default
# build/sentiment-npm), DATA (default ../shared/data/sentiment-vader), MIN_SECONDS (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD_DIR=${BUILD_DIR:-$ROOT/build/bench}
NPM_DIR=${NPM_DIR:-$ROOT/build/sentiment-npm}
DATA=${DATA:-$ROOT/../shared/data/sentiment-vader}
MIN_SECONDS=${MIN_SECONDS:-1}
TWEETS=$DATA/tweets_GroundTruth.txt
REFERENCE=$DATA/tweets_vader_reference_scores_v3.3.2.tsv

if [[ ! -f $BUILD_DIR/build.ninja ]]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DREACH_BUILD_BENCH=ON \
    -DREACH_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$BUILD_DIR" -j2 --target sentiment_bench >/dev/null
BENCH=$(find "$BUILD_DIR" -name sentiment_bench -type f -perm -u+x | head -n1)

if [[ ! -d $NPM_DIR/node_modules/vader-sentiment ]]; then
  mkdir -p "$NPM_DIR"
  (cd "$NPM_DIR" && npm init -y >/dev/null && npm install --no-audit --no-fund vader-sentiment@1.1.3 >/dev/null)
fi

echo "== C++ reach::analytics::SentimentAnalyzer ($(basename "$BUILD_DIR"), 1 thread)"
cpp_out=$("$BENCH" --lexicon "$ROOT/data/lexicon" --tweets "$TWEETS" --reference "$REFERENCE" \
  --min-seconds "$MIN_SECONDS")
echo "$cpp_out"
echo "== npm vader-sentiment 1.1.3 (node $(node --version))"
npm_out=$(NODE_PATH="$NPM_DIR/node_modules" node "$ROOT/bench/sentiment_npm.js" "$TWEETS" \
  "$REFERENCE" "$MIN_SECONDS")
echo "$npm_out"

cpp=$(sed -n 's/^cpp_texts_per_second=//p' <<<"$cpp_out")
npm=$(sed -n 's/^npm_texts_per_second=//p' <<<"$npm_out")
awk -v c="$cpp" -v n="$npm" 'BEGIN {
  printf "== texts/s: C++ %d, npm %d, ratio %.1fx\n", c, n, c / n }'
