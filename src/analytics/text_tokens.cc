#include "analytics/text_tokens.h"

#include <cstdint>

#include "common/utf8.h"

namespace reach::analytics {
namespace {

constexpr char32_t kInvalid = kReplacementChar;

// One code point at s[i] (common/utf8.h); malformed bytes decode as U+FFFD.
std::size_t Decode(std::string_view s, std::size_t i, char32_t* cp) { return DecodeUtf8(s, i, cp); }

bool IsSpace(char32_t c) {
  if (c < 0x80) return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool IsAsciiAlpha(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsAsciiWord(char32_t c) { return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '_'; }

// Letters, digits, marks and '_' (approximated outside ASCII: see the header).
bool IsWordChar(char32_t c) {
  if (c < 0x80) return IsAsciiWord(c);
  if (IsSpace(c)) return false;
  if (c <= 0xBF) return c == 0xAA || c == 0xB5 || c == 0xBA;
  if (c == 0xD7 || c == 0xF7) return false;
  if (c >= 0x2000 && c <= 0x206F) return c == 0x200C || c == 0x200D;  // ZWNJ, ZWJ join letters
  if (c >= 0x20A0 && c <= 0x20CF) return false;                       // currency symbols
  if (c >= 0x2190 && c <= 0x2BFF) return false;  // arrows, math, technical, shapes, dingbats
  if (c >= 0x2E00 && c <= 0x2E7F) return false;  // supplemental punctuation
  if (c >= 0x3000 && c <= 0x303F) return c >= 0x3005 && c <= 0x3007;  // CJK punctuation
  if (c >= 0xFE00 && c <= 0xFE6F) return false;  // variation selectors, small/vertical forms
  if (c >= 0xFF01 && c <= 0xFF0F) return false;  // fullwidth punctuation
  if (c >= 0xFF1A && c <= 0xFF20) return false;
  if (c >= 0xFF3B && c <= 0xFF40) return c == 0xFF3F;  // fullwidth low line is '_'
  if (c >= 0xFF5B && c <= 0xFF65) return false;
  if (c >= 0xFFF0 && c <= 0xFFFF) return false;    // specials, including U+FFFD
  if (c >= 0x1F000 && c <= 0x1FAFF) return false;  // emoji, regional indicators, symbols
  if (c >= 0xE0000 && c <= 0xE007F) return false;  // tag characters of flag sequences
  return true;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t k = 0; k < prefix.size(); ++k) {
    char c = s[k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[k]) return false;
  }
  return true;
}

// Length of the URL scheme/prefix at the start of s, or 0.
std::size_t UrlPrefix(std::string_view s) {
  for (std::string_view p :
       {std::string_view("https://"), std::string_view("http://"), std::string_view("www.")}) {
    if (StartsWithNoCase(s, p)) return p.size();
  }
  return 0;
}

bool OpensUrl(char32_t prev) {
  return IsSpace(prev) || prev == '(' || prev == '<' || prev == '[' || prev == '"' ||
         prev == '\'' || prev == 0;
}

// End (exclusive) of a URL starting at `begin`, trailing punctuation and unbalanced closers
// removed.
std::size_t UrlEnd(std::string_view text, std::size_t begin) {
  std::size_t end = begin;
  while (end < text.size()) {
    char32_t cp;
    const std::size_t len = Decode(text, end, &cp);
    if (IsSpace(cp)) break;
    end += len;
  }
  auto count = [&](char c, std::size_t e) {
    std::size_t n = 0;
    for (std::size_t k = begin; k < e; ++k) n += text[k] == c ? 1 : 0;
    return n;
  };
  while (end > begin) {
    const char last = text[end - 1];
    const bool trailing_punct = last == '.' || last == ',' || last == ';' || last == ':' ||
                                last == '!' || last == '?' || last == '\'' || last == '"';
    const bool unbalanced = (last == ')' && count('(', end) < count(')', end)) ||
                            (last == ']' && count('[', end) < count(']', end));
    if (!trailing_punct && !unbalanced) break;
    --end;
  }
  return end;
}

}  // namespace

std::string_view EntityKindName(EntityKind kind) {
  switch (kind) {
    case EntityKind::kHashtag:
      return "hashtag";
    case EntityKind::kMention:
      return "mention";
    case EntityKind::kCashtag:
      return "cashtag";
    case EntityKind::kUrl:
      return "url";
  }
  return "unknown";
}

std::vector<TextEntity> ExtractEntities(std::string_view text) {
  std::vector<TextEntity> out;
  char32_t prev = 0;  // 0: start of text
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp;
    const std::size_t len = Decode(text, i, &cp);

    if (OpensUrl(prev)) {
      const std::size_t prefix = UrlPrefix(text.substr(i));
      if (prefix > 0) {
        const std::size_t end = UrlEnd(text, i);
        if (end > i + prefix) {
          out.push_back({EntityKind::kUrl, text.substr(i, end - i), i});
          i = end;
          prev = 'a';
          continue;
        }
      }
    }

    if ((cp == '#' || cp == 0xFF03) && !IsWordChar(prev) && prev != '&') {
      std::size_t j = i + len;
      bool has_non_digit = false;
      while (j < text.size()) {
        char32_t c;
        const std::size_t l = Decode(text, j, &c);
        if (!IsWordChar(c)) break;
        has_non_digit = has_non_digit || !IsAsciiDigit(c);
        j += l;
      }
      if (j > i + len && has_non_digit) {
        out.push_back({EntityKind::kHashtag, text.substr(i + len, j - i - len), i});
        i = j;
        prev = 'a';
        continue;
      }
    }

    if ((cp == '@' || cp == 0xFF20) && !IsWordChar(prev) && prev != '@') {
      std::size_t j = i + len;
      while (j < text.size() && IsAsciiWord(static_cast<unsigned char>(text[j]))) ++j;
      const std::size_t name_len = j - i - len;
      if (name_len >= 1 && name_len <= 15) {
        out.push_back({EntityKind::kMention, text.substr(i + len, name_len), i});
        i = j;
        prev = 'a';
        continue;
      }
    }

    if (cp == '$' && !IsWordChar(prev)) {
      std::size_t j = i + 1;
      while (j < text.size() && j - i - 1 < 7 &&
             IsAsciiAlpha(static_cast<unsigned char>(text[j]))) {
        ++j;
      }
      std::size_t letters = j - i - 1;
      if (letters >= 1 && letters <= 6) {
        // Optional share-class suffix: ".A", "_B".
        if (j + 1 < text.size() && (text[j] == '.' || text[j] == '_') &&
            IsAsciiAlpha(static_cast<unsigned char>(text[j + 1]))) {
          std::size_t k = j + 1;
          while (k < text.size() && k - j - 1 < 3 &&
                 IsAsciiAlpha(static_cast<unsigned char>(text[k]))) {
            ++k;
          }
          if (k - j - 1 <= 2) j = k;
        }
        char32_t next = 0;
        if (j < text.size()) Decode(text, j, &next);
        if (j >= text.size() || !IsWordChar(next)) {
          out.push_back({EntityKind::kCashtag, text.substr(i + 1, j - i - 1), i});
          i = j;
          prev = 'a';
          continue;
        }
      }
    }

    prev = cp;
    i += len;
  }
  return out;
}

}  // namespace reach::analytics
