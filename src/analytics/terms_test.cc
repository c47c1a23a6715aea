#include "analytics/terms.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reach::analytics {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Term W(std::string s) { return Term{std::move(s), TermKind::kWord}; }
Term H(std::string s) { return Term{std::move(s), TermKind::kHashtag}; }
Term E(std::string s) { return Term{std::move(s), TermKind::kEmoji}; }

StopWords Shipped() {
  auto s = StopWords::LoadShipped(std::string(REACH_SOURCE_DIR) + "/data/stopwords");
  EXPECT_TRUE(s.ok()) << s.status();
  return *std::move(s);
}

TEST(TermsTest, ShippedStopWordListsLoad) {
  const StopWords stop = Shipped();
  EXPECT_GT(stop.size(), 700u);
  for (const char* w :
       {"the", "because", "don't", "porque", "também", "être", "nicht", "amp", "rt"}) {
    EXPECT_TRUE(stop.Contains(w)) << w;
  }
  for (const char* w : {"brexit", "people", "music"}) EXPECT_FALSE(stop.Contains(w)) << w;
  auto missing = StopWords::Load(std::string(REACH_SOURCE_DIR) + "/data/stopwords", {"xx"});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  auto bad = StopWords::Load(std::string(REACH_SOURCE_DIR) + "/data/stopwords", {"../en"});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TermsTest, StopWordListFormat) {
  StopWords stop;
  stop.AddList("# comment\n  The \n\nDON’T\r\nÉté\n");
  EXPECT_EQ(stop.size(), 3u);
  EXPECT_TRUE(stop.Contains("the"));
  EXPECT_TRUE(stop.Contains("don't"));
  EXPECT_TRUE(stop.Contains("été"));
  EXPECT_FALSE(stop.Contains("# comment"));
}

TEST(TermsTest, ExtractsHashtagsWordsAndEmojiDroppingNoise) {
  const TermExtractor terms(Shipped());
  EXPECT_THAT(
      terms.Extract("RT @fifa: The #WorldCup FINAL is on! 🎉🎉 https://t.co/AbC www.fifa.com &amp; "
                    "tickets at $AAPL prices, 2022 x 1,000 fans #worldcup"),
      ElementsAre(H("worldcup"), W("final"), E("🎉"), W("tickets"), W("prices"), W("fans")));
}

TEST(TermsTest, DropsNumbersShortTokensAndStopWordsButKeepsAlphanumerics) {
  const TermExtractor terms(Shipped());
  EXPECT_THAT(terms.Extract("I am in 2024 on a 5g go covid19 ok 3rd"),
              ElementsAre(W("covid19"), W("3rd")));
  EXPECT_THAT(terms.Extract("the and of to"), IsEmpty());
  EXPECT_THAT(terms.Extract(""), IsEmpty());
}

TEST(TermsTest, UnicodeLettersOfAnyScriptAreCaseFolded) {
  const TermExtractor terms(Shipped());
  EXPECT_THAT(terms.Extract("Привет МИР! ÉCOLE Straße ΣΟΦΙΑ İstanbul ＴＯＫＹＯ"),
              ElementsAre(W("привет"), W("мир"), W("école"), W("straße"), W("σοφια"), W("istanbul"),
                          W("tokyo")));
  // Scripts without spaces: runs stay whole; CJK punctuation splits.
  EXPECT_THAT(terms.Extract("東京タワー、最高です。"), ElementsAre(W("東京タワー"), W("最高です")));
  // Combining marks and Devanagari stay inside the word.
  EXPECT_THAT(terms.Extract("cafe\u0301 नमस्ते"), ElementsAre(W("cafe\u0301"), W("नमस्ते")));
  EXPECT_EQ(FoldCase("ÀÉÎÕÜ ĀĒĪŌŪ ẞ"), "àéîõü āēīōū ß");
  EXPECT_EQ(FoldCase("\xff"
                     "AB"),
            "\xff"
            "ab");  // malformed bytes are kept
}

TEST(TermsTest, EmojiAreSeparateNormalisedTerms) {
  const TermExtractor terms(Shipped());
  EXPECT_THAT(terms.Extract("fire🔥fire 👍🏽 👍 ❤️ ❤ 👩‍💻 🇫🇷🇩🇪"),
              ElementsAre(W("fire"), E("🔥"), E("👍"), E("❤"), E("👩‍💻"), E("🇫🇷"), E("🇩🇪")));
  TermOptions no_emoji;
  no_emoji.emoji = false;
  EXPECT_THAT(TermExtractor(Shipped(), no_emoji).Extract("fire🔥water"),
              ElementsAre(W("fire"), W("water")));
}

TEST(TermsTest, ApostrophesContractionsAndPossessives) {
  const TermExtractor terms(Shipped());
  EXPECT_THAT(terms.Extract("Don't stop Obama's speech, it’s rock'n'roll 'quoted'"),
              ElementsAre(W("stop"), W("obama"), W("speech"), W("rock'n'roll"), W("quoted")));
}

TEST(TermsTest, HashtagsAreFoldedAndKeptRegardlessOfLengthOrStopWords) {
  const TermExtractor terms(Shipped());
  EXPECT_THAT(terms.Extract("#AI #The #東京 ＃ＷＯＲＬＤ a#b &#39;x"),
              ElementsAre(H("ai"), H("the"), H("東京"), H("world")));
  EXPECT_EQ(NormalizeHashtag("#BlackLivesMatter"), "blacklivesmatter");
  EXPECT_EQ(NormalizeHashtag("ＫＰＯＰ"), "kpop");
  EXPECT_EQ(NormalizeHashtag("\xEF\xBC\x83"
                             "Brexit"),
            "brexit");
}

TEST(TermsTest, UniqueOptionAndKindSelection) {
  TermOptions all;
  all.unique = false;
  EXPECT_THAT(TermExtractor(Shipped(), all).Extract("cats cats #cats"),
              ElementsAre(W("cats"), W("cats"), H("cats")));
  EXPECT_THAT(TermExtractor(Shipped()).Extract("cats cats #cats #CATS"),
              ElementsAre(W("cats"), H("cats")));
  TermOptions tags_only;
  tags_only.words = false;
  tags_only.emoji = false;
  EXPECT_THAT(TermExtractor(Shipped(), tags_only).Extract("cats 🐈 #cats"), ElementsAre(H("cats")));
  TermOptions short_words;
  short_words.min_length = 2;
  EXPECT_THAT(TermExtractor(StopWords(), short_words).Extract("go a UK"),
              ElementsAre(W("go"), W("uk")));
  EXPECT_EQ(TermKindName(TermKind::kHashtag), "hashtag");
}

}  // namespace
}  // namespace reach::analytics
