#include "engine/engine.h"

#include <algorithm>
#include <map>
#include <random>

#include <gtest/gtest.h>

#include "engine/snapshot_read_model.h"

namespace reach::engine {
namespace {

using model::Post;
using model::PostKind;

const EventTime kT0 = EventTime::FromSeconds(1'700'000'000);

Post MakePost(uint64_t id, uint64_t author, PostKind kind, EventTime t, uint64_t parent = 0,
              uint64_t parent_author = 0) {
  Post p;
  p.id = PostId{id};
  p.author = UserId{author};
  p.kind = kind;
  p.time = t;
  p.parent = PostId{parent};
  p.parent_author = UserId{parent_author};
  return p;
}

model::UserSnapshot MakeUser(uint64_t id, const std::string& handle, int64_t followers,
                             EventTime observed) {
  model::UserSnapshot u;
  u.id = UserId{id};
  u.handle = handle;
  u.followers = followers;
  u.observed = observed;
  return u;
}

class EngineTest : public ::testing::Test {
 protected:
  ManualClock clock_;
  Engine engine_{EngineOptions{}, clock_};
};

TEST_F(EngineTest, ReshareCreditsTheOriginalAuthor) {
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, kT0));
  engine_.Apply(MakePost(11, 2, PostKind::kReshare, kT0 + Duration::Seconds(5), 10, 1));
  engine_.Apply(MakePost(12, 3, PostKind::kReshare, kT0 + Duration::Seconds(6), 10, 1));
  UserMetrics m = engine_.Metrics(UserId{1}, Window::kAll);
  EXPECT_EQ(m.reshares, 2);
  EXPECT_EQ(m.posts, 1);
  EXPECT_EQ(m.depth, 1);
  EXPECT_EQ(engine_.Metrics(UserId{2}, Window::kAll).posts, 1);
  auto cascade = engine_.FindCascade(PostId{10});
  ASSERT_TRUE(cascade.has_value());
  EXPECT_EQ(cascade->size, 3);
  EXPECT_EQ(cascade->depth, 1);
  EXPECT_EQ(cascade->max_breadth, 2);
}

TEST_F(EngineTest, QuoteChainOfDepthThreeGivesDepthThree) {
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, kT0));
  engine_.Apply(MakePost(11, 2, PostKind::kQuote, kT0 + Duration::Seconds(1), 10, 1));
  engine_.Apply(MakePost(12, 3, PostKind::kQuote, kT0 + Duration::Seconds(2), 11, 2));
  engine_.Apply(MakePost(13, 4, PostKind::kQuote, kT0 + Duration::Seconds(3), 12, 3));
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).depth, 3);
  EXPECT_EQ(engine_.FindCascade(PostId{10})->depth, 3);
  EXPECT_EQ(engine_.FindPost(PostId{13})->depth, 3);
  EXPECT_EQ(engine_.FindPost(PostId{13})->root, PostId{10});
  // Each quote credits its direct parent's author.
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).quotes, 1);
  EXPECT_EQ(engine_.Metrics(UserId{2}, Window::kAll).quotes, 1);
  EXPECT_EQ(engine_.Metrics(UserId{3}, Window::kAll).quotes, 1);
}

TEST_F(EngineTest, ChildBeforeParentIsAttachedWhenTheParentArrives) {
  // Quote chain arriving leaf first: the result equals the in-order run.
  engine_.Apply(MakePost(13, 4, PostKind::kQuote, kT0 + Duration::Seconds(3), 12, 3));
  engine_.Apply(MakePost(12, 3, PostKind::kQuote, kT0 + Duration::Seconds(2), 11, 2));
  engine_.Apply(MakePost(11, 2, PostKind::kQuote, kT0 + Duration::Seconds(1), 10, 1));
  EXPECT_EQ(engine_.FindCascade(PostId{11}).has_value(), false);
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).depth, 3);  // placeholder root by user 1
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, kT0));
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).depth, 3);
  EXPECT_EQ(engine_.Metrics(UserId{2}, Window::kAll).depth, 0);
  EXPECT_EQ(engine_.FindCascade(PostId{10})->size, 4);
  EXPECT_EQ(engine_.FindPost(PostId{13})->depth, 3);
}

