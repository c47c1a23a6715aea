// The engine's engagement graph: PageRank kept up to date incrementally between publishes equals a
// from-scratch computation on the same engagements; deletes take their edges away; communities.
#include <random>

#include <gtest/gtest.h>

#include "analytics/engagement_graph.h"
#include "analytics/node_index.h"
#include "analytics/pagerank.h"
#include "engine/engine.h"

namespace reach::engine {
namespace {

using model::Post;
using model::PostKind;

const EventTime kT0 = EventTime::FromSeconds(1'700'000'000);

Post MakePost(uint64_t id, uint64_t author, PostKind kind, EventTime t, uint64_t parent = 0) {
  Post p;
  p.id = PostId{id};
  p.author = UserId{author};
  p.kind = kind;
  p.time = t;
  p.parent = PostId{parent};
  return p;
}

EngineOptions EveryPublish() {
  EngineOptions o;
  o.pagerank_refresh = Duration{};
  o.community_refresh = Duration{};
  return o;
}

TEST(EngineGraphTest, IncrementalPageRankEqualsFromScratch) {
  ManualClock clock;
  Engine engine(EveryPublish(), clock);
  std::mt19937_64 rng(11);
  std::vector<std::pair<uint64_t, uint64_t>> edges;  // resharer -> original author
  std::vector<uint64_t> authors_of;                  // post id - 1 -> author
  uint64_t id = 1;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 300; ++i) {
      const uint64_t author = 1 + rng() % 80;
      if (authors_of.size() < 20 || rng() % 3 == 0) {
        engine.Apply(MakePost(id, author, PostKind::kOriginal,
                              kT0 + Duration::Seconds(static_cast<int64_t>(id))));
      } else {
        // Reshare an original (v1.1 style: always the root).
        uint64_t parent = 1 + rng() % authors_of.size();
        while (authors_of[parent - 1] == 0) parent = 1 + rng() % authors_of.size();
        engine.Apply(MakePost(id, author, PostKind::kReshare,
                              kT0 + Duration::Seconds(static_cast<int64_t>(id)), parent));
        if (author != authors_of[parent - 1]) edges.emplace_back(author, authors_of[parent - 1]);
        authors_of.push_back(0);  // reshares are not reshared here
        ++id;
        continue;
      }
      authors_of.push_back(author);
      ++id;
    }
    clock.Advance(Duration::Seconds(1));
    engine.Publish();  // incremental update from the previous vector
  }
  auto snap = engine.Publish();

