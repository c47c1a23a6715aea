// Cascade parents (exact, inferred over follow edges, root), the trees and summaries the API asks
// for, and their independence of arrival order and deletes.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "engine/query_channel.h"
#include "engine/snapshot_read_model.h"

namespace reach::engine {
namespace {

using model::Post;
using model::PostKind;

const EventTime kT0 = EventTime::FromSeconds(1'700'000'000);

EventTime At(int64_t seconds) { return kT0 + Duration::Seconds(seconds); }

Post MakePost(uint64_t id, uint64_t author, PostKind kind, EventTime t, uint64_t parent = 0,
              bool exact = false) {
  Post p;
  p.id = PostId{id};
  p.author = UserId{author};
  p.kind = kind;
  p.time = t;
  p.parent = PostId{parent};
  p.parent_exact = exact;
  return p;
}

model::Follow MakeFollow(uint64_t follower, uint64_t followee, bool follow = true) {
  model::Follow f;
  f.follower = UserId{follower};
  f.followee = UserId{followee};
  f.follow = follow;
  f.time = kT0;
  return f;
}

const CascadeNode* NodeOf(const CascadeReport& r, uint64_t post) {
  for (const CascadeNode& n : r.nodes) {
    if (n.post == PostId{post}) return &n;
  }
  return nullptr;
}

class CascadeEngineTest : public ::testing::Test {
 protected:
  ManualClock clock_;
  Engine engine_{EngineOptions{}, clock_};
};

TEST_F(CascadeEngineTest, WithoutFollowEdgesReshareHangsUnderTheNamedPost) {
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, At(0)));
  engine_.Apply(MakePost(11, 2, PostKind::kReshare, At(5), 10));
  engine_.Apply(MakePost(12, 3, PostKind::kReshare, At(6), 10));
  engine_.Apply(MakePost(13, 4, PostKind::kQuote, At(7), 11));
  auto r = engine_.Cascade(PostId{10}, 100);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->size, 4);
  EXPECT_EQ(r->depth, 2);
  EXPECT_EQ(r->max_breadth, 2);
  EXPECT_EQ(NodeOf(*r, 10)->method, ParentMethod::kNone);
  EXPECT_EQ(NodeOf(*r, 11)->method, ParentMethod::kRoot);
  EXPECT_EQ(NodeOf(*r, 13)->method, ParentMethod::kExact);
  EXPECT_EQ(NodeOf(*r, 13)->parent, PostId{11});
  EXPECT_EQ(r->methods[0], 1);
  EXPECT_EQ(r->methods[1], 0);
  EXPECT_EQ(r->methods[2], 2);
  // Pairs: 10-11 1, 10-12 1, 10-13 2, 11-12 2, 11-13 1, 12-13 3 -> 10 / 6.
  EXPECT_DOUBLE_EQ(r->structural_virality, 10.0 / 6.0);
  EXPECT_DOUBLE_EQ(r->t50_seconds, 5);
  EXPECT_DOUBLE_EQ(r->t90_seconds, 7);
  EXPECT_EQ(r->started, At(0));
  EXPECT_EQ(r->last_activity, At(7));
}

TEST_F(CascadeEngineTest, FollowEdgeMakesTheParentTheMostRecentFollowedAdopter) {
  engine_.AddFollowEdges({{UserId{4}, UserId{2}}, {UserId{4}, UserId{3}}});
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, At(0)));
  engine_.Apply(MakePost(11, 2, PostKind::kReshare, At(5), 10));
  engine_.Apply(MakePost(12, 3, PostKind::kReshare, At(6), 10));
  engine_.Apply(MakePost(13, 5, PostKind::kReshare, At(7), 10));
  engine_.Apply(MakePost(14, 4, PostKind::kReshare, At(8), 10));
  auto r = engine_.Cascade(PostId{14}, 100);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->root, PostId{10});
  EXPECT_EQ(r->requested, PostId{14});
  const CascadeNode* n = NodeOf(*r, 14);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->parent, PostId{12});  // user 3's, the most recent adopter user 4 follows
  EXPECT_EQ(n->method, ParentMethod::kInferredFollow);
  EXPECT_EQ(n->depth, 2);
  EXPECT_EQ(r->depth, 2);
  EXPECT_EQ(engine_.FindPost(PostId{14})->depth, 2);
  // Credit follows the chosen parent: user 3 gets the reshare, user 1 the depth.
  EXPECT_EQ(engine_.Metrics(UserId{3}, Window::kAll).reshares, 1);
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).reshares, 3);
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).depth, 2);
}