TEST_F(EngineTest, DeleteRemovesThePostAndItsCredit) {
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, kT0));
  engine_.Apply(MakePost(11, 2, PostKind::kReshare, kT0 + Duration::Seconds(5), 10, 1));
  engine_.Apply(model::Delete{PostId{11}, UserId{2}, kT0 + Duration::Seconds(9)});
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).reshares, 0);
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).depth, 0);
  EXPECT_EQ(engine_.Metrics(UserId{2}, Window::kAll).posts, 0);
  EXPECT_FALSE(engine_.FindPost(PostId{11}).has_value());
  EXPECT_EQ(engine_.FindCascade(PostId{10})->size, 1);
  // A redelivered copy of the deleted post does not come back.
  engine_.Apply(MakePost(11, 2, PostKind::kReshare, kT0 + Duration::Seconds(5), 10, 1));
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).reshares, 0);

  StoreBatch batch = engine_.TakeBatch(nullptr);
  EXPECT_EQ(batch.deleted_posts, std::vector<PostId>{PostId{11}});
  EXPECT_TRUE(std::none_of(batch.posts.begin(), batch.posts.end(),
                           [](const PostRecord& p) { return p.id == PostId{11}; }));
}

TEST_F(EngineTest, DeletingAnOriginalRemovesItsResharesAndFreesQuotes) {
  Post original = MakePost(10, 1, PostKind::kOriginal, kT0);
  original.counters.likes = 7;
  engine_.Apply(original);
  engine_.Apply(MakePost(11, 2, PostKind::kReshare, kT0 + Duration::Seconds(1), 10, 1));
  engine_.Apply(MakePost(12, 3, PostKind::kQuote, kT0 + Duration::Seconds(2), 10, 1));
  engine_.Apply(MakePost(13, 4, PostKind::kReshare, kT0 + Duration::Seconds(3), 12, 3));
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).likes, 7);
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).depth, 2);

  engine_.Apply(model::Delete{PostId{10}, UserId{1}, kT0 + Duration::Seconds(9)});
  UserMetrics ann = engine_.Metrics(UserId{1}, Window::kAll);
  EXPECT_EQ(ann.posts, 0);
  EXPECT_EQ(ann.likes, 0);
  EXPECT_EQ(ann.reshares, 0);
  EXPECT_EQ(ann.quotes, 0);
  EXPECT_EQ(ann.depth, 0);
  EXPECT_FALSE(engine_.FindCascade(PostId{10}).has_value());
  // The quote keeps its own cascade and its reshare.
  auto quote_cascade = engine_.FindCascade(PostId{12});
  ASSERT_TRUE(quote_cascade.has_value());
  EXPECT_EQ(quote_cascade->size, 2);
  EXPECT_EQ(engine_.Metrics(UserId{3}, Window::kAll).reshares, 1);
  EXPECT_EQ(engine_.Metrics(UserId{3}, Window::kAll).depth, 1);
  // The plain reshare of the deleted post is in no cascade.
  EXPECT_EQ(engine_.FindPost(PostId{11})->root, PostId{});
}

TEST_F(EngineTest, DeleteBeforeThePostKeepsItOut) {
  engine_.Apply(model::Delete{PostId{10}, UserId{1}, kT0});
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, kT0));
  EXPECT_FALSE(engine_.FindPost(PostId{10}).has_value());
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).posts, 0);
  EXPECT_EQ(engine_.stats().deletes_pending, 1);
}

TEST_F(EngineTest, DuplicatePostCountsOnce) {
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, kT0));
  engine_.Apply(MakePost(11, 2, PostKind::kReshare, kT0 + Duration::Seconds(1), 10, 1));
  engine_.Apply(MakePost(11, 2, PostKind::kReshare, kT0 + Duration::Seconds(1), 10, 1));
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).reshares, 1);
  EXPECT_EQ(engine_.stats().duplicates, 1);
}

TEST_F(EngineTest, PlatformLikesAreCreditedAsTheyGrow) {
  Post p = MakePost(10, 1, PostKind::kOriginal, kT0);
  p.counters.likes = 5;
  engine_.Apply(p);
  Post later = p;
  later.counters.likes = 12;
  later.observed = kT0 + Duration::Hours(2);
  engine_.Apply(later);
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).likes, 12);
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::k1h).likes, 7);  // growth seen in the last hour
  Post stale = p;
  stale.counters.likes = 9;
  stale.observed = kT0 + Duration::Hours(1);
  engine_.Apply(stale);  // arrives late: splits the growth, total unchanged
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).likes, 12);
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::k1h).likes, 3);
}