  // From scratch, independently of the engine.
  analytics::NodeIndex index;
  std::vector<analytics::WeightedEdge> list;
  for (auto [from, to] : edges) {
    uint32_t a = *index.GetOrAdd(from), b = *index.GetOrAdd(to);
    list.push_back({a, b, 1.0f});
  }
  auto csr = analytics::CsrGraph::FromEdges(static_cast<uint32_t>(index.size()), list);
  ASSERT_TRUE(csr.ok());
  analytics::PageRank fresh;
  ASSERT_TRUE(fresh.Run(*csr).ok());
  double l1 = 0;
  size_t compared = 0;
  const double n = static_cast<double>(index.size());
  for (const InfluencerRow& row : snap->board(Window::kAll).rows) {
    auto node = index.Find(row.user.value);
    if (!node) continue;
    l1 += std::abs(row.pagerank / n - fresh.Score(*node));
    ++compared;
  }
  EXPECT_EQ(compared, index.size());
  EXPECT_LT(l1, 1e-6);
  ASSERT_NE(snap->graph, nullptr);
  EXPECT_EQ(snap->graph->nodes, index.size());
}

TEST(EngineGraphTest, DeletesRemoveEdgesAndCommunitiesFollowClusters) {
  ManualClock clock;
  Engine engine(EveryPublish(), clock);
  uint64_t id = 1;
  // Two groups that reshare only each other: 1-5 and 11-15.
  for (uint64_t group : {0, 10}) {
    for (uint64_t a = 1; a <= 5; ++a) {
      const uint64_t original = id++;
      engine.Apply(MakePost(original, group + a, PostKind::kOriginal, kT0));
      for (uint64_t b = 1; b <= 5; ++b) {
        if (b != a) engine.Apply(MakePost(id++, group + b, PostKind::kReshare, kT0, original));
      }
    }
  }
  auto snap = engine.Publish();
  ASSERT_NE(snap->graph, nullptr);
  EXPECT_EQ(snap->graph->nodes, 10u);
  EXPECT_EQ(snap->graph->edges, 40u);
  ASSERT_EQ(snap->graph->communities.size(), 2u);
  EXPECT_EQ(snap->graph->communities[0].size, 5u);
  const auto& rows = snap->board(Window::kAll).rows;
  auto community_of = [&](uint64_t user) {
    for (const auto& r : rows) {
      if (r.user == UserId{user}) return r.community;
    }
    return int64_t{-2};
  };
  EXPECT_EQ(community_of(1), community_of(5));
  EXPECT_EQ(community_of(11), community_of(15));
  EXPECT_NE(community_of(1), community_of(11));
  EXPECT_GT(snap->graph->modularity, 0.4);

  // Deleting user 1's first original removes the four reshares' edges into user 1.
  engine.Apply(model::Delete{PostId{1}, UserId{1}, kT0 + Duration::Seconds(1)});
  clock.Advance(Duration::Seconds(1));
  snap = engine.Publish();
  EXPECT_EQ(snap->graph->edges, 36u);
}

// An idle source must not leave the newest engagements unranked: once the refresh interval has
// passed, AnalysesDue asks for a publish, which ranks them and catches the communities up.
TEST(EngineGraphTest, AnalysesDueCatchesUpWithoutNewEvents) {
  ManualClock clock;
  EngineOptions options;
  options.pagerank_refresh = Duration::Seconds(2);
  options.community_refresh = Duration::Seconds(30);
  Engine engine(options, clock);
  engine.Apply(MakePost(1, 1, PostKind::kOriginal, kT0));
  engine.Apply(MakePost(2, 2, PostKind::kReshare, kT0 + Duration::Seconds(1), 1));
  EXPECT_TRUE(engine.AnalysesDue(clock.Now()));  // never ranked
  engine.Publish();
  EXPECT_FALSE(engine.AnalysesDue(clock.Now()));
  // A new engagement right after a refresh waits for the interval.
  clock.Advance(Duration::Seconds(1));
  engine.Apply(MakePost(3, 3, PostKind::kOriginal, kT0 + Duration::Seconds(2)));
  engine.Apply(MakePost(4, 4, PostKind::kReshare, kT0 + Duration::Seconds(3), 3));
  auto early = engine.Publish();
  ASSERT_NE(early->graph, nullptr);
  EXPECT_EQ(early->graph->nodes, 2u);  // posts 3 and 4 are not ranked yet
  EXPECT_FALSE(engine.AnalysesDue(clock.Now()));
  clock.Advance(Duration::Seconds(2));
  EXPECT_TRUE(engine.AnalysesDue(clock.Now()));  // no new event, but the ranking is behind
  auto ranked = engine.Publish();
  EXPECT_EQ(ranked->graph->nodes, 4u);
  EXPECT_FALSE(engine.AnalysesDue(clock.Now()));
  // The communities were last computed on the first two accounts; they catch up on their own
  // interval, again without new events.
  EXPECT_EQ(ranked->graph->community_of.count(UserId{4}), 0u);
  clock.Advance(Duration::Seconds(30));
  EXPECT_TRUE(engine.AnalysesDue(clock.Now()));
  auto caught_up = engine.Publish();
  EXPECT_EQ(caught_up->graph->community_of.count(UserId{4}), 1u);
  EXPECT_FALSE(engine.AnalysesDue(clock.Now()));
}

}  // namespace
}  // namespace reach::engine