TEST_F(CascadeEngineTest, FollowEventsAndUnfollowsFeedInference) {
  engine_.Apply(MakeFollow(3, 2));
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, At(0)));
  engine_.Apply(MakePost(11, 2, PostKind::kReshare, At(5), 10));
  engine_.Apply(MakePost(12, 3, PostKind::kReshare, At(6), 10));
  EXPECT_EQ(engine_.FindPost(PostId{12})->parent, PostId{11});
  EXPECT_EQ(engine_.FindPost(PostId{12})->parent_method, ParentMethod::kInferredFollow);
  engine_.Apply(MakeFollow(3, 2, /*follow=*/false));
  engine_.Apply(MakePost(13, 3, PostKind::kReshare, At(7), 10));
  EXPECT_EQ(engine_.FindPost(PostId{13})->parent, PostId{10});
  EXPECT_EQ(engine_.FindPost(PostId{13})->parent_method, ParentMethod::kRoot);
}

TEST_F(CascadeEngineTest, ExactParentIsNeverInferredOver) {
  engine_.AddFollowEdges({{UserId{4}, UserId{3}}});
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, At(0)));
  engine_.Apply(MakePost(11, 2, PostKind::kReshare, At(5), 10));
  engine_.Apply(MakePost(12, 3, PostKind::kReshare, At(6), 10));
  engine_.Apply(MakePost(13, 4, PostKind::kReshare, At(7), 11, /*exact=*/true));
  auto r = engine_.Cascade(PostId{10}, 100);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(NodeOf(*r, 13)->parent, PostId{11});
  EXPECT_EQ(NodeOf(*r, 13)->method, ParentMethod::kExact);
}

TEST_F(CascadeEngineTest, LateEarlierAdopterTakesOverAndDeleteHandsBack) {
  engine_.AddFollowEdges({{UserId{4}, UserId{2}}});
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, At(0)));
  engine_.Apply(MakePost(14, 4, PostKind::kReshare, At(8), 10));
  EXPECT_EQ(engine_.FindPost(PostId{14})->parent, PostId{10});
  engine_.Apply(MakePost(11, 2, PostKind::kReshare, At(5), 10));  // earlier, arrives late
  EXPECT_EQ(engine_.FindPost(PostId{14})->parent, PostId{11});
  EXPECT_EQ(engine_.FindPost(PostId{14})->depth, 2);
  EXPECT_EQ(engine_.Metrics(UserId{2}, Window::kAll).reshares, 1);
  engine_.Apply(model::Delete{PostId{11}, UserId{2}, At(9)});
  EXPECT_EQ(engine_.FindPost(PostId{14})->parent, PostId{10});
  EXPECT_EQ(engine_.FindPost(PostId{14})->parent_method, ParentMethod::kRoot);
  EXPECT_EQ(engine_.FindPost(PostId{14})->depth, 1);
  EXPECT_EQ(engine_.Metrics(UserId{2}, Window::kAll).reshares, 0);
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).reshares, 1);
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).depth, 1);
}

TEST_F(CascadeEngineTest, UnknownPostsAndTruncation) {
  EXPECT_EQ(engine_.Cascade(PostId{99}, 10).status().code(), absl::StatusCode::kNotFound);
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, At(0)));
  for (uint64_t i = 0; i < 20; ++i) {
    engine_.Apply(
        MakePost(100 + i, 50 + i, PostKind::kReshare, At(1 + static_cast<int64_t>(i)), 10));
  }
  auto r = engine_.Cascade(PostId{10}, 5);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size, 21);
  EXPECT_EQ(r->nodes.size(), 5u);
  EXPECT_TRUE(r->truncated);
  EXPECT_EQ(r->nodes[0].post, PostId{10});
}

