#include "analytics/space_saving.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "analytics/terms.h"

namespace reach::analytics {
namespace {

using ::testing::ElementsAre;

SpaceSaving Make(std::size_t k) {
  auto s = SpaceSaving::Create(k);
  EXPECT_TRUE(s.ok()) << s.status();
  return *std::move(s);
}

std::vector<std::pair<std::string, int64_t>> KeyCounts(const std::vector<SpaceSaving::Entry>& v) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& e : v) out.emplace_back(e.key, e.count);
  return out;
}

// Exact counts sorted like SpaceSaving::Top(): count descending, key ascending.
std::vector<std::pair<std::string, int64_t>> ExactTop(const std::map<std::string, int64_t>& exact,
                                                      std::size_t n) {
  std::vector<std::pair<std::string, int64_t>> all(exact.begin(), exact.end());
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (all.size() > n) all.resize(n);
  return all;
}

// Checks the Space-Saving guarantees of `s` against the exact counts of the same stream.
void ExpectGuarantees(const SpaceSaving& s, const std::map<std::string, int64_t>& exact) {
  int64_t n = 0;
  for (const auto& [key, count] : exact) n += count;
  ASSERT_EQ(s.total(), n);
  const double bound = static_cast<double>(n) / static_cast<double>(s.capacity());
  EXPECT_LE(static_cast<double>(s.min_count()), bound);
  int64_t sum_counts = 0;
  for (const auto& e : s.entries()) {
    const auto it = exact.find(e.key);
    const int64_t truth = it == exact.end() ? 0 : it->second;
    sum_counts += e.count;
    EXPECT_GE(e.count, truth) << e.key;
    EXPECT_LE(e.count - e.error, truth) << e.key;
    EXPECT_LE(static_cast<double>(e.error), bound) << e.key;
  }
  EXPECT_EQ(sum_counts, n);  // every offered unit is accounted to exactly one monitored key
  for (const auto& [key, count] : exact) {
    if (static_cast<double>(count) > bound) {
      EXPECT_NE(s.Find(key), nullptr) << key << " has " << count << " > N/k = " << bound;
    }
    if (s.Find(key) == nullptr) {
      EXPECT_LE(count, s.unmonitored_bound()) << key;
    }
  }
}

TEST(SpaceSavingTest, CreateRejectsZeroCapacity) {
  auto s = SpaceSaving::Create(0);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SpaceSavingTest, ExactWhileDistinctKeysFitCapacity) {
  SpaceSaving s = Make(4);
  for (const char* k : {"b", "a", "c", "a", "b", "a", "d"}) s.Offer(k);
  EXPECT_THAT(KeyCounts(s.Top(10)), ElementsAre(std::pair<std::string, int64_t>{"a", 3},
                                                std::pair<std::string, int64_t>{"b", 2},
                                                std::pair<std::string, int64_t>{"c", 1},
                                                std::pair<std::string, int64_t>{"d", 1}));
  for (const auto& e : s.entries()) EXPECT_EQ(e.error, 0);
  EXPECT_EQ(s.evictions(), 0);
  EXPECT_EQ(s.unmonitored_bound(), 0);
  EXPECT_EQ(s.min_count(), 1);  // full
  EXPECT_EQ(s.total(), 7);
  EXPECT_THAT(KeyCounts(s.Top(2)), ElementsAre(std::pair<std::string, int64_t>{"a", 3},
                                               std::pair<std::string, int64_t>{"b", 2}));
}

TEST(SpaceSavingTest, NewKeyReplacesMinimumAndInheritsItsCountAsError) {
  SpaceSaving s = Make(2);
  s.Offer("a", 5);
  s.Offer("b", 2);
  s.Offer("c");  // replaces b (count 2): c = 3 with error 2
  ASSERT_EQ(s.Find("b"), nullptr);
  const SpaceSaving::Entry* c = s.Find("c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->count, 3);
  EXPECT_EQ(c->error, 2);
  EXPECT_EQ(s.evictions(), 1);
  EXPECT_EQ(s.unmonitored_bound(), 3);
  s.Offer("d", 4);  // replaces c (3): d = 7, error 3
  EXPECT_EQ(s.Find("c"), nullptr);
  EXPECT_EQ(s.Find("d")->count, 7);
  EXPECT_EQ(s.Find("d")->error, 3);
  EXPECT_EQ(s.Top(1)[0].key, "d");
}

TEST(SpaceSavingTest, WeightsAndValueMeans) {
  SpaceSaving s = Make(8);
  s.Offer("x", 3, 0.5);
  s.Offer("x", 1, -1.0);
  s.Offer("x", 2);  // no value
  s.Offer("y", 1);
  s.Offer("z", 0);   // ignored
  s.Offer("z", -4);  // ignored
  const SpaceSaving::Entry* x = s.Find("x");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->count, 6);
  ASSERT_TRUE(x->value_mean().has_value());
  EXPECT_DOUBLE_EQ(*x->value_mean(), (3 * 0.5 - 1.0) / 4);
  EXPECT_FALSE(s.Find("y")->value_mean().has_value());
  EXPECT_EQ(s.Find("z"), nullptr);
  EXPECT_EQ(s.total(), 7);
}

