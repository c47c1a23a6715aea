#include "engine/audience_sets.h"

#include <gtest/gtest.h>

#include "engine/engine.h"

namespace reach::engine {
namespace {

using model::Post;
using model::PostKind;

const EventTime kT0 = EventTime::FromSeconds(1'700'000'000);

Post MakePost(uint64_t id, uint64_t author, PostKind kind, EventTime t, uint64_t parent = 0,
              uint64_t parent_author = 0, std::string country = "") {
  Post p;
  p.id = PostId{id};
  p.author = UserId{author};
  p.kind = kind;
  p.time = t;
  p.parent = PostId{parent};
  p.parent_author = UserId{parent_author};
  p.country = std::move(country);
  return p;
}

TEST(AudienceSets, EngineRecordsReshareQuoteReplyAndLikeAuthorsWithCountryAndTopics) {
  ManualClock clock;
  Engine engine(EngineOptions{}, clock);
  Post original = MakePost(10, 1, PostKind::kOriginal, kT0);
  original.hashtags = {"Coffee", "news"};
  original.has_sentiment = true;
  original.sentiment = 0.6f;
  engine.Apply(original);
  engine.Apply(MakePost(11, 2, PostKind::kReshare, kT0 + Duration::Seconds(1), 10, 1, "GB"));
  engine.Apply(MakePost(12, 3, PostKind::kQuote, kT0 + Duration::Seconds(2), 10, 1, "US"));
  Post reply = MakePost(13, 4, PostKind::kReply, kT0 + Duration::Seconds(3), 0, 0, "FR");
  reply.in_reply_to = PostId{10};
  reply.in_reply_to_user = UserId{1};
  engine.Apply(reply);
  model::UserSnapshot liker;
  liker.id = UserId{5};
  liker.country = "DE";
  liker.observed = kT0;
  engine.Apply(liker);
  engine.Apply(model::Like{UserId{5}, PostId{10}, UserId{1}, kT0 + Duration::Seconds(4)});

  const AudienceSets& sets = engine.audience_sets();
  const auto* list = sets.Of(UserId{1});
  ASSERT_NE(list, nullptr);
  ASSERT_EQ(list->size(), 4u);
  const char* countries[] = {"GB", "US", "FR", "DE"};
  const std::optional<uint32_t> coffee = sets.Topic("coffee");
  ASSERT_TRUE(coffee.has_value());
  for (size_t i = 0; i < 4; ++i) {
    const AudienceSets::Entry& e = (*list)[i];
    EXPECT_EQ(e.engager, UserId{i + 2});
    EXPECT_EQ(CountryName(e.country), countries[i]);
    EXPECT_EQ(e.target, PostId{10});
    EXPECT_TRUE(e.has_sentiment);
    EXPECT_FLOAT_EQ(e.sentiment, 0.6f);
    EXPECT_EQ(e.topics[0], *coffee);
  }
  EXPECT_FALSE(sets.Topic("tea").has_value());

  // Deleting the reshare withdraws its engager.
  engine.Apply(model::Delete{PostId{11}, UserId{2}, kT0 + Duration::Seconds(5)});
  list = sets.Of(UserId{1});
  ASSERT_NE(list, nullptr);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ(list->front().engager, UserId{3});
}

TEST(AudienceSets, KeepsTheMostRecentEngagementsPerAuthorInAnyArrivalOrder) {
  std::vector<std::string> no_topics;
  auto add = [&](AudienceSets& s, uint64_t engager, int seconds) {
    PostFacts e{.author = UserId{engager}, .time = kT0 + Duration::Seconds(seconds)};
    PostFacts t{.id = PostId{99}, .author = UserId{1}, .topics = &no_topics};
    s.Add(e, t, +1);
  };
  AudienceSets in_order(3), shuffled(3);
  for (int i = 1; i <= 6; ++i) add(in_order, 100 + i, i);
  for (int i : {4, 1, 6, 2, 5, 3}) add(shuffled, 100 + i, i);
  for (const AudienceSets* s : {&in_order, &shuffled}) {
    const auto* list = s->Of(UserId{1});
    ASSERT_NE(list, nullptr);
    ASSERT_EQ(list->size(), 3u);
    EXPECT_EQ((*list)[0].engager, UserId{104});
    EXPECT_EQ((*list)[2].engager, UserId{106});
    EXPECT_EQ(s->entries(), 3u);
  }
}

}  // namespace
}  // namespace reach::engine
