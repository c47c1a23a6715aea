// The per-user influence metrics the engine derives from cascades (second-level amplification,
// depth mean, h-index of reshares, unique engaged audience) and topic rankings for any topic.
#include <atomic>
#include <string>
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

Post MakePost(uint64_t id, uint64_t author, PostKind kind, EventTime t, uint64_t parent = 0,
              uint64_t parent_author = 0, std::vector<std::string> tags = {}) {
  Post p;
  p.id = PostId{id};
  p.author = UserId{author};
  p.kind = kind;
  p.time = t;
  p.parent = PostId{parent};
  p.parent_author = UserId{parent_author};
  p.hashtags = std::move(tags);
  return p;
}

EventTime At(int seconds) { return kT0 + Duration::Seconds(seconds); }

// Ann (1) posts 10 and 20. Bob (2) and Dan (4) reshare 10; Cat (3) reshares Bob's copy (depth 2,
// as a Bluesky repost "via" or a dataset with full paths says); Eve (5) and Fay (6) reshare 20.
class CascadeMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_.Apply(MakePost(10, 1, PostKind::kOriginal, At(0)));
    engine_.Apply(MakePost(20, 1, PostKind::kOriginal, At(1)));
    engine_.Apply(MakePost(11, 2, PostKind::kReshare, At(2), 10, 1));
    engine_.Apply(MakePost(12, 3, PostKind::kReshare, At(3), 11, 2));
    engine_.Apply(MakePost(13, 4, PostKind::kReshare, At(4), 10, 1));
    engine_.Apply(MakePost(14, 5, PostKind::kReshare, At(5), 20, 1));
    engine_.Apply(MakePost(15, 6, PostKind::kReshare, At(6), 20, 1));
  }
  ManualClock clock_;
  Engine engine_{EngineOptions{}, clock_};
};

TEST_F(CascadeMetricsTest, SecondLevelDepthMeanHIndexAndAudience) {
  for (Window w : kAllWindows) {
    const UserMetrics ann = engine_.Metrics(UserId{1}, w);
    EXPECT_EQ(ann.reshares, 4) << WindowName(w);  // Cat's reshare credits Bob, whose copy it is
    EXPECT_EQ(ann.depth, 2);
    EXPECT_EQ(ann.cascade_nodes, 5);  // 11, 12, 13, 14, 15
    EXPECT_EQ(ann.second_level, 1);   // 12, made from Bob's copy
    EXPECT_DOUBLE_EQ(ann.depth_mean, 6.0 / 5.0);
    EXPECT_EQ(ann.h_index, 2);   // posts 10 and 20 have 2 reshares each
    EXPECT_EQ(ann.audience, 4);  // Bob, Dan, Eve, Fay
    const UserMetrics bob = engine_.Metrics(UserId{2}, w);
    EXPECT_EQ(bob.reshares, 1);
    EXPECT_EQ(bob.audience, 1);  // Cat
    EXPECT_EQ(bob.h_index, 1);
    EXPECT_EQ(bob.second_level, 0);  // depth credit goes to the cascade root's author
  }
}

TEST_F(CascadeMetricsTest, DeleteWithdrawsTheEngagerFromTheAudienceAtPublish) {
  engine_.Apply(model::Delete{PostId{13}, UserId{4}, At(7)});
  // The counters are exact at once; the sketch is rebuilt from live engagements at publish.
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).reshares, 3);
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).h_index, 1);  // 10 has 1 reshare, 20 has 2
  auto snap = engine_.Publish();
  const WindowBoard& all = snap->board(Window::kAll);
  const InfluencerRow& ann = all.rows[all.index.at(UserId{1})];
  EXPECT_EQ(ann.metrics.audience, 3);
  EXPECT_EQ(ann.metrics.h_index, 1);
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::k15m).audience, 3);
  // Deleting Bob's copy drops Cat's reshare (the platform removes retweets of a deleted tweet).
  engine_.Apply(model::Delete{PostId{11}, UserId{2}, At(8)});
  engine_.Publish();
  // Rebuilds are at most every 2 s of wall clock: not yet.
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).audience, 3);
  clock_.Advance(Duration::Seconds(2));
  engine_.Publish();
  const UserMetrics m = engine_.Metrics(UserId{1}, Window::kAll);
  EXPECT_EQ(m.audience, 2);  // Eve, Fay
  EXPECT_EQ(m.second_level, 0);
  EXPECT_EQ(engine_.Metrics(UserId{2}, Window::kAll).audience, 0);
}

