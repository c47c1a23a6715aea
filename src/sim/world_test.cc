#include "sim/world.h"

#include <algorithm>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace reach::sim {
namespace {

std::unique_ptr<World> MakeWorld(uint64_t seed, uint64_t users, double degree = 30) {
  WorldOptions o;
  o.seed = seed;
  o.users = users;
  o.follow_degree = degree;
  auto world = World::Build(o);
  EXPECT_TRUE(world.ok()) << world.status();
  return std::move(world).value();
}

TEST(WorldTest, RejectsBadOptions) {
  WorldOptions o;
  o.users = 1;
  auto w = World::Build(o);
  ASSERT_EQ(w.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(w.status().message().substr(0, 6), "users:");
  o.users = 100;
  o.geo_affinity = 0.7;
  o.topic_affinity = 0.5;
  w = World::Build(o);
  ASSERT_EQ(w.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(w.status().message().find("geo_affinity"), std::string_view::npos);
}

TEST(WorldTest, GraphIsWellFormed) {
  auto w = MakeWorld(1, 3000);
  ASSERT_EQ(w->size(), 3000u);
  uint64_t in = 0;
  uint64_t out = 0;
  for (uint32_t u = 0; u < w->size(); ++u) {
    const auto f = w->Followers(u);
    EXPECT_TRUE(std::is_sorted(f.begin(), f.end()));
    EXPECT_EQ(std::adjacent_find(f.begin(), f.end()), f.end()) << "duplicate follower of " << u;
    EXPECT_EQ(std::find(f.begin(), f.end(), u), f.end()) << "self-follow " << u;
    for (uint32_t v : f) EXPECT_TRUE(w->Follows(v, u));
    in += f.size();
    out += w->FollowingCount(u);
  }
  EXPECT_EQ(in, out);
  EXPECT_EQ(in, w->edge_count());
  // Mean out-degree close to the requested 30 (repeats removed).
  EXPECT_GT(static_cast<double>(out) / w->size(), 24.0);
  EXPECT_LT(static_cast<double>(out) / w->size(), 31.0);
}

TEST(WorldTest, SameSeedSameWorldDifferentSeedDifferent) {
  auto a = MakeWorld(5, 2000);
  auto b = MakeWorld(5, 2000);
  auto c = MakeWorld(6, 2000);
  ASSERT_EQ(a->edge_count(), b->edge_count());
  bool differs = a->edge_count() != c->edge_count();
  NameBuffer x;
  NameBuffer y;
  for (uint32_t u = 0; u < a->size(); ++u) {
    const auto fa = a->Followers(u);
    const auto fb = b->Followers(u);
    ASSERT_TRUE(std::equal(fa.begin(), fa.end(), fb.begin(), fb.end()));
    EXPECT_EQ(a->ScreenName(u, x), b->ScreenName(u, y));
    EXPECT_EQ(a->HomeIndex(u), b->HomeIndex(u));
    const auto fc = c->Followers(u);
    differs = differs || !std::equal(fa.begin(), fa.end(), fc.begin(), fc.end());
  }
  EXPECT_TRUE(differs);
}

TEST(WorldTest, FollowerCountsAreHeavyTailed) {
  auto w = MakeWorld(3, 20'000);
  std::vector<uint32_t> counts;
  for (uint32_t u = 0; u < w->size(); ++u) counts.push_back(w->FollowerCount(u));
  std::sort(counts.begin(), counts.end());
  const uint32_t median = counts[counts.size() / 2];
  const uint32_t max = counts.back();
  EXPECT_GT(max, 50u * std::max<uint32_t>(median, 1)) << "median " << median << " max " << max;
  // The top 1 % hold a large share of all follows.
  uint64_t top = 0;
  for (size_t i = counts.size() - counts.size() / 100; i < counts.size(); ++i) top += counts[i];
  // (Without a heavy tail they would hold about 3 %.)
  EXPECT_GT(static_cast<double>(top) / static_cast<double>(w->edge_count()), 0.15);
  // The most-followed accounts are verified.
  uint32_t best = 0;
  for (uint32_t u = 1; u < w->size(); ++u) {
    if (w->FollowerCount(u) > w->FollowerCount(best)) best = u;
  }
  EXPECT_TRUE(w->Verified(best));
}

TEST(WorldTest, FollowsClusterByPlaceAndTopic) {
  auto w = MakeWorld(4, 20'000);
  uint64_t same_place = 0;
  uint64_t same_topic = 0;
  for (uint32_t v = 0; v < w->size(); ++v) {
    for (uint32_t u : w->Followers(v)) {
      same_place += w->HomeIndex(u) == w->HomeIndex(v);
      same_topic += w->Topic(u) == w->Topic(v);
    }
  }
  const double edges = static_cast<double>(w->edge_count());
  // Without communities these would be about 0.02 (places) and 1/12 (topics).
  EXPECT_GT(same_place / edges, 0.25);
  EXPECT_GT(same_topic / edges, 0.35);
}

TEST(WorldTest, NamesAndLocations) {
  auto w = MakeWorld(2, 5000);
  std::set<std::string> handles;
  std::set<std::string> dids;
  int empty = 0;
  int real = 0;
  NameBuffer buf;
  for (uint32_t u = 0; u < w->size(); ++u) {
    const std::string handle(w->ScreenName(u, buf));
    ASSERT_FALSE(handle.empty());
    for (char c : handle) ASSERT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) << handle;
    handles.insert(handle);
    const std::string did(w->Did(u, buf));
    ASSERT_EQ(did.size(), 32u) << did;
    ASSERT_EQ(did.substr(0, 8), "did:plc:");
    for (char c : did.substr(8)) ASSERT_TRUE((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'));
    dids.insert(did);
    const std::string_view loc = w->ProfileLocation(u);
    empty += loc.empty();
    if (w->LocatesHome(u)) {
      ++real;
      EXPECT_EQ(loc, w->Home(u).text);
    }
    EXPECT_LT(w->Created(u).seconds(), w->options().start_time_s);
    EXPECT_GT(w->Created(u).seconds(), 1'167'609'599);
  }
  EXPECT_EQ(handles.size(), w->size());
  EXPECT_EQ(dids.size(), w->size());
  EXPECT_NEAR(empty / 5000.0, 0.2, 0.03);
  EXPECT_NEAR(real / 5000.0, 0.75, 0.03);
}

}  // namespace
}  // namespace reach::sim