TEST_F(EngineTest, LikeEventsCountOncePerUserAndPost) {
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, kT0));
  engine_.Apply(model::Like{UserId{2}, PostId{10}, UserId{}, kT0 + Duration::Seconds(1)});
  engine_.Apply(model::Like{UserId{2}, PostId{10}, UserId{}, kT0 + Duration::Seconds(2)});
  engine_.Apply(model::Like{UserId{3}, PostId{10}, UserId{}, kT0 + Duration::Seconds(3)});
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).likes, 2);
  engine_.Apply(model::Delete{PostId{10}, UserId{1}, kT0 + Duration::Seconds(4)});
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).likes, 0);
}

TEST_F(EngineTest, RepliesAndMentionsAreCredited) {
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, kT0));
  Post reply = MakePost(11, 2, PostKind::kReply, kT0 + Duration::Seconds(1));
  reply.in_reply_to = PostId{10};
  reply.in_reply_to_user = UserId{1};
  reply.mentions = {{UserId{1}, "ann"}, {UserId{3}, "cid"}, {UserId{3}, "cid"}};
  engine_.Apply(reply);
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).replies, 1);
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).mentions, 0);  // the reply prefix
  EXPECT_EQ(engine_.Metrics(UserId{3}, Window::kAll).mentions, 1);
  engine_.Apply(model::Delete{PostId{10}, UserId{1}, kT0 + Duration::Seconds(2)});
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).replies, 0);
  EXPECT_EQ(engine_.Metrics(UserId{3}, Window::kAll).mentions, 1);
}

TEST_F(EngineTest, WindowExpiryFollowsTheInjectedClock) {
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, kT0));
  engine_.Apply(MakePost(11, 2, PostKind::kReshare, kT0 + Duration::Seconds(1), 10, 1));
  clock_.Set(kT0 + Duration::Minutes(20));
  engine_.AdvanceTo(clock_.Now());
  auto snap = engine_.Publish();
  EXPECT_TRUE(snap->board(Window::k15m).rows.empty());
  ASSERT_FALSE(snap->board(Window::k1h).rows.empty());
  EXPECT_EQ(snap->board(Window::k1h).rows[0].user, UserId{1});
  EXPECT_EQ(snap->board(Window::k1h).rows[0].metrics.reshares, 1);
  clock_.Set(kT0 + Duration::Hours(30));
  engine_.AdvanceTo(clock_.Now());
  snap = engine_.Publish();
  EXPECT_TRUE(snap->board(Window::k24h).rows.empty());
  EXPECT_EQ(snap->board(Window::kAll).rows.size(), 2u);
}

TEST_F(EngineTest, NewestUserSnapshotWins) {
  engine_.Apply(MakeUser(1, "ann", 100, kT0 + Duration::Seconds(10)));
  engine_.Apply(MakeUser(1, "ann_old", 50, kT0));
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, kT0));
  auto snap = engine_.Publish();
  ASSERT_EQ(snap->board(Window::kAll).rows.size(), 1u);
  EXPECT_EQ(snap->board(Window::kAll).rows[0].handle, "ann");
  EXPECT_EQ(snap->board(Window::kAll).rows[0].followers, 100);
}