TEST_F(CascadeMetricsTest, ForcedRefreshRebuildsTheAudienceAtOnce) {
  engine_.Publish();
  engine_.Apply(model::Delete{PostId{13}, UserId{4}, At(7)});
  engine_.Publish();  // within 2 s of the last rebuild: none yet
  engine_.Apply(model::Delete{PostId{14}, UserId{5}, At(8)});
  engine_.Publish();
  EXPECT_GT(engine_.Metrics(UserId{1}, Window::kAll).audience, 2);
  engine_.ForceRefresh();
  engine_.Publish();
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).audience, 2);  // Bob, Fay
}

// A run that published (and re-ranked incrementally) many times and one that published once end
// with the same board after a forced refresh: the final scores depend only on the events.
TEST(FinalScoresTest, DoNotDependOnRefreshTiming) {
  std::vector<model::Event> events;
  for (uint64_t i = 0; i < 400; ++i) {
    const uint64_t author = 1 + (i * 7) % 23;
    if (i < 60 || i % 3 == 0) {
      events.push_back(MakePost(1000 + i, author, PostKind::kOriginal, At(static_cast<int>(i))));
    } else {
      const uint64_t parent = 1000 + (i * 13) % i;
      events.push_back(
          MakePost(1000 + i, author, PostKind::kReshare, At(static_cast<int>(i)), parent, 0));
    }
    if (i % 41 == 7) events.push_back(model::Delete{PostId{1000 + i / 2}, UserId{}, At(i)});
  }
  ManualClock busy_clock, quiet_clock;
  Engine busy(EngineOptions{}, busy_clock), quiet(EngineOptions{}, quiet_clock);
  for (size_t i = 0; i < events.size(); ++i) {
    busy.Apply(events[i]);
    quiet.Apply(events[i]);
    if (i % 25 == 0) {
      busy_clock.Advance(Duration::Millis(700));  // incremental PageRank, audience rebuilds
      busy.Publish();
    }
  }
  quiet.Publish();  // ranked once, early state never refreshed
  busy.ForceRefresh();
  quiet.ForceRefresh();
  auto a = busy.Publish();
  auto b = quiet.Publish();
  for (Window w : kAllWindows) {
    const auto& ra = a->board(w).rows;
    const auto& rb = b->board(w).rows;
    ASSERT_EQ(ra.size(), rb.size());
    for (size_t i = 0; i < ra.size(); ++i) {
      EXPECT_EQ(ra[i].user, rb[i].user) << WindowName(w) << " row " << i;
      EXPECT_EQ(ra[i].score, rb[i].score) << WindowName(w) << " row " << i;
      EXPECT_EQ(ra[i].pagerank, rb[i].pagerank) << WindowName(w) << " row " << i;
      EXPECT_EQ(ra[i].metrics.audience, rb[i].metrics.audience);
    }
  }
}

TEST_F(CascadeMetricsTest, MetricsLeaveTheWindowWithTheirEvents) {
  engine_.AdvanceTo(At(20 * 60));
  engine_.Publish();
  const UserMetrics m15 = engine_.Metrics(UserId{1}, Window::k15m);
  EXPECT_EQ(m15.audience, 0);
  EXPECT_EQ(m15.h_index, 0);
  EXPECT_EQ(m15.second_level, 0);
  const UserMetrics m1h = engine_.Metrics(UserId{1}, Window::k1h);
  EXPECT_EQ(m1h.audience, 4);
  EXPECT_EQ(m1h.h_index, 2);
}

TEST_F(CascadeMetricsTest, BoardRowsCarryScoreComponents) {
  auto snap = engine_.Publish();
  const WindowBoard& board = snap->board(Window::k1h);
  ASSERT_FALSE(board.rows.empty());
  const InfluencerRow& top = board.rows[0];
  EXPECT_EQ(top.user, UserId{1});  // most reshares, deepest, widest audience
  EXPECT_DOUBLE_EQ(top.components.reshares, 1.0);
  EXPECT_DOUBLE_EQ(top.components.audience, 1.0);
  EXPECT_DOUBLE_EQ(top.components.depth, 1.0);
  EXPECT_GT(top.score, board.rows[1].score);
}

// Asks the read model from another thread while this thread serves the channel, as the runner's
// engine loop does.
absl::StatusOr<Leaderboard> AskTopicBoard(Engine& engine, const TopicLeaderboardQuery& q) {
  QueryChannel channel;
  SnapshotReadModel model(engine, &channel);
  std::atomic<bool> done{false};
  absl::StatusOr<Leaderboard> answer = absl::UnknownError("not asked");
  std::thread reader([&] {
    answer = model.GetTopicLeaderboard(q);
    done = true;
  });
  while (!done.load()) {
    channel.Serve(engine);
    std::this_thread::yield();
  }
  reader.join();
  return answer;
}

