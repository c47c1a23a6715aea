// StoreBatch::Merge, checked against a real store: writing Merge(a, b) must leave the same tables
// as writing a then b (score_history aside, which keeps only the later snapshot by design).
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/store_batch.h"
#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace reach::store {
namespace {

using testing::Cascade;
using testing::Post;
using testing::TempDir;
using testing::User;

// Every row of the tables a merge must preserve, as text, in key order.
std::vector<std::string> Dump(const std::string& path) {
  std::vector<std::string> out;
  auto db = SqliteDb::Open(path, SQLITE_OPEN_READONLY);
  EXPECT_TRUE(db.ok());
  for (const char* sql : {"SELECT 'u', user_id, handle, followers FROM users ORDER BY user_id",
                          "SELECT 'p', post_id, text, reported_likes FROM posts ORDER BY post_id",
                          "SELECT 'c', root_id, size, max_breadth FROM cascades ORDER BY root_id",
                          "SELECT 's', win, user_id, rank FROM scores ORDER BY win, user_id",
                          "SELECT 'e', key, value, '' FROM engine_state ORDER BY key"}) {
    auto st = db->Prepare(sql);
    EXPECT_TRUE(st.ok()) << st.status();
    while (*st->Step()) {
      out.push_back(st->ColumnText(0) + "|" + st->ColumnText(1) + "|" + st->ColumnText(2) + "|" +
                    st->ColumnText(3));
    }
  }
  return out;
}

class MergeTest : public ::testing::Test {
 protected:
  // Writes `batches` one by one into one database and merged into another; returns both dumps.
  std::pair<std::vector<std::string>, std::vector<std::string>> WriteBoth(
      const std::vector<engine::StoreBatch>& batches) {
    const std::string seq = dir_.File("seq" + std::to_string(n_) + ".db");
    const std::string merged = dir_.File("merged" + std::to_string(n_++) + ".db");
    auto a = SqliteStore::Open(seq);
    auto b = SqliteStore::Open(merged);
    EXPECT_TRUE(a.ok() && b.ok());
    engine::StoreBatch acc;
    for (size_t i = 0; i < batches.size(); ++i) {
      EXPECT_TRUE((*a)->Write(batches[i]).ok());
      engine::StoreBatch copy = batches[i];
      if (i == 0) {
        acc = std::move(copy);
      } else {
        acc.Merge(std::move(copy));
      }
    }
    EXPECT_TRUE((*b)->Write(acc).ok());
    return {Dump(seq), Dump(merged)};
  }

