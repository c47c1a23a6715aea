#include "engine/store_batch_builder.h"

#include <map>
#include <random>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "engine/engine.h"

namespace reach::engine {
namespace {

using model::Post;
using model::PostKind;

const EventTime kT0 = EventTime::FromSeconds(1'700'000'000);

PostRecord Row(uint64_t id, int32_t depth = 0) {
  PostRecord p;
  p.id = PostId{id};
  p.depth = depth;
  return p;
}

TEST(StoreBatchBuilderTest, PerKeyTheLastOperationWinsAcrossSlices) {
  StoreBatchBuilder b;
  b.UpsertPost(Row(1, 0));
  b.UpsertPost(Row(2));
  b.UpsertPost(Row(1, 3));  // a later slice changed post 1
  b.DeletePost(PostId{2});  // and deleted post 2
  b.DeletePost(PostId{4});
  b.UpsertPost(Row(4));  // deleted, then upserted again: upserted
  CascadeSummary c;
  c.root = PostId{2};
  b.UpsertCascade(c);  // the cascade rooted at deleted post 2, upserted after the delete
  b.DeleteCascade(PostId{5});
  // Posts 1, 2 (deleted), 4; cascades 2, 4 (deleted with its post, never upserted again), 5.
  EXPECT_EQ(b.size(), 6u);
  StoreBatch batch = b.Take();
  ASSERT_EQ(batch.posts.size(), 2u);
  EXPECT_EQ(batch.posts[0].id, PostId{1});
  EXPECT_EQ(batch.posts[0].depth, 3);
  EXPECT_EQ(batch.posts[1].id, PostId{4});
  EXPECT_EQ(batch.deleted_posts, std::vector<PostId>{PostId{2}});
  ASSERT_EQ(batch.cascades.size(), 1u);
  EXPECT_EQ(batch.cascades[0].root, PostId{2});
  EXPECT_EQ(batch.deleted_cascades, (std::vector<PostId>{PostId{4}, PostId{5}}));
  EXPECT_EQ(b.size(), 0u);
  EXPECT_TRUE(b.Take().empty());
}

// A store as tables keyed by id, written the way SqliteStore::Write applies one batch.
struct TableStore {
  std::map<uint64_t, std::tuple<uint64_t, uint64_t, int32_t, int>> posts;  // parent, root, depth
  std::map<uint64_t, std::tuple<int64_t, int32_t, int64_t>> cascades;      // size, depth, breadth
  std::map<uint64_t, int64_t> users;                                       // followers

  void Write(const StoreBatch& b) {
    for (const UserInfo& u : b.users) users[u.user.value] = u.followers;
    for (const PostRecord& p : b.posts) {
      posts[p.id.value] = {p.parent.value, p.root.value, p.depth,
                           static_cast<int>(p.parent_method)};
    }
    for (PostId id : b.deleted_posts) {
      posts.erase(id.value);
      cascades.erase(id.value);
    }
    for (const CascadeSummary& c : b.cascades) {
      cascades[c.root.value] = {c.size, c.depth, c.max_breadth};
    }
    for (PostId id : b.deleted_cascades) cascades.erase(id.value);
  }
};

// Staging the changed rows at every publish (what the runner does with a store) leaves the store
// exactly as cutting one batch per flush did, and as the engine's own state: nothing changed is
// lost, whatever the interleaving of staging, flushes, deletes, late parents and re-parenting.
TEST(StoreBatchBuilderTest, StagedFlushesLeaveTheStoreAsUnstagedFlushes) {
  std::mt19937_64 rng(11);
  ManualClock clock_a;
  ManualClock clock_b;
  Engine staged(EngineOptions{}, clock_a);
  Engine unstaged(EngineOptions{}, clock_b);
  std::vector<std::pair<UserId, UserId>> follows;
  for (uint64_t u = 1; u <= 30; ++u) {
    for (int k = 0; k < 6; ++k) follows.emplace_back(UserId{u}, UserId{1 + rng() % 30});
  }
  staged.AddFollowEdges(follows);
  unstaged.AddFollowEdges(follows);
  TableStore store_a;
  TableStore store_b;
  std::vector<uint64_t> ids;
  for (uint64_t i = 0; i < 2000; ++i) {
    const EventTime t = kT0 + Duration::Seconds(static_cast<int64_t>(i));
    const uint64_t author = 1 + rng() % 30;
    std::vector<model::Event> events;
    if (rng() % 5 == 0) {
      model::UserSnapshot u;
      u.id = UserId{author};
      u.handle = "u" + std::to_string(author);
      u.followers = static_cast<int64_t>(rng() % 1000);
      u.observed = t;
      events.push_back(u);
    }
    const uint64_t id = 10'000 + i;
    if (ids.empty() || rng() % 3 == 0) {
      Post p;
      p.id = PostId{id};
      p.author = UserId{author};
      p.kind = PostKind::kOriginal;
      p.time = t;
      events.push_back(p);
    } else {
      // Sometimes a parent that has not arrived yet (a placeholder until it does).
      const uint64_t parent = rng() % 10 == 0 ? id + 1 + rng() % 5 : ids[rng() % ids.size()];
      Post p;
      p.id = PostId{id};
      p.author = UserId{author};
      p.kind = rng() % 4 == 0 ? PostKind::kQuote : PostKind::kReshare;
      p.time = t;
      p.parent = PostId{parent};
      events.push_back(p);
    }
    ids.push_back(id);
    if (rng() % 15 == 0) events.push_back(model::Delete{PostId{ids[rng() % ids.size()]}, {}, t});
    for (const model::Event& e : events) {
      staged.Apply(e);
      unstaged.Apply(e);
    }
    if (rng() % 3 == 0) staged.StageChanges();
    if (rng() % 97 == 0) {
      store_a.Write(staged.TakeBatch(nullptr));
      store_b.Write(unstaged.TakeBatch(nullptr));
      ASSERT_EQ(store_a.posts, store_b.posts) << "after event " << i;
      ASSERT_EQ(store_a.cascades, store_b.cascades) << "after event " << i;
      ASSERT_EQ(store_a.users, store_b.users) << "after event " << i;
    }
  }
  staged.StageChanges();
  store_a.Write(staged.TakeBatch(nullptr));
  store_b.Write(unstaged.TakeBatch(nullptr));
  EXPECT_EQ(store_a.posts, store_b.posts);
  EXPECT_EQ(store_a.cascades, store_b.cascades);
  EXPECT_EQ(store_a.users, store_b.users);
  // And the store holds what the engine holds.
  size_t live_posts = 0;
  for (uint64_t id : ids) {
    std::optional<PostRecord> p = staged.FindPost(PostId{id});
    auto row = store_a.posts.find(id);
    ASSERT_EQ(p.has_value(), row != store_a.posts.end()) << id;
    if (!p) continue;
    ++live_posts;
    EXPECT_EQ(std::get<0>(row->second), p->parent.value) << id;
    EXPECT_EQ(std::get<2>(row->second), p->depth) << id;
    std::optional<CascadeSummary> c = staged.FindCascade(PostId{id});
    auto crow = store_a.cascades.find(id);
    ASSERT_EQ(c.has_value(), crow != store_a.cascades.end()) << id;
    if (c) {
      EXPECT_EQ(std::get<0>(crow->second), c->size) << id;
    }
  }
  EXPECT_GT(live_posts, 1000u);
  EXPECT_LT(live_posts, ids.size());  // some were deleted
}

}  // namespace
}  // namespace reach::engine
