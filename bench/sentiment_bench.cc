// Throughput of VADER scoring (reach::analytics::SentimentAnalyzer) on the 4,200 rated tweets of
// Hutto & Gilbert (2014), checked against the reference Python vaderSentiment 3.3.2 scores before
// timing.
//
//   sentiment_bench [--lexicon DIR] [--tweets FILE] [--reference TSV] [--min-seconds S]
//                   [--threads N]
//     Prints "check: ..." (share within 0.001 of the reference) then
//     "cpp_texts_per_second=<n>" for one thread (or N threads); exits 1 if < 99 % agree.
//   sentiment_bench --score-stdin [--lexicon DIR]
//     Scores each stdin line and prints "neg<TAB>neu<TAB>pos<TAB>compound" (differential tests).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "analytics/vader.h"

namespace {

using reach::analytics::SentimentAnalyzer;
using reach::analytics::SentimentScores;

struct Tweet {
  std::string id;
  std::string text;
};

std::vector<Tweet> ReadTweets(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<Tweet> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t t1 = line.find('\t');
    const std::size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string::npos) continue;
    out.push_back({line.substr(0, t1), line.substr(t2 + 1)});
  }
  return out;
}

std::unordered_map<std::string, SentimentScores> ReadReference(const std::string& path) {
  std::ifstream in(path);
  std::unordered_map<std::string, SentimentScores> out;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string id;
    double human;
    SentimentScores s;
    if (f >> id >> human >> s.neg >> s.neu >> s.pos >> s.compound) out[id] = s;
  }
  return out;
}

// Scores the corpus `rounds` times; returns a checksum so the work cannot be optimised away.
double ScoreRounds(const SentimentAnalyzer& analyzer, const std::vector<Tweet>& tweets,
                   long rounds) {
  double checksum = 0;
  for (long r = 0; r < rounds; ++r) {
    for (const Tweet& t : tweets) checksum += analyzer.Score(t.text).compound;
  }
  return checksum;
}

int Usage() {
  std::cerr << "usage: sentiment_bench [--lexicon DIR] [--tweets FILE] [--reference TSV] "
               "[--min-seconds S] [--threads N] | --score-stdin [--lexicon DIR]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string lexicon_dir = "data/lexicon";
  std::string data_dir = "../shared/data/sentiment-vader";
  std::string tweets_path;
  std::string reference_path;
  double min_seconds = 1.0;
  int threads = 1;
  bool score_stdin = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) std::exit(Usage());
      return argv[++i];
    };
    if (arg == "--lexicon") {
      lexicon_dir = value();
    } else if (arg == "--tweets") {
      tweets_path = value();
    } else if (arg == "--reference") {
      reference_path = value();
    } else if (arg == "--min-seconds") {
      min_seconds = std::atof(value().c_str());
    } else if (arg == "--threads") {
      threads = std::max(1, std::atoi(value().c_str()));
    } else if (arg == "--score-stdin") {
      score_stdin = true;
    } else {
      return Usage();
    }
  }
  if (tweets_path.empty()) tweets_path = data_dir + "/tweets_GroundTruth.txt";
  if (reference_path.empty()) {
    reference_path = data_dir + "/tweets_vader_reference_scores_v3.3.2.tsv";
  }

  const auto load_start = std::chrono::steady_clock::now();
  auto loaded = SentimentAnalyzer::Load(lexicon_dir);
  if (!loaded.ok()) {
    std::cerr << "sentiment_bench: " << loaded.status() << "\n";
    return 1;
  }
  const double load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - load_start)
          .count();
  const SentimentAnalyzer analyzer = *std::move(loaded);

  if (score_stdin) {
    std::string line;
    while (std::getline(std::cin, line)) {
      const SentimentScores s = analyzer.Score(line);
      std::printf("%.17g\t%.17g\t%.17g\t%.17g\n", s.neg, s.neu, s.pos, s.compound);
    }
    return 0;
  }

  const std::vector<Tweet> tweets = ReadTweets(tweets_path);
  const auto reference = ReadReference(reference_path);
  if (tweets.empty() || reference.empty()) {
    std::cerr << "sentiment_bench: cannot read " << tweets_path << " or " << reference_path << "\n";
    return 1;
  }

  // Check first: the timed code must produce the reference scores.
  std::size_t compound_ok = 0;
  std::size_t all_ok = 0;
  std::size_t bytes = 0;
  for (const Tweet& t : tweets) {
    bytes += t.text.size();
    const auto it = reference.find(t.id);
    if (it == reference.end()) continue;
    const SentimentScores got = analyzer.Score(t.text);
    const SentimentScores& want = it->second;
    const bool c = std::fabs(got.compound - want.compound) <= 0.001;
    compound_ok += c;
    all_ok += c && std::fabs(got.neg - want.neg) <= 0.001 &&
              std::fabs(got.neu - want.neu) <= 0.001 && std::fabs(got.pos - want.pos) <= 0.001;
  }
  const double share = static_cast<double>(compound_ok) / static_cast<double>(tweets.size());
  std::printf("check: cpp compound within 0.001 of reference: %zu/%zu (%.2f %%), all four: %zu\n",
              compound_ok, tweets.size(), 100.0 * share, all_ok);
  if (share < 0.99) {
    std::fprintf(stderr, "sentiment_bench: results disagree with the reference; not timing\n");
    return 1;
  }

  // Calibrate the number of rounds to last at least min_seconds, then time.
  long rounds = 1;
  for (;;) {
    const auto start = std::chrono::steady_clock::now();
    volatile double sink = ScoreRounds(analyzer, tweets, rounds);
    (void)sink;
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (secs >= min_seconds / 4 || rounds > (1L << 20)) {
      rounds = std::max(1L, static_cast<long>(std::ceil(rounds * min_seconds / secs)));
      break;
    }
    rounds *= 4;
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  std::atomic<double> total{0};
  for (int k = 0; k < threads; ++k) {
    workers.emplace_back([&] {
      const double c = ScoreRounds(analyzer, tweets, rounds);
      double cur = total.load();
      while (!total.compare_exchange_weak(cur, cur + c)) {
      }
    });
  }
  for (auto& w : workers) w.join();
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double texts = static_cast<double>(tweets.size()) * static_cast<double>(rounds) * threads;
  std::printf("lexicon load: %.1f ms\n", load_ms);
  std::printf("timed: %ld rounds x %zu texts x %d thread(s) in %.3f s (checksum %.4f)\n", rounds,
              tweets.size(), threads, secs, total.load());
  std::printf("cpp_texts_per_second=%.0f\n", texts / secs);
  std::printf("cpp_megabytes_per_second=%.1f\n",
              static_cast<double>(bytes) * static_cast<double>(rounds) * threads / secs / 1e6);
  return 0;
}