TEST(TopicRankingTest, RanksAnyTopicByEngagementOnItsPosts) {
  ManualClock clock;
  Engine engine(EngineOptions{}, clock);
  // 40 busy topics fill the leading details; "rare" is not among them.
  uint64_t id = 1000;
  for (int t = 0; t < 40; ++t) {
    for (int i = 0; i < 5; ++i) {
      engine.Apply(
          MakePost(++id, 500 + t, PostKind::kOriginal, At(t), 0, 0, {"busy" + std::to_string(t)}));
    }
  }
  // Ann's #rare post gets 3 engagements (2 reshares, 1 quote); Bob's gets 1; Cat's #Rare (case
  // folded) gets 2; Dan's post without the tag gets 5 and does not count.
  engine.Apply(MakePost(10, 1, PostKind::kOriginal, At(100), 0, 0, {"rare"}));
  engine.Apply(MakePost(20, 2, PostKind::kOriginal, At(101), 0, 0, {"rare"}));
  engine.Apply(MakePost(30, 3, PostKind::kOriginal, At(102), 0, 0, {"Rare"}));
  engine.Apply(MakePost(40, 4, PostKind::kOriginal, At(103)));
  engine.Apply(MakePost(11, 7, PostKind::kReshare, At(110), 10, 1));
  engine.Apply(MakePost(12, 8, PostKind::kReshare, At(111), 10, 1));
  engine.Apply(MakePost(13, 9, PostKind::kQuote, At(112), 10, 1));
  engine.Apply(MakePost(21, 7, PostKind::kReshare, At(113), 20, 2));
  engine.Apply(MakePost(31, 8, PostKind::kReshare, At(114), 30, 3));
  engine.Apply(MakePost(32, 9, PostKind::kReshare, At(115), 30, 3));
  for (uint64_t i = 0; i < 5; ++i) {
    engine.Apply(MakePost(41 + i, 20 + i, PostKind::kReshare, At(116), 40, 4));
  }
  auto snap = engine.Publish();
  // The snapshot details only the leading topics.
  EXPECT_FALSE(snap->board(Window::k1h).conversation.details.contains("rare"));

  auto board = AskTopicBoard(engine, TopicLeaderboardQuery{"rare", Window::k1h, 10, 0});
  ASSERT_TRUE(board.ok()) << board.status();
  EXPECT_EQ(board->topic, "rare");
  ASSERT_EQ(board->total, 3);
  ASSERT_EQ(board->items.size(), 3u);
  EXPECT_EQ(board->items[0].user, UserId{1});
  EXPECT_EQ(board->items[0].topic_engagements, 3);
  EXPECT_EQ(board->items[0].rank, 1);
  EXPECT_EQ(board->items[1].user, UserId{3});
  EXPECT_EQ(board->items[1].topic_engagements, 2);
  EXPECT_EQ(board->items[2].user, UserId{2});
  EXPECT_EQ(board->items[2].topic_engagements, 1);
  // Rows are the users' window rows: metrics and score come along.
  EXPECT_EQ(board->items[0].metrics.reshares, 2);
  EXPECT_EQ(board->items[0].metrics.quotes, 1);
  EXPECT_GT(board->items[0].score, 0);

  // Paging keeps the ranks of the whole ranking.
  auto page = AskTopicBoard(engine, TopicLeaderboardQuery{"rare", Window::k1h, 1, 1});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].user, UserId{3});
  EXPECT_EQ(page->items[0].rank, 2);

  // A delete withdraws the engagement.
  engine.Apply(model::Delete{PostId{13}, UserId{9}, At(120)});
  auto after = AskTopicBoard(engine, TopicLeaderboardQuery{"rare", Window::k1h, 10, 0});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->items[0].topic_engagements, 2);

  // Outside the window the ranking is empty; an unknown topic is NotFound.
  engine.AdvanceTo(At(100 + 2 * 3600));
  auto later = AskTopicBoard(engine, TopicLeaderboardQuery{"rare", Window::k1h, 10, 0});
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->total, 0);
  EXPECT_EQ(
      AskTopicBoard(engine, TopicLeaderboardQuery{"never", Window::k1h, 10, 0}).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(AskTopicBoard(engine, TopicLeaderboardQuery{"rare", Window::k1h, 0, 0}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(TopicRankingTest, WithoutAQueryChannelItIsUnavailable) {
  ManualClock clock;
  Engine engine(EngineOptions{}, clock);
  SnapshotReadModel model(engine);
  EXPECT_EQ(
      model.GetTopicLeaderboard(TopicLeaderboardQuery{"x", Window::kAll, 10, 0}).status().code(),
      absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace reach::engine
