#include "sim/text.h"

#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>

#include <gtest/gtest.h>

#include "sim/vocabulary.h"

namespace reach::sim {
namespace {

std::unordered_map<std::string, double> LoadLexicon() {
  std::unordered_map<std::string, double> lexicon;
  for (const char* path : {REACH_SOURCE_DIR "/data/lexicon/vader_lexicon.txt",
                           REACH_SHARED_DATA "/sentiment-vader/vader_lexicon.txt"}) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string word;
      double valence;
      if (std::getline(fields, word, '\t') && fields >> valence) lexicon[word] = valence;
    }
    if (!lexicon.empty()) break;
  }
  return lexicon;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Sentiment must be recoverable: the sentiment words carry a clear valence in VADER's lexicon,
// and nothing else the text is built from carries any.
TEST(VocabularyTest, SentimentWordsAreInTheLexiconAndNothingElseIs) {
  const auto lexicon = LoadLexicon();
  if (lexicon.empty()) GTEST_SKIP() << "VADER lexicon not found";
  for (std::string_view w : PositiveWords()) {
    auto it = lexicon.find(std::string(w));
    ASSERT_NE(it, lexicon.end()) << w;
    EXPECT_GE(it->second, 1.5) << w;
  }
  for (std::string_view w : NegativeWords()) {
    auto it = lexicon.find(std::string(w));
    ASSERT_NE(it, lexicon.end()) << w;
    EXPECT_LE(it->second, -1.5) << w;
  }
  for (std::string_view w : FillerWords()) EXPECT_EQ(lexicon.count(Lower(w)), 0u) << w;
  for (const Topic& t : Topics()) {
    for (std::string_view w : t.words) EXPECT_EQ(lexicon.count(Lower(w)), 0u) << w;
    for (std::string_view w : t.hashtags) EXPECT_EQ(lexicon.count(Lower(w)), 0u) << w;
  }
  for (std::string_view w : FirstNames()) EXPECT_EQ(lexicon.count(Lower(w)), 0u) << w;
  for (std::string_view w : LastNames()) EXPECT_EQ(lexicon.count(Lower(w)), 0u) << w;
  EXPECT_GE(PositiveWords().size(), 40u);
  EXPECT_GE(NegativeWords().size(), 40u);
}

TEST(VocabularyTest, LocationsAreUsable) {
  EXPECT_GE(Locations().size(), 150u);
  for (const Location& l : Locations()) {
    EXPECT_EQ(l.country_code.size(), 2u) << l.text;
    EXPECT_GT(l.weight, 0) << l.text;
    EXPECT_LE(std::abs(l.lat), 90.0) << l.text;
    EXPECT_LE(std::abs(l.lon), 180.0) << l.text;
    EXPECT_FALSE(l.lang.empty()) << l.text;
  }
}

class ComposeTextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WorldOptions o;
    o.users = 500;
    world_ = std::move(World::Build(o)).value();
  }
  std::unique_ptr<World> world_;
};

bool ContainsWord(std::string_view text, std::span<const std::string_view> words) {
  std::string lowered = Lower(text);
  for (char& c : lowered) {
    if (c == '!' || c == '.' || c == ',') c = ' ';
  }
  std::istringstream in(lowered);
  std::string token;
  while (in >> token) {
    for (std::string_view w : words) {
      if (token == w) return true;
    }
  }
  return false;
}

TEST_F(ComposeTextTest, SameSpecSameTextAndEntitiesMatchTheText) {
  Content a;
  Content b;
  NameBuffer buf;
  int hashtags = 0;
  int mentions = 0;
  int urls = 0;
  for (uint64_t seed = 1; seed <= 2000; ++seed) {
    TextSpec spec;
    spec.seed = seed;
    spec.author = static_cast<uint32_t>(seed % 500);
    spec.topic = static_cast<uint8_t>(seed % Topics().size());
    spec.sentiment = static_cast<int8_t>(seed % 3) - 1;
    spec.style = seed % 2 ? MentionStyle::kTwitter : MentionStyle::kBluesky;
    ComposeText(*world_, spec, &a);
    ComposeText(*world_, spec, &b);
    ASSERT_EQ(a.text, b.text);
    ASSERT_LE(a.text.size(), 240u) << a.text;
    for (char c : a.text) ASSERT_LT(static_cast<unsigned char>(c), 0x80) << a.text;
    for (const TextEntity& e : a.entities) {
      ASSERT_LE(e.end, a.text.size());
      const std::string_view span = std::string_view(a.text).substr(e.begin, e.end - e.begin);
      switch (e.kind) {
        case TextEntity::Kind::kHashtag:
          ++hashtags;
          EXPECT_EQ(span, "#" + std::string(e.tag));
          break;
        case TextEntity::Kind::kMention: {
          ++mentions;
          std::string expect = "@" + std::string(world_->ScreenName(e.user, buf));
          if (spec.style == MentionStyle::kBluesky) expect += ".bsky.social";
          EXPECT_EQ(span, expect);
          break;
        }
        case TextEntity::Kind::kUrl:
          ++urls;
          EXPECT_EQ(a.Url(e).substr(0, 8), "https://");
          if (spec.style == MentionStyle::kTwitter) {
            EXPECT_EQ(span.substr(0, 13), "https://t.co/");
            EXPECT_EQ(span.size(), 23u);
          } else {
            EXPECT_EQ(span, a.Url(e));
          }
          break;
      }
    }
    const bool pos = ContainsWord(a.text, PositiveWords());
    const bool neg = ContainsWord(a.text, NegativeWords());
    EXPECT_EQ(pos, spec.sentiment > 0) << a.text;
    EXPECT_EQ(neg, spec.sentiment < 0) << a.text;
    EXPECT_TRUE(ContainsWord(a.text, Topics()[spec.topic].words)) << a.text;
  }
  EXPECT_GT(hashtags, 500);
  EXPECT_GT(mentions, 100);
  EXPECT_GT(urls, 200);
}

TEST_F(ComposeTextTest, TwitterRepliesStartWithTheMention) {
  Content c;
  NameBuffer buf;
  TextSpec spec;
  spec.seed = 99;
  spec.kind = model::PostKind::kReply;
  spec.reply_to_user = 17;
  ComposeText(*world_, spec, &c);
  const std::string prefix = "@" + std::string(world_->ScreenName(17, buf)) + " ";
  EXPECT_EQ(c.text.substr(0, prefix.size()), prefix);
  ASSERT_FALSE(c.entities.empty());
  EXPECT_EQ(c.entities[0].kind, TextEntity::Kind::kMention);
  EXPECT_EQ(c.entities[0].begin, 0u);
  EXPECT_EQ(c.entities[0].user, 17u);
}

}  // namespace
}  // namespace reach::sim
