#include "engine/conversation_state.h"

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "engine/snapshot_read_model.h"

namespace reach::engine {
namespace {

using model::Post;
using model::PostKind;

const EventTime kT0 = EventTime::FromSeconds(1'700'000'000);

Post MakePost(uint64_t id, uint64_t author, PostKind kind, EventTime t,
              std::vector<std::string> tags = {}, std::string country = "", float sentiment = 0,
              bool has_sentiment = false, uint64_t parent = 0) {
  Post p;
  p.id = PostId{id};
  p.author = UserId{author};
  p.kind = kind;
  p.time = t;
  p.hashtags = std::move(tags);
  p.country = std::move(country);
  p.sentiment = sentiment;
  p.has_sentiment = has_sentiment;
  p.parent = PostId{parent};
  return p;
}

class ConversationTest : public ::testing::Test {
 protected:
  ManualClock clock_;
  Engine engine_{EngineOptions{}, clock_};
  SnapshotReadModel model_{engine_};
};

TEST_F(ConversationTest, TrendingTopicsCountPostsCaseFoldedWithSentiment) {
  engine_.Apply(MakePost(1, 1, PostKind::kOriginal, kT0, {"WorldCup", "goal"}, "GB", 0.5f, true));
  engine_.Apply(MakePost(2, 2, PostKind::kOriginal, kT0 + Duration::Seconds(1), {"worldcup"}, "FR",
                         -0.1f, true));
  engine_.Apply(MakePost(3, 3, PostKind::kReshare, kT0 + Duration::Seconds(2), {"worldcup"}, "FR",
                         0, false, 1));
  engine_.Publish();
  auto conv = model_.GetConversation(Window::k15m, 10);
  ASSERT_TRUE(conv.ok()) << conv.status();
  ASSERT_GE(conv->board.topics.size(), 2u);
  EXPECT_EQ(conv->board.topics[0].topic, "worldcup");
  EXPECT_EQ(conv->board.topics[0].posts, 3);
  EXPECT_NEAR(conv->board.topics[0].sentiment, 0.2, 1e-6);  // mean of the two scored posts
  EXPECT_EQ(conv->board.posts, 3);
  EXPECT_EQ(conv->board.sentiment_posts, 2);
  // Countries: posts by origin, engagements by the engager's country.
  ASSERT_EQ(conv->board.countries.size(), 2u);
  EXPECT_EQ(conv->board.countries[0].country, "FR");
  EXPECT_EQ(conv->board.countries[0].posts, 2);
  EXPECT_EQ(conv->board.countries[0].engagements, 1);
  auto all = model_.GetConversation(Window::kAll, 10);
  EXPECT_EQ(all->board.topics[0].posts, 3);
}

TEST_F(ConversationTest, TrendingTermsCountPostsAndLeaveWithDeletes) {
  Post a = MakePost(1, 1, PostKind::kOriginal, kT0);
  a.terms = {"launch", "rocket"};
  Post b = MakePost(2, 2, PostKind::kOriginal, kT0 + Duration::Seconds(1));
  b.terms = {"launch"};
  engine_.Apply(a);
  engine_.Apply(b);
  engine_.Publish();
  auto conv = model_.GetConversation(Window::k15m, 10);
  ASSERT_TRUE(conv.ok());
  ASSERT_EQ(conv->board.terms.size(), 2u);
  EXPECT_EQ(conv->board.terms[0].topic, "launch");
  EXPECT_EQ(conv->board.terms[0].posts, 2);
  engine_.Apply(model::Delete{PostId{1}, UserId{1}, kT0 + Duration::Seconds(2)});
  engine_.Publish();
  conv = model_.GetConversation(Window::kAll, 10);
  ASSERT_EQ(conv->board.terms.size(), 1u);
  EXPECT_EQ(conv->board.terms[0].posts, 1);
}

TEST_F(ConversationTest, AudienceGeographyAndTopicInfluencers) {
  engine_.Apply(MakePost(1, 1, PostKind::kOriginal, kT0, {"rust"}, "US"));
  engine_.Apply(
      MakePost(2, 2, PostKind::kReshare, kT0 + Duration::Seconds(1), {"rust"}, "DE", 0, false, 1));
  engine_.Apply(
      MakePost(3, 3, PostKind::kReshare, kT0 + Duration::Seconds(2), {"rust"}, "DE", 0, false, 1));
  engine_.Apply(
      MakePost(4, 4, PostKind::kQuote, kT0 + Duration::Seconds(3), {}, "JP", -0.5f, true, 1));
  engine_.Publish();
  auto audience = model_.GetAudience(UserId{1}, Window::k1h);
  ASSERT_TRUE(audience.ok()) << audience.status();
  EXPECT_EQ(audience->total, 3);
  ASSERT_EQ(audience->countries.size(), 2u);
  EXPECT_EQ(audience->countries[0].country, "DE");
  EXPECT_EQ(audience->countries[0].count, 2);
  auto topic = model_.GetTopic(TopicQuery{"rust", Window::k1h});
  ASSERT_TRUE(topic.ok()) << topic.status();
  ASSERT_FALSE(topic->influencers.empty());
  EXPECT_EQ(topic->influencers[0].user, UserId{1});
  EXPECT_EQ(topic->influencers[0].metrics.reshares, 3);
  ASSERT_FALSE(topic->top_posts.empty());
  EXPECT_EQ(topic->top_posts[0].first, PostId{1});
  // Sentiment toward user 1: the quote's score.
  auto board = model_.GetLeaderboard(LeaderboardQuery{Window::k1h, 10, 0});
  for (const auto& row : board->items) {
    if (row.user == UserId{1}) {
      EXPECT_EQ(row.sentiment_toward_posts, 1);
      EXPECT_NEAR(row.sentiment_toward, -0.5, 1e-6);
    }
  }
  EXPECT_EQ(model_.GetTopic(TopicQuery{"nope", Window::k1h}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ConversationTest, DeleteWithdrawsTopicsGeographyAndAudience) {
  engine_.Apply(MakePost(1, 1, PostKind::kOriginal, kT0, {"rust"}, "US", 0.4f, true));
  engine_.Apply(
      MakePost(2, 2, PostKind::kReshare, kT0 + Duration::Seconds(1), {"rust"}, "DE", 0, false, 1));
  engine_.Apply(model::Delete{PostId{1}, UserId{1}, kT0 + Duration::Seconds(2)});
  engine_.Publish();
  auto conv = model_.GetConversation(Window::k15m, 10);
  ASSERT_TRUE(conv.ok());
  // The reshare of the deleted post stays a post (DE) with its topic; its engagement is gone.
  EXPECT_EQ(conv->board.posts, 1);
  ASSERT_EQ(conv->board.topics.size(), 1u);
  EXPECT_EQ(conv->board.topics[0].posts, 1);
  ASSERT_EQ(conv->board.countries.size(), 1u);
  EXPECT_EQ(conv->board.countries[0].country, "DE");
  EXPECT_EQ(conv->board.countries[0].engagements, 0);
  EXPECT_EQ(model_.GetAudience(UserId{1}, Window::k15m).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ConversationTest, SeriesBucketsPostsByMinute) {
  engine_.Apply(MakePost(1, 1, PostKind::kOriginal, kT0, {}, "", 1.0f, true));
  engine_.Apply(
      MakePost(2, 1, PostKind::kOriginal, kT0 + Duration::Minutes(3), {}, "", 0.0f, true));
  engine_.Publish();
  auto s = model_.GetSeries(SeriesQuery{"", Window::k15m, Duration{}});
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->points.size(), 15u);
  int64_t posts = 0;
  for (const auto& p : s->points) posts += p.posts;
  EXPECT_EQ(posts, 2);
  EXPECT_EQ(s->points.back().posts, 1);
  auto five = model_.GetSeries(SeriesQuery{"", Window::k15m, Duration::Minutes(5)});
  ASSERT_TRUE(five.ok());
  EXPECT_EQ(five->points.size(), 3u);
  EXPECT_EQ(model_.GetSeries(SeriesQuery{"", Window::k15m, Duration::Seconds(90)}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ConversationTest, BurstRaisesASpikeAlert) {
  // A steady topic for 12 hours, then a burst.
  uint64_t id = 1;
  for (int h = 0; h < 13; ++h) {
    engine_.Apply(
        MakePost(id++, 1, PostKind::kOriginal, kT0 + Duration::Hours(h), {"steady", "burst"}));
  }
  for (int i = 0; i < 40; ++i) {
    engine_.Apply(MakePost(id++, 2, PostKind::kOriginal,
                           kT0 + Duration::Hours(13) + Duration::Seconds(i), {"burst"}));
  }
  engine_.Publish();
  auto alerts = model_.GetAlerts(10);
  ASSERT_TRUE(alerts.ok());
  ASSERT_FALSE(alerts->empty());
  EXPECT_EQ((*alerts)[0].topic, "burst");
  EXPECT_GT((*alerts)[0].ratio, 3.0);
  EXPECT_EQ(engine_.stats().alerts, 1);
}

// Regression: details of many topics at once (the details map grows while it is filled).
TEST_F(ConversationTest, ManyTopicsEachKeepTheirDetails) {
  uint64_t id = 1;
  for (int t = 0; t < 40; ++t) {
    const std::string topic = "topic" + std::to_string(t);
    const uint64_t original = id++;
    engine_.Apply(
        MakePost(original, 100 + t, PostKind::kOriginal, kT0 + Duration::Seconds(t), {topic}));
    for (int r = 0; r <= t % 5; ++r) {
      engine_.Apply(MakePost(id++, 500 + r, PostKind::kReshare, kT0 + Duration::Seconds(t), {topic},
                             "", 0, false, original));
    }
  }
  engine_.Publish();
  for (int t = 0; t < 40; t += 7) {
    auto d = model_.GetTopic(TopicQuery{"topic" + std::to_string(t), Window::k1h});
    ASSERT_TRUE(d.ok()) << t << d.status();
    if (d->influencers.empty()) continue;  // beyond the detailed topics: summary only
    EXPECT_EQ(d->influencers[0].user, UserId{static_cast<uint64_t>(100 + t)});
    EXPECT_EQ(d->influencers[0].metrics.reshares, t % 5 + 1);
  }
}

TEST_F(ConversationTest, LeaderboardFiltersByTheAccountsCountry) {
  auto located = [&](uint64_t id, std::string country) {
    model::UserSnapshot u;
    u.id = UserId{id};
    u.handle = "u" + std::to_string(id);
    u.followers = 10;
    u.observed = kT0;
    u.country = std::move(country);
    engine_.Apply(u);
  };
  located(1, "GB");
  located(2, "FR");
  located(3, "GB");
  engine_.Apply(MakePost(1, 1, PostKind::kOriginal, kT0, {}, "", 0, false));
  engine_.Apply(MakePost(2, 2, PostKind::kOriginal, kT0 + Duration::Seconds(1), {}, "", 0, false));
  engine_.Apply(
      MakePost(3, 3, PostKind::kReshare, kT0 + Duration::Seconds(2), {}, "", 0, false, 1));
  engine_.Publish();
  LeaderboardQuery q;
  auto all = model_.GetLeaderboard(q);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->total, 3);
  q.country = "GB";
  auto gb = model_.GetLeaderboard(q);
  ASSERT_TRUE(gb.ok()) << gb.status();
  EXPECT_EQ(gb->total, 2);
  ASSERT_EQ(gb->items.size(), 2u);
  for (const InfluencerRow& row : gb->items) EXPECT_EQ(row.country, "GB");
  EXPECT_EQ(gb->items[0].user, UserId{1});  // the reshared account leads
  q.offset = 1;
  auto second = model_.GetLeaderboard(q);
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].user, UserId{3});
  EXPECT_EQ(second->total, 2);
  q = LeaderboardQuery{};
  q.country = "JP";
  EXPECT_EQ(model_.GetLeaderboard(q)->total, 0);
}

}  // namespace
}  // namespace reach::engine
