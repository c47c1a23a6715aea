// Extraction of the entities of a social-media post: #hashtags, @mentions, $cashtags and URLs.
//
// A small pure function over UTF-8 text, for the analytics that group posts by topic, ticker or
// link (VADER scoring needs no entities; it splits on whitespace itself). The rules follow
// Twitter's public text conventions, simplified:
//   - hashtag: '#' or U+FF03 '＃' not preceded by a word character or '&' (so "&#39;" and "a#b"
//     are not tags), then one or more word characters (Unicode letters, digits, marks, '_',
//     ZWNJ/ZWJ inside scripts that need them) with at least one that is not a digit;
//   - mention: '@' or U+FF20 '＠' not preceded by a word character (so e-mail addresses are not
//     mentions), then 1-15 of [A-Za-z0-9_];
//   - cashtag: '$' not preceded by a word character, 1-6 ASCII letters, optionally '.' or '_'
//     and 1-2 letters (e.g. "$BRK.A"), not followed by a word character;
//   - URL: "http://", "https://" (any case) or "www." at the start of a word, up to the next
//     whitespace, without trailing punctuation ".,;:!?'\"" nor an unbalanced closing bracket.
// Word characters outside ASCII are approximated as every code point that is not whitespace,
// punctuation or a symbol in the common blocks (General Punctuation, CJK Symbols, arrows, dingbats,
// emoji, fullwidth punctuation, ...), so tags in Cyrillic, Arabic, CJK, Devanagari, etc. are
// recognised and an emoji ends a tag.
//
//   auto e = ExtractEntities("Loving #東京 with @ann_b 🎉 $AAPL https://x.co/a.");
//   // {kHashtag "東京"}, {kMention "ann_b"}, {kCashtag "AAPL"}, {kUrl "https://x.co/a"}
//
// Thread safety: pure function. Ownership: the returned views point into `text`, which must
// outlive them. Errors: none; malformed UTF-8 bytes count as symbols (never word characters).
// Cost: one pass over the text, O(length); allocates only the result vector.
#ifndef REACH_ANALYTICS_TEXT_TOKENS_H_
#define REACH_ANALYTICS_TEXT_TOKENS_H_

#include <cstddef>
#include <string_view>
#include <vector>

namespace reach::analytics {

enum class EntityKind { kHashtag, kMention, kCashtag, kUrl };

struct TextEntity {
  EntityKind kind;
  // The entity without its sigil ('#', '@', '$'); the whole URL for kUrl.
  std::string_view text;
  // Byte offset of the sigil (or of the URL) in the input.
  std::size_t offset;

  friend bool operator==(const TextEntity&, const TextEntity&) = default;
};

// Entities in order of appearance.
[[nodiscard]] std::vector<TextEntity> ExtractEntities(std::string_view text);

// "hashtag", "mention", "cashtag" or "url".
[[nodiscard]] std::string_view EntityKindName(EntityKind kind);

}  // namespace reach::analytics

#endif  // REACH_ANALYTICS_TEXT_TOKENS_H_
