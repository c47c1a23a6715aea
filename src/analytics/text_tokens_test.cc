#include "analytics/text_tokens.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace reach::analytics {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TextEntity E(EntityKind kind, std::string_view text, std::size_t offset) {
  return {kind, text, offset};
}

TEST(TextTokensTest, AllKindsInOrderWithOffsets) {
  const std::string text = "Loving #\u6771\u4EAC with @ann_b \U0001F389 $AAPL https://x.co/a.";
  // byte offsets: "Loving " = 7; "#東京" = 7 bytes; " with " -> @ at 20; "@ann_b " -> emoji at 27
  EXPECT_THAT(
      ExtractEntities(text),
      ElementsAre(E(EntityKind::kHashtag, "\u6771\u4EAC", 7), E(EntityKind::kMention, "ann_b", 20),
                  E(EntityKind::kCashtag, "AAPL", 32), E(EntityKind::kUrl, "https://x.co/a", 38)));
}

TEST(TextTokensTest, HashtagsInNonLatinScriptsEndAtEmojiAndPunctuation) {
  const std::string text =
      "#\u041F\u0440\u0438\u0432\u0435\u0442\U0001F600 #\u0645\u0631\u062D\u0628\u0627, "
      "#\u0928\u092E\u0938\u094D\u0924\u0947! #caf\u00E9_2024";
  const auto got = ExtractEntities(text);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].text, "\u041F\u0440\u0438\u0432\u0435\u0442");  // Cyrillic, emoji ends it
  EXPECT_EQ(got[1].text, "\u0645\u0631\u062D\u0628\u0627");        // Arabic, comma ends it
  EXPECT_EQ(got[2].text, "\u0928\u092E\u0938\u094D\u0924\u0947");  // Devanagari with virama
  EXPECT_EQ(got[3].text, "caf\u00E9_2024");
  for (const auto& e : got) EXPECT_EQ(e.kind, EntityKind::kHashtag);
}

TEST(TextTokensTest, FullwidthSigils) {
  EXPECT_THAT(
      ExtractEntities("\uFF03\u30BF\u30B0 \uFF20bob"),
      ElementsAre(E(EntityKind::kHashtag, "\u30BF\u30B0", 0), E(EntityKind::kMention, "bob", 10)));
}

TEST(TextTokensTest, NotHashtags) {
  EXPECT_THAT(ExtractEntities("#123 a#b &#39; # alone #\U0001F600"), IsEmpty());
  EXPECT_THAT(ExtractEntities("#1st"), ElementsAre(E(EntityKind::kHashtag, "1st", 0)));
}

TEST(TextTokensTest, MentionsButNotEmailsOrLongNames) {
  EXPECT_THAT(ExtractEntities("mail me@example.com or @dev_team, @abcdefghijklmnop"),
              ElementsAre(E(EntityKind::kMention, "dev_team", 23)));
  EXPECT_THAT(ExtractEntities("(@a)"), ElementsAre(E(EntityKind::kMention, "a", 1)));
}

TEST(TextTokensTest, Cashtags) {
  EXPECT_THAT(
      ExtractEntities("$TSLA up, $BRK.A flat, $100 and $TOOLONGX and a$B"),
      ElementsAre(E(EntityKind::kCashtag, "TSLA", 0), E(EntityKind::kCashtag, "BRK.A", 10)));
  EXPECT_THAT(ExtractEntities("$spy."), ElementsAre(E(EntityKind::kCashtag, "spy", 0)));
}

TEST(TextTokensTest, UrlsTrimTrailingPunctuationAndSwallowFragments) {
  EXPECT_THAT(ExtractEntities("see (https://en.wikipedia.org/wiki/Foo_(bar)), "
                              "HTTP://EXAMPLE.com/#frag! www.x.org"),
              ElementsAre(E(EntityKind::kUrl, "https://en.wikipedia.org/wiki/Foo_(bar)", 5),
                          E(EntityKind::kUrl, "HTTP://EXAMPLE.com/#frag", 47),
                          E(EntityKind::kUrl, "www.x.org", 73)));
  EXPECT_THAT(ExtractEntities("https:// nothing"), IsEmpty());
  EXPECT_THAT(ExtractEntities("xhttps://not.a.url"), IsEmpty());
}

TEST(TextTokensTest, UnicodeWhitespaceEndsUrl) {
  EXPECT_THAT(ExtractEntities("https://a.b/c\u3000next"),
              ElementsAre(E(EntityKind::kUrl, "https://a.b/c", 0)));
}

TEST(TextTokensTest, MalformedUtf8IsNotAWordCharacter) {
  EXPECT_THAT(ExtractEntities("#ok\xff #\xfe"), ElementsAre(E(EntityKind::kHashtag, "ok", 0)));
}

TEST(TextTokensTest, KindNames) {
  EXPECT_EQ(EntityKindName(EntityKind::kHashtag), "hashtag");
  EXPECT_EQ(EntityKindName(EntityKind::kMention), "mention");
  EXPECT_EQ(EntityKindName(EntityKind::kCashtag), "cashtag");
  EXPECT_EQ(EntityKindName(EntityKind::kUrl), "url");
}

}  // namespace
}  // namespace reach::analytics
