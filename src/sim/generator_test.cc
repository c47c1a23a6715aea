#include "sim/generator.h"

#include <map>
#include <set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace reach::sim {
namespace {

using model::PostKind;

class GeneratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WorldOptions o;
    o.seed = 3;
    o.users = 5000;
    world_ = std::move(World::Build(o)).value();
  }
  std::vector<SimEvent> Run(StreamOptions o) {
    Generator g(*world_, o);
    std::vector<SimEvent> events;
    SimEvent e;
    while (g.Next(&e)) events.push_back(e);
    stats_ = g.stats();
    return events;
  }
  StreamOptions Options() {
    StreamOptions o;
    o.seed = 3;
    o.posts = 20'000;
    o.model.reshare_prob = 0.02;
    return o;
  }
  std::unique_ptr<World> world_;
  GeneratorStats stats_;
};

TEST_F(GeneratorTest, StreamIsOrderedAndCounted) {
  const auto events = Run(Options());
  int64_t last = 0;
  uint64_t posts = 0;
  uint64_t likes = 0;
  std::map<PostKind, uint64_t> kinds;
  for (const SimEvent& e : events) {
    const int64_t t = e.type == SimEvent::Type::kPost ? e.post.post.time_us : e.like.time_us;
    ASSERT_GE(t, last);
    last = t;
    if (e.type == SimEvent::Type::kPost) {
      EXPECT_EQ(e.post.post.seq, posts);  // sequence numbers in stream order
      ++posts;
      ++kinds[e.post.post.kind];
    } else {
      ++likes;
    }
  }
  EXPECT_EQ(posts, 20'000u);
  EXPECT_EQ(stats_.posts(), 20'000u);
  EXPECT_EQ(stats_.likes, likes);
  EXPECT_EQ(kinds[PostKind::kOriginal], stats_.originals);
  EXPECT_GT(kinds[PostKind::kReshare], 1000u);
  EXPECT_GT(kinds[PostKind::kQuote], 100u);
  EXPECT_GT(kinds[PostKind::kReply], 10u);
  EXPECT_GT(likes, 1000u);
  EXPECT_GE(stats_.max_depth, 3u);
  EXPECT_EQ(events.front().post.post.time_us, Options().start_time_s * 1'000'000);
}

TEST_F(GeneratorTest, CascadesFollowFollowEdgesAndFormTrees) {
  const auto events = Run(Options());
  std::map<uint64_t, PostRef> seen;                  // seq -> post
  std::set<std::pair<uint64_t, uint32_t>> adopters;  // (root seq, user)
  for (const SimEvent& e : events) {
    if (e.type == SimEvent::Type::kLike) {
      ASSERT_TRUE(seen.count(e.like.post.seq));
      EXPECT_NE(e.like.post.kind, PostKind::kReshare);
      if (e.like.has_via) {
        EXPECT_EQ(e.like.via.kind, PostKind::kReshare);
        EXPECT_TRUE(world_->Follows(e.like.user, e.like.via.author));
      }
      continue;
    }
    const SimPost& p = e.post;
    if (p.post.kind == PostKind::kOriginal) {
      EXPECT_FALSE(p.has_parent);
      EXPECT_EQ(p.post.depth, 0u);
      EXPECT_EQ(p.root.seq, p.post.seq);
      adopters.insert({p.post.seq, p.post.author});
    } else {
      ASSERT_TRUE(p.has_parent);
      ASSERT_TRUE(seen.count(p.parent.seq)) << "parent must come earlier";
      ASSERT_TRUE(seen.count(p.subject.seq));
      ASSERT_TRUE(seen.count(p.root.seq));
      EXPECT_LT(p.parent.time_us, p.post.time_us);
      EXPECT_EQ(seen[p.root.seq].kind, PostKind::kOriginal);
      EXPECT_EQ(p.post.depth, p.parent.depth + 1);
      EXPECT_NE(p.subject.kind, PostKind::kReshare);
      EXPECT_NE(p.subject.kind, PostKind::kReply);
      if (p.post.kind == PostKind::kReshare || p.post.kind == PostKind::kQuote) {
        // Independent cascade along follow edges: the adopter follows its true parent's author,
        // and adopts each cascade once.
        EXPECT_TRUE(world_->Follows(p.post.author, p.parent.author));
        EXPECT_TRUE(adopters.insert({p.root.seq, p.post.author}).second);
      }
      if (p.post.kind == PostKind::kReshare) {
        // A reshare repeats the subject's content.
        EXPECT_EQ(p.post.topic, p.subject.topic);
        EXPECT_EQ(p.post.sentiment, p.subject.sentiment);
        EXPECT_GE(p.subject.reshares, 1u);
      }
      if (p.post.kind == PostKind::kQuote) {
        EXPECT_TRUE(p.post.has_quoted);
        EXPECT_EQ(p.post.quoted_seq, p.subject.seq);
      }
      if (p.has_subject_quoted) {
        EXPECT_EQ(p.subject.quoted_seq, p.subject_quoted.seq);
      }
    }
    seen[p.post.seq] = p.post;
  }
}

TEST_F(GeneratorTest, SameOptionsSameEvents) {
  auto o = Options();
  o.posts = 3000;
  const auto a = Run(o);
  const auto b = Run(o);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].type, b[i].type);
    if (a[i].type == SimEvent::Type::kPost) {
      ASSERT_EQ(a[i].post.post.seq, b[i].post.post.seq);
      ASSERT_EQ(a[i].post.post.author, b[i].post.post.author);
      ASSERT_EQ(a[i].post.post.time_us, b[i].post.post.time_us);
      ASSERT_EQ(a[i].post.parent.seq, b[i].post.parent.seq);
    } else {
      ASSERT_EQ(a[i].like.user, b[i].like.user);
      ASSERT_EQ(a[i].like.time_us, b[i].like.time_us);
    }
  }
}

TEST_F(GeneratorTest, NoSpreadWithoutResharing) {
  auto o = Options();
  o.posts = 2000;
  o.model.reshare_prob = 0;
  o.reply_prob = 0;
  Run(o);
  EXPECT_EQ(stats_.originals, 2000u);
  EXPECT_EQ(stats_.reshares + stats_.quotes + stats_.replies, 0u);
  EXPECT_EQ(stats_.max_depth, 0u);
}

TEST_F(GeneratorTest, ZeroPostsIsAnEmptyStream) {
  auto o = Options();
  o.posts = 0;
  EXPECT_TRUE(Run(o).empty());
}

TEST(TwitterPostIdTest, GrowsWithTimeAndCarriesTheTimestamp) {
  PostRef a;
  a.seq = 5;
  a.time_us = 1'672'531'200'000'000;
  PostRef b = a;
  b.seq = 6;
  b.time_us += 1000;
  EXPECT_LT(TwitterPostId(a), TwitterPostId(b));
  // Snowflake: milliseconds since the Twitter epoch in the bits above 22.
  EXPECT_EQ((TwitterPostId(a) >> 22) + 1'288'834'974'657, 1'672'531'200'000u);
}

}  // namespace
}  // namespace reach::sim
