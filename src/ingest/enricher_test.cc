#include "ingest/enricher.h"

#include <gtest/gtest.h>

namespace reach::ingest {
namespace {

class EnricherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto s = analytics::SentimentAnalyzer::Load(REACH_SOURCE_DIR "/data/lexicon");
    ASSERT_TRUE(s.ok()) << s.status();
    sentiment_ = new analytics::SentimentAnalyzer(std::move(*s));
    auto g = analytics::Gazetteer::Load(REACH_SOURCE_DIR "/data/gazetteer");
    ASSERT_TRUE(g.ok()) << g.status();
    gazetteer_ = new analytics::Gazetteer(std::move(*g));
  }
  static void TearDownTestSuite() {
    delete sentiment_;
    delete gazetteer_;
  }
  static analytics::SentimentAnalyzer* sentiment_;
  static analytics::Gazetteer* gazetteer_;
};
analytics::SentimentAnalyzer* EnricherTest::sentiment_ = nullptr;
analytics::Gazetteer* EnricherTest::gazetteer_ = nullptr;

model::Post MakePost(uint64_t author, std::string text) {
  model::Post p;
  p.id = PostId{100};
  p.author = UserId{author};
  p.text = std::move(text);
  return p;
}

TEST_F(EnricherTest, ScoresTextAndResolvesCountryFromTheAuthorsProfile) {
  model::UserSnapshot u;
  u.id = UserId{7};
  u.location = "London, England";
  std::vector<model::Event> events = {u, MakePost(7, "What a wonderful, happy day!")};
  Enricher(sentiment_, gazetteer_).Enrich(events);
  const auto& user = std::get<model::UserSnapshot>(events[0]);
  const auto& post = std::get<model::Post>(events[1]);
  EXPECT_EQ(user.country, "GB");
  EXPECT_TRUE(post.has_sentiment);
  EXPECT_GT(post.sentiment, 0.5f);
  EXPECT_EQ(post.country, "GB");
  EXPECT_EQ(post.country_source, model::GeoSource::kProfile);
}

TEST_F(EnricherTest, PlaceWinsOverProfileAndResharesGetNoSentiment) {
  model::UserSnapshot u;
  u.id = UserId{7};
  u.location = "London, England";
  model::Post p = MakePost(7, "RT @x: terrible awful news");
  p.kind = model::PostKind::kReshare;
  p.place = model::Place{"FR", "Paris"};
  std::vector<model::Event> events = {u, p};
  Enricher(sentiment_, gazetteer_).Enrich(events);
  const auto& post = std::get<model::Post>(events[1]);
  EXPECT_FALSE(post.has_sentiment);
  EXPECT_EQ(post.country, "FR");
  EXPECT_EQ(post.country_source, model::GeoSource::kPlace);
}

TEST_F(EnricherTest, UnknownLocationStaysUnknown) {
  model::UserSnapshot u;
  u.id = UserId{7};
  u.location = "everywhere";
  std::vector<model::Event> events = {u, MakePost(7, "meh")};
  Enricher(sentiment_, gazetteer_).Enrich(events);
  EXPECT_EQ(std::get<model::UserSnapshot>(events[0]).country, "");
  EXPECT_EQ(std::get<model::Post>(events[1]).country, "");
}

TEST(EnricherWithoutAnalyzersTest, LeavesEventsAlone) {
  std::vector<model::Event> events = {MakePost(1, "great")};
  Enricher(nullptr, nullptr).Enrich(events);
  EXPECT_FALSE(std::get<model::Post>(events[0]).has_sentiment);
}

}  // namespace
}  // namespace reach::ingest