  TempDir dir_;
  int n_ = 0;
};

TEST_F(MergeTest, LaterUpsertsWinAndScoresAreTheLaterSnapshot) {
  engine::StoreBatch a;
  a.users = {User(1, "old"), User(2, "two")};
  a.posts = {Post(10, 1, 10)};
  a.cascades = {Cascade(10, 1, 1)};
  a.scores = testing::MakeSnapshot(1000);
  testing::FillBoard(std::const_pointer_cast<engine::Snapshot>(a.scores).get(),
                     engine::Window::kAll, 1, 2);
  a.stats.events_applied = 5;
  engine::StoreBatch b;
  b.users = {User(1, "new"), User(3, "three")};
  b.cascades = {Cascade(10, 1, 4)};
  b.stats.events_applied = 9;

  engine::StoreBatch merged = a;
  merged.Merge(engine::StoreBatch(b));
  ASSERT_EQ(merged.users.size(), 3u);
  EXPECT_EQ(merged.users[0].handle, "new");  // first-seen order, later values
  EXPECT_EQ(merged.users[2].handle, "three");
  ASSERT_EQ(merged.cascades.size(), 1u);
  EXPECT_EQ(merged.cascades[0].size, 4);
  EXPECT_EQ(merged.scores, a.scores);  // b had no scores: a's stay
  EXPECT_EQ(merged.stats.events_applied, 9);
  EXPECT_EQ(merged.RowCount(), 3u + 1u + 1u + 2u);

  auto [seq, one] = WriteBoth({a, b});
  EXPECT_EQ(seq, one);
}

TEST_F(MergeTest, DeleteThenReupsertAndUpsertThenDeleteFollowTheLastOperation) {
  engine::StoreBatch a;
  a.posts = {Post(10, 1, 10), Post(20, 2, 20)};
  a.cascades = {Cascade(10, 1, 2), Cascade(20, 2, 2)};
  a.deleted_posts = {PostId{30}};
  engine::StoreBatch b;
  b.deleted_posts = {PostId{10}};     // upserted in a, deleted in b: gone, with its cascade
  b.posts = {Post(30, 3, 30)};        // deleted in a, upserted in b: present
  b.deleted_cascades = {PostId{20}};  // cascade upserted in a, deleted in b
  engine::StoreBatch merged = a;
  merged.Merge(engine::StoreBatch(b));
  ASSERT_EQ(merged.posts.size(), 2u);
  EXPECT_EQ(merged.posts[0].id, PostId{20});
  EXPECT_EQ(merged.posts[1].id, PostId{30});
  EXPECT_THAT(merged.deleted_posts, ::testing::ElementsAre(PostId{10}));
  EXPECT_TRUE(merged.cascades.empty());
  auto [seq, one] = WriteBoth({a, b});
  EXPECT_EQ(seq, one);
}

// Random sequences of small batches over a few keys: merged equals sequential every time.
TEST_F(MergeTest, RandomSequencesMatchSequentialWrites) {
  std::mt19937_64 rng(42);
  auto pick = [&](int n) { return static_cast<uint64_t>(rng() % static_cast<uint64_t>(n)) + 1; };
  for (int round = 0; round < 30; ++round) {
    std::vector<engine::StoreBatch> batches;
    const int count = 2 + static_cast<int>(rng() % 5);
    for (int i = 0; i < count; ++i) {
      engine::StoreBatch b;
      b.as_of = EventTime::FromMicros(1000 + i);
      b.stats.events_applied = round * 10 + i;
      for (int k = 0; k < 4; ++k) {
        switch (rng() % 6) {
          case 0:
            b.users.push_back(User(pick(5), "h" + std::to_string(rng() % 100)));
            break;
          case 1: {
            engine::PostRecord p = Post(pick(6), pick(5), 1);
            p.reported_likes = static_cast<int64_t>(rng() % 50);
            b.posts.push_back(p);
            break;
          }
          case 2:
            b.deleted_posts.push_back(PostId{pick(6)});
            break;
          case 3:
            b.cascades.push_back(Cascade(pick(6), pick(5), static_cast<int64_t>(rng() % 9) + 1));
            break;
          case 4:
            b.deleted_cascades.push_back(PostId{pick(6)});
            break;
          default: {
            auto snap = testing::MakeSnapshot(2000 + i);
            testing::FillBoard(snap.get(), engine::Window::k1h, pick(5), 2);
            b.scores = snap;
          }
        }
      }
      // Within one batch the engine never lists a key twice.
      auto dedupe = [](auto& rows, auto key) {
        std::set<uint64_t> seen;
        std::erase_if(rows, [&](const auto& r) { return !seen.insert(key(r)).second; });
      };
      dedupe(b.users, [](const engine::UserInfo& u) { return u.user.value; });
      dedupe(b.posts, [](const engine::PostRecord& p) { return p.id.value; });
      dedupe(b.cascades, [](const engine::CascadeSummary& c) { return c.root.value; });
      dedupe(b.deleted_posts, [](PostId p) { return p.value; });
      dedupe(b.deleted_cascades, [](PostId p) { return p.value; });
      batches.push_back(std::move(b));
    }
    auto [seq, one] = WriteBoth(batches);
    ASSERT_EQ(seq, one) << "round " << round;
  }
}

}  // namespace
}  // namespace reach::store