TEST_F(EngineTest, ReadModelAnswersFromTheSnapshot) {
  engine_.Apply(MakeUser(1, "ann", 100, kT0));
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, kT0));
  engine_.Apply(MakePost(11, 2, PostKind::kReshare, kT0 + Duration::Seconds(1), 10, 1));
  SnapshotReadModel model(engine_);
  EXPECT_EQ(model.GetLeaderboard({})->total, 0);  // nothing published yet
  engine_.Publish();
  auto board = model.GetLeaderboard(LeaderboardQuery{Window::k15m, 1, 0});
  ASSERT_TRUE(board.ok());
  EXPECT_EQ(board->total, 2);
  ASSERT_EQ(board->items.size(), 1u);
  EXPECT_EQ(board->items[0].handle, "ann");
  auto profile = model.GetUser(UserId{1});
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->info.followers, 100);
  ASSERT_TRUE(profile->windows[static_cast<int>(Window::k1h)].has_value());
  EXPECT_EQ(profile->windows[static_cast<int>(Window::k1h)]->metrics.reshares, 1);
  EXPECT_EQ(model.GetUser(UserId{99}).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(model.GetLeaderboard(LeaderboardQuery{Window::kAll, 0, 0}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// The same events in any order give the same state: the property that makes replay equal the
// live run.
TEST(EngineOrderTest, ShuffledEventsGiveTheSameBoards) {
  std::vector<model::Event> events;
  std::mt19937_64 rng(7);
  for (uint64_t i = 0; i < 300; ++i) {
    EventTime t = kT0 + Duration::Seconds(static_cast<int64_t>(i) * 23);
    uint64_t author = 1 + rng() % 20;
    if (i < 40 || rng() % 3 == 0) {
      Post p = MakePost(1000 + i, author, PostKind::kOriginal, t);
      p.counters.likes = static_cast<int64_t>(rng() % 50);
      events.push_back(p);
    } else {
      uint64_t parent = 1000 + rng() % i;
      PostKind kind = rng() % 4 == 0 ? PostKind::kQuote : PostKind::kReshare;
      events.push_back(MakePost(1000 + i, author, kind, t, parent, 0));
    }
    if (i % 37 == 5) events.push_back(model::Delete{PostId{1000 + i / 2}, UserId{}, t});
  }
  auto run = [](const std::vector<model::Event>& evs) {
    ManualClock clock;
    Engine e(EngineOptions{}, clock);
    for (const auto& ev : evs) e.Apply(ev);
    return e.Publish();
  };
  // Deletes carry no author here; the engine fills parent authors from the posts it knows.
  auto a = run(events);
  std::vector<model::Event> shuffled = events;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  auto b = run(shuffled);
  for (Window w : kAllWindows) {
    const auto& ra = a->board(w).rows;
    const auto& rb = b->board(w).rows;
    ASSERT_EQ(ra.size(), rb.size()) << WindowName(w);
    for (size_t i = 0; i < ra.size(); ++i) {
      EXPECT_EQ(ra[i].user, rb[i].user) << WindowName(w) << " row " << i;
      EXPECT_EQ(ra[i].metrics.reshares, rb[i].metrics.reshares);
      EXPECT_EQ(ra[i].metrics.quotes, rb[i].metrics.quotes);
      EXPECT_EQ(ra[i].metrics.likes, rb[i].metrics.likes);
      EXPECT_EQ(ra[i].metrics.depth, rb[i].metrics.depth);
      EXPECT_EQ(ra[i].metrics.posts, rb[i].metrics.posts);
      EXPECT_EQ(ra[i].metrics.audience, rb[i].metrics.audience);
      EXPECT_EQ(ra[i].metrics.h_index, rb[i].metrics.h_index);
      EXPECT_EQ(ra[i].metrics.second_level, rb[i].metrics.second_level);
    }
  }
}

// Posts and engagements per country in a window's conversation board.
std::map<std::string, std::pair<int64_t, int64_t>> Countries(const Snapshot& snap) {
  std::map<std::string, std::pair<int64_t, int64_t>> out;
  for (const CountryRow& c : snap.board(Window::kAll).conversation.countries) {
    out[c.country] = {c.posts, c.engagements};
  }
  return out;
}

Post Located(Post p, const std::string& country, model::GeoSource source) {
  p.country = country;
  p.country_source = source;
  if (source == model::GeoSource::kPlace) p.place = model::Place{.country_code = country};
  return p;
}

TEST_F(EngineTest, ScrubGeoRelocatesTheAccountsEarlierPostsToItsProfileCountry) {
  model::UserSnapshot author = MakeUser(1, "traveller", 10, kT0);
  author.country = "GB";
  engine_.Apply(author);
  engine_.Apply(MakePost(5, 2, PostKind::kOriginal, kT0));
  engine_.Apply(Located(MakePost(10, 1, PostKind::kOriginal, kT0 + Duration::Seconds(1)), "FR",
                        model::GeoSource::kPlace));
  engine_.Apply(Located(MakePost(11, 1, PostKind::kReshare, kT0 + Duration::Seconds(2), 5, 2), "FR",
                        model::GeoSource::kCoordinates));
  engine_.Apply(Located(MakePost(20, 1, PostKind::kOriginal, kT0 + Duration::Seconds(3)), "FR",
                        model::GeoSource::kPlace));
  auto before = Countries(*engine_.Publish());
  EXPECT_EQ(before["FR"], std::make_pair(int64_t{3}, int64_t{1}));
  EXPECT_EQ(engine_.FindPost(PostId{10})->country_code, "FR");

  engine_.Apply(model::ScrubGeo{UserId{1}, PostId{15}, kT0 + Duration::Seconds(4)});
  std::shared_ptr<const Snapshot> after_scrub = engine_.Publish();
  auto after = Countries(*after_scrub);
  EXPECT_EQ(after["FR"], std::make_pair(int64_t{1}, int64_t{0}));  // post 20 is after up_to
  EXPECT_EQ(after["GB"], std::make_pair(int64_t{2}, int64_t{1}));
  EXPECT_EQ(engine_.FindPost(PostId{10})->country_code, "");
  EXPECT_EQ(engine_.FindPost(PostId{20})->country_code, "FR");
  EXPECT_EQ(after_scrub->stats.geo_scrubbed_posts, 2);
  // The reshare now counts in @2's audience from GB, not FR.
  const auto& audience = after_scrub->board(Window::kAll).audience.at(UserId{2});
  ASSERT_EQ(audience.size(), 1u);
  EXPECT_EQ(audience[0].country, "GB");
  // The rest of the account's metrics are untouched.
  EXPECT_EQ(engine_.Metrics(UserId{2}, Window::kAll).reshares, 1);
  EXPECT_EQ(engine_.Metrics(UserId{1}, Window::kAll).posts, 3);

  // A located post at or below up_to arriving late is relocated on arrival; one above is not.
  engine_.Apply(Located(MakePost(12, 1, PostKind::kOriginal, kT0 + Duration::Seconds(5)), "FR",
                        model::GeoSource::kPlace));
  engine_.Apply(Located(MakePost(30, 1, PostKind::kOriginal, kT0 + Duration::Seconds(6)), "FR",
                        model::GeoSource::kPlace));
  auto later = Countries(*engine_.Publish());
  EXPECT_EQ(later["GB"].first, 3);
  EXPECT_EQ(later["FR"].first, 2);
  EXPECT_EQ(engine_.FindPost(PostId{12})->country_code, "");
  // A post located by the profile only is not touched by a scrub.
  engine_.Apply(model::ScrubGeo{UserId{1}, PostId{100}, kT0 + Duration::Seconds(7)});
  auto all_scrubbed = Countries(*engine_.Publish());
  EXPECT_EQ(all_scrubbed["GB"].first, 5);
  EXPECT_EQ(all_scrubbed.count("FR"), 0u);
}

TEST_F(EngineTest, AWithheldAccountLeavesTheCountryFilterOfWhereItIsWithheld) {
  for (uint64_t id : {1, 2}) {
    model::UserSnapshot u = MakeUser(id, "de" + std::to_string(id), 100 * id, kT0);
    u.country = "DE";
    engine_.Apply(u);
    engine_.Apply(MakePost(10 * id, id, PostKind::kOriginal, kT0 + Duration::Seconds(1)));
  }
  engine_.Apply(model::Withheld{PostId{}, UserId{2}, {"DE", "FR"}, kT0 + Duration::Seconds(2)});
  // A later profile snapshot keeps the withholding.
  model::UserSnapshot again = MakeUser(2, "de2", 250, kT0 + Duration::Seconds(3));
  again.country = "DE";
  engine_.Apply(again);
  std::shared_ptr<const Snapshot> snap = engine_.Publish();
  EXPECT_EQ(snap->users.at(UserId{2})->withheld_in, (std::vector<std::string>{"DE", "FR"}));
  EXPECT_EQ(snap->stats.withheld_users, 1);
  SnapshotReadModel model(engine_);
  LeaderboardQuery q;
  q.window = Window::kAll;
  q.country = "DE";
  auto board = model.GetLeaderboard(q);
  ASSERT_TRUE(board.ok());
  ASSERT_EQ(board->total, 1);
  EXPECT_EQ(board->items[0].user, UserId{1});
  q.country.clear();
  EXPECT_EQ(model.GetLeaderboard(q)->total, 2);  // still ranked: the filter is about a country
}

TEST_F(EngineTest, AWithheldPostIsMarkedInItsCascade) {
  engine_.Apply(MakePost(10, 1, PostKind::kOriginal, kT0));
  engine_.Apply(MakePost(11, 2, PostKind::kReshare, kT0 + Duration::Seconds(1), 10, 1));
  engine_.Apply(model::Withheld{PostId{11}, UserId{2}, {"TR"}, kT0 + Duration::Seconds(2)});
  auto report = engine_.Cascade(PostId{10}, 100);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->nodes.size(), 2u);
  EXPECT_TRUE(report->nodes[0].withheld_in.empty());
  EXPECT_EQ(report->nodes[1].withheld_in, (std::vector<std::string>{"TR"}));
  EXPECT_EQ(engine_.stats().withheld_posts, 1);
  // A deleted post is no longer counted, even when the notice comes again.
  engine_.Apply(model::Delete{PostId{11}, UserId{2}, kT0 + Duration::Seconds(3)});
  EXPECT_EQ(engine_.stats().withheld_posts, 0);
  engine_.Apply(model::Withheld{PostId{11}, UserId{2}, {"TR"}, kT0 + Duration::Seconds(4)});
  EXPECT_EQ(engine_.stats().withheld_posts, 0);
}

}  // namespace
}  // namespace reach::engine