TEST_F(CascadeEngineTest, UserCascadesLargestAndDeepest) {
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, At(0)));
  engine_.Apply(MakePost(11, 2, PostKind::kReshare, At(1), 10));
  engine_.Apply(MakePost(12, 3, PostKind::kReshare, At(2), 10));
  engine_.Apply(MakePost(13, 4, PostKind::kReshare, At(3), 10));
  engine_.Apply(MakePost(20, 1, PostKind::kOriginal, At(100'000)));
  engine_.Apply(MakePost(21, 2, PostKind::kQuote, At(100'001), 20));
  engine_.Apply(MakePost(22, 3, PostKind::kQuote, At(100'002), 21));
  engine_.Apply(MakePost(30, 1, PostKind::kOriginal, At(100'003)));
  UserCascades all = engine_.UserCascadesOf(UserId{1}, Window::kAll, 2);
  ASSERT_EQ(all.largest.size(), 2u);
  EXPECT_EQ(all.largest[0].root, PostId{10});
  EXPECT_EQ(all.largest[1].root, PostId{20});
  ASSERT_EQ(all.deepest.size(), 2u);
  EXPECT_EQ(all.deepest[0].root, PostId{20});
  EXPECT_EQ(all.deepest[0].depth, 2);
  EXPECT_TRUE(all.deepest[0].nodes.empty());
  // The 24h window ends at the newest event: the first cascade started before it.
  UserCascades day = engine_.UserCascadesOf(UserId{1}, Window::k24h, 10);
  ASSERT_EQ(day.largest.size(), 2u);
  EXPECT_EQ(day.largest[0].root, PostId{20});
  EXPECT_TRUE(engine_.UserCascadesOf(UserId{9}, Window::kAll, 10).largest.empty());
}

// Random cascades over a random follow graph: every tree and metric is the same whatever the
// arrival order, and deleting reshares leaves what never seeing them would.
struct World {
  std::vector<std::pair<UserId, UserId>> follows;
  std::vector<model::Event> posts;
  std::vector<uint64_t> deleted;  // reshares deleted
};

World MakeWorld(uint64_t seed) {
  std::mt19937_64 rng(seed);
  World w;
  for (uint64_t a = 1; a <= 25; ++a) {
    for (uint64_t b = 1; b <= 25; ++b) {
      if (a != b && rng() % 4 == 0) w.follows.emplace_back(UserId{a}, UserId{b});
    }
  }
  std::vector<uint64_t> originals;
  for (uint64_t i = 0; i < 400; ++i) {
    const uint64_t id = 1000 + i;
    const uint64_t author = 1 + rng() % 25;
    const EventTime t = At(static_cast<int64_t>(rng() % 5000));
    if (originals.size() < 10 || rng() % 8 == 0) {
      // Originals early, so that their reshares come later in time.
      w.posts.push_back(
          MakePost(id, author, PostKind::kOriginal, At(-100'000 + static_cast<int64_t>(i))));
      originals.push_back(id);
    } else if (rng() % 10 == 0) {
      w.posts.push_back(
          MakePost(id, author, PostKind::kQuote, t, originals[rng() % originals.size()]));
    } else {
      w.posts.push_back(
          MakePost(id, author, PostKind::kReshare, t, originals[rng() % originals.size()]));
      if (rng() % 6 == 0) w.deleted.push_back(id);
    }
  }
  return w;
}

struct Outcome {
  std::vector<std::tuple<uint64_t, uint64_t, uint64_t, int, int32_t>>
      nodes;  // post root parent method depth
  std::vector<std::tuple<uint64_t, int, int64_t, int64_t, int64_t, int32_t>> metrics;
  std::vector<std::tuple<uint64_t, int64_t, int32_t, double>> cascades;
};

Outcome RunWorld(const World& w, const std::vector<model::Event>& events) {
  ManualClock clock;
  Engine e(EngineOptions{}, clock);
  e.AddFollowEdges(w.follows);
  for (const auto& ev : events) e.Apply(ev);
  Outcome o;
  for (const auto& ev : w.posts) {
    const Post& p = std::get<Post>(ev);
    if (auto r = e.Cascade(p.id, 100'000); r.ok()) {
      const CascadeNode* n = NodeOf(*r, p.id.value);
      o.nodes.emplace_back(p.id.value, r->root.value, n->parent.value, static_cast<int>(n->method),
                           n->depth);
      if (r->root == p.id) {
        o.cascades.emplace_back(p.id.value, r->size, r->depth, r->structural_virality);
      }
    }
  }
  for (uint64_t u = 1; u <= 25; ++u) {
    for (Window win : kAllWindows) {
      UserMetrics m = e.Metrics(UserId{u}, win);
      o.metrics.emplace_back(u, static_cast<int>(win), m.posts, m.reshares, m.quotes, m.depth);
    }
  }
  return o;
}

TEST(CascadeOrderTest, InferredTreesDoNotDependOnArrivalOrder) {
  for (uint64_t seed : {1, 2, 3}) {
    World w = MakeWorld(seed);
    std::vector<model::Event> by_time = w.posts;
    std::stable_sort(by_time.begin(), by_time.end(), [](const auto& a, const auto& b) {
      return std::get<Post>(a).time < std::get<Post>(b).time;
    });
    std::vector<model::Event> shuffled = w.posts;
    std::mt19937_64 rng(seed * 31);
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    Outcome a = RunWorld(w, by_time);
    Outcome b = RunWorld(w, shuffled);
    int inferred = 0;
    for (const auto& n : a.nodes)
      inferred += std::get<3>(n) == static_cast<int>(ParentMethod::kInferredFollow);
    EXPECT_GT(inferred, 50) << "the world should exercise inference";
    EXPECT_EQ(a.nodes, b.nodes) << "seed " << seed;
    EXPECT_EQ(a.metrics, b.metrics) << "seed " << seed;
    EXPECT_EQ(a.cascades, b.cascades) << "seed " << seed;
    // Every reshare's parent equals a brute-force search over all earlier reshares.
    absl::flat_hash_set<std::pair<uint64_t, uint64_t>> follows;
    for (const auto& [f, g] : w.follows) follows.insert({f.value, g.value});
    absl::flat_hash_map<uint64_t, uint64_t> parent_of;
    for (const auto& n : a.nodes) parent_of[std::get<0>(n)] = std::get<2>(n);
    int checked = 0;
    for (const auto& ev : w.posts) {
      const Post& x = std::get<Post>(ev);
      if (x.kind != PostKind::kReshare) continue;
      uint64_t expected = x.parent.value;
      std::pair<EventTime, uint64_t> best{};
      for (const auto& other : w.posts) {
        const Post& c = std::get<Post>(other);
        if (c.kind != PostKind::kReshare || c.parent != x.parent || c.author == x.author) continue;
        const std::pair<EventTime, uint64_t> key{c.time, c.id.value};
        if (key >= std::pair<EventTime, uint64_t>{x.time, x.id.value}) continue;
        if (!follows.contains({x.author.value, c.author.value})) continue;
        if (expected == x.parent.value || key > best) {
          best = key;
          expected = c.id.value;
        }
      }
      EXPECT_EQ(parent_of[x.id.value], expected) << "reshare " << x.id.value;
      ++checked;
    }
    EXPECT_GT(checked, 200);
  }
}

TEST(CascadeOrderTest, DeletedResharesLeaveWhatNeverSeeingThemWould) {
  for (uint64_t seed : {4, 5}) {
    World w = MakeWorld(seed);
    ASSERT_FALSE(w.deleted.empty());
    std::vector<model::Event> with_deletes = w.posts;
    std::mt19937_64 rng(seed);
    std::shuffle(with_deletes.begin(), with_deletes.end(), rng);
    for (uint64_t id : w.deleted)
      with_deletes.push_back(model::Delete{PostId{id}, UserId{}, At(6000)});
    std::vector<model::Event> without;
    for (const auto& ev : w.posts) {
      const uint64_t id = std::get<Post>(ev).id.value;
      if (std::find(w.deleted.begin(), w.deleted.end(), id) == w.deleted.end())
        without.push_back(ev);
    }
    without.push_back(MakePost(999'999, 99, PostKind::kOriginal, At(6000)));  // same window end
    with_deletes.push_back(MakePost(999'999, 99, PostKind::kOriginal, At(6000)));
    Outcome a = RunWorld(w, with_deletes);
    Outcome b = RunWorld(w, without);
    EXPECT_EQ(a.nodes, b.nodes) << "seed " << seed;
    EXPECT_EQ(a.metrics, b.metrics) << "seed " << seed;
    EXPECT_EQ(a.cascades, b.cascades) << "seed " << seed;
  }
}

}  // namespace
}  // namespace reach::engine

namespace reach::engine {
namespace {

TEST(CascadeReadModelTest, AnswersThroughTheQueryChannel) {
  ManualClock clock;
  Engine engine(EngineOptions{}, clock);
  engine.Apply(MakePost(10, 1, PostKind::kOriginal, At(0)));
  engine.Apply(MakePost(11, 2, PostKind::kReshare, At(5), 10));
  engine.Publish();
  QueryChannel queries;
  SnapshotReadModel model(engine, &queries);
  EXPECT_EQ(SnapshotReadModel(engine).GetCascade(PostId{10}, 10).status().code(),
            absl::StatusCode::kUnavailable);
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    while (!stop.load()) {
      queries.Serve(engine);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  auto tree = model.GetCascade(PostId{11}, 10);
  auto mine = model.GetUserCascades(UserId{1}, Window::kAll, 5);
  auto theirs = model.GetUserCascades(UserId{2}, Window::kAll, 5);
  auto nobody = model.GetUserCascades(UserId{77}, Window::kAll, 5);
  auto unknown = model.GetCascade(PostId{99}, 10);
  auto bad = model.GetUserCascades(UserId{1}, Window::kAll, 0);
  stop = true;
  writer.join();
  ASSERT_TRUE(tree.ok()) << tree.status();
  EXPECT_EQ(tree->root, PostId{10});
  EXPECT_EQ(tree->size, 2);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->largest.size(), 1u);
  EXPECT_EQ(mine->largest[0].size, 2);
  ASSERT_TRUE(theirs.ok());
  EXPECT_TRUE(theirs->largest.empty());
  EXPECT_EQ(nobody.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace reach::engine