TEST(SpaceSavingTest, RemoveUndoesOffer) {
  SpaceSaving s = Make(16);
  SpaceSaving reference = Make(16);
  for (int i = 0; i < 50; ++i) {
    const std::string key = "k" + std::to_string(i % 7);
    s.Offer(key, 1 + i % 3, 0.1 * (i % 5));
    reference.Offer(key, 1 + i % 3, 0.1 * (i % 5));
  }
  s.Offer("k1", 4, 0.9);
  s.Offer("gone", 2, -0.5);
  EXPECT_TRUE(s.Remove("k1", 4, 0.9).ok());
  EXPECT_TRUE(s.Remove("gone", 2, -0.5).ok());
  EXPECT_EQ(s.Find("gone"), nullptr);
  EXPECT_EQ(s.total(), reference.total());
  const auto got = s.Top(16);
  const auto want = reference.Top(16);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].key, want[i].key);
    EXPECT_EQ(got[i].count, want[i].count);
    EXPECT_EQ(got[i].error, want[i].error);
    ASSERT_TRUE(got[i].value_mean().has_value());
    EXPECT_NEAR(*got[i].value_mean(), *want[i].value_mean(), 1e-12);
  }
  EXPECT_EQ(s.Remove("never", 1).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.Remove("k1", 0).code(), absl::StatusCode::kInvalidArgument);
}

TEST(SpaceSavingTest, RemovedMinimumIsNoLongerTheEvictionVictim) {
  SpaceSaving s = Make(3);
  s.Offer("a", 5);
  s.Offer("b", 1);
  s.Offer("c", 3);
  ASSERT_TRUE(s.Remove("a", 5).ok());  // a dropped, heap repaired
  s.Offer("d", 2);                     // fits without eviction
  EXPECT_EQ(s.evictions(), 0);
  s.Offer("e", 1);  // evicts b (1): e = 2, error 1
  EXPECT_EQ(s.Find("b"), nullptr);
  EXPECT_EQ(s.Find("e")->count, 2);
  EXPECT_EQ(s.Find("e")->error, 1);
  EXPECT_EQ(s.Find("c")->count, 3);
  EXPECT_EQ(s.Find("d")->count, 2);
}

// Zipf(s) over `universe` items, deterministic for a seed.
std::vector<std::string> ZipfStream(std::size_t n, std::size_t universe, double skew,
                                    uint64_t seed) {
  std::vector<double> cdf(universe);
  double sum = 0;
  for (std::size_t i = 0; i < universe; ++i) {
    sum += 1.0 / std::pow(static_cast<double>(i + 1), skew);
    cdf[i] = sum;
  }
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, sum);
  std::vector<std::string> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto rank =
        static_cast<std::size_t>(std::lower_bound(cdf.begin(), cdf.end(), u(rng)) - cdf.begin());
    out.push_back("item" + std::to_string(std::min(rank, universe - 1)));
  }
  return out;
}

TEST(SpaceSavingTest, ZipfStreamMeetsTheGuaranteesAgainstExactCounts) {
  for (const double skew : {0.8, 1.1, 1.5}) {
    SCOPED_TRACE(skew);
    const auto stream = ZipfStream(100000, 20000, skew, 42);
    std::map<std::string, int64_t> exact;
    SpaceSaving s = Make(200);
    for (const auto& key : stream) {
      ++exact[key];
      s.Offer(key);
    }
    EXPECT_GT(s.evictions(), 0);
    ExpectGuarantees(s, exact);
    if (skew >= 1.1) {
      // The heavy head of a skewed stream is ranked exactly.
      EXPECT_EQ(KeyCounts(s.Top(10)).size(), 10u);
      std::vector<std::string> got;
      std::vector<std::string> want;
      for (const auto& e : s.Top(10)) got.push_back(e.key);
      for (const auto& [key, count] : ExactTop(exact, 10)) want.push_back(key);
      EXPECT_EQ(got, want);
    }
  }
}

// Every "hashtags" array in a JSON value: v1.1 {"text": ..} and v2 {"tag": ..} entries.
void CollectHashtags(simdjson::dom::element el, std::vector<std::string>* out) {
  if (el.is_array()) {
    for (simdjson::dom::element child : el.get_array()) CollectHashtags(child, out);
    return;
  }
  if (!el.is_object()) return;
  for (simdjson::dom::key_value_pair field : el.get_object()) {
    if (field.key == "hashtags" && field.value.is_array()) {
      for (simdjson::dom::element tag : field.value.get_array()) {
        std::string_view text;
        if (tag["text"].get(text) == simdjson::SUCCESS ||
            tag["tag"].get(text) == simdjson::SUCCESS) {
          out->push_back(NormalizeHashtag(text));
        }
      }
    } else {
      CollectHashtags(field.value, out);
    }
  }
}

std::vector<std::string> SampleHashtags() {
  const std::string root = REACH_SHARED_DATA;
  std::vector<std::string> files = {root + "/twitter-v1/all_fixture_tweets_v11.jsonl",
                                    root +
                                        "/twitter-v2/twarc-network/"
                                        "tweets_blacklivesmatter_2021-06-26.jsonl",
                                    root + "/twitter-v2/tweepy-v2/tweepy_v2_responses.jsonl"};
  std::vector<std::string> csv;
  for (const auto& entry : std::filesystem::directory_iterator(root + "/twitter-v2/twarc-csv")) {
    if (entry.path().extension() == ".jsonl") csv.push_back(entry.path().string());
  }
  std::sort(csv.begin(), csv.end());
  files.insert(files.end(), csv.begin(), csv.end());

  std::vector<std::string> tags;
  simdjson::dom::parser parser;
  for (const auto& path : files) {
    std::ifstream in(path);
    EXPECT_TRUE(in) << path;
    std::string line;
    while (std::getline(in, line)) {
      simdjson::dom::element doc;
      if (parser.parse(line).get(doc) != simdjson::SUCCESS) continue;  // one deliberately bad line
      CollectHashtags(doc, &tags);
    }
  }
  return tags;
}

TEST(SpaceSavingTest, TwitterSampleHashtagsTop20MatchesExactCounts) {
  const std::vector<std::string> tags = SampleHashtags();
  std::map<std::string, int64_t> exact;
  for (const auto& t : tags) ++exact[t];
  ASSERT_GT(tags.size(), 5000u);
  ASSERT_GT(exact.size(), 1000u);
  // The samples are about Black Lives Matter, Brexit and K-pop.
  const auto top20 = ExactTop(exact, 20);
  EXPECT_EQ(top20[0].first, "blacklivesmatter");

  // A capacity above the number of distinct tags is exact: the same top 20, counts and order.
  SpaceSaving exact_summary = Make(exact.size());
  for (const auto& t : tags) exact_summary.Offer(t);
  EXPECT_EQ(KeyCounts(exact_summary.Top(20)), top20);

  // A small capacity (k = 300 for ~2,000 distinct tags, N/k ~ 25): the guarantees hold, every
  // exact top-20 tag (count >= 43 > N/k) is monitored with bounds around its true count, the
  // i-th reported count bounds the i-th true count from above, and the well-separated head
  // (586, 240, 210, then <= 98) is ranked exactly.
  SpaceSaving small = Make(300);
  for (const auto& t : tags) small.Offer(t);
  EXPECT_GT(small.evictions(), 0);
  ExpectGuarantees(small, exact);
  const auto reported = small.Top(20);
  ASSERT_EQ(reported.size(), 20u);
  for (std::size_t i = 0; i < 20; ++i) {
    const SpaceSaving::Entry* e = small.Find(top20[i].first);
    ASSERT_NE(e, nullptr) << top20[i].first;
    EXPECT_GE(e->count, top20[i].second);
    EXPECT_LE(e->count - e->error, top20[i].second);
    EXPECT_GE(reported[i].count, top20[i].second) << i;
  }
  EXPECT_EQ(reported[0].key, top20[0].first);
  EXPECT_EQ(reported[1].key, top20[1].first);
  EXPECT_EQ(reported[2].key, top20[2].first);
}

}  // namespace
}  // namespace reach::analytics
