#include "analytics/terms.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>

#include "analytics/text_tokens.h"
#include "common/utf8.h"

namespace reach::analytics {
namespace {

constexpr char32_t kInvalid = kReplacementChar;
constexpr char32_t kZwnj = 0x200C;
constexpr char32_t kZwj = 0x200D;

absl::string_view AsKey(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// One code point at s[i] (common/utf8.h); malformed bytes decode as U+FFFD.
std::size_t Decode(std::string_view s, std::size_t i, char32_t* cp) { return DecodeUtf8(s, i, cp); }

void Append(std::string* out, char32_t c) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool InRange(char32_t c, char32_t lo, char32_t hi) { return c >= lo && c <= hi; }

// Simple case folding (see the header for the covered blocks).
char32_t Fold(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
  if (c < 0x100) {
    if (InRange(c, 0xC0, 0xDE) && c != 0xD7) return c + 0x20;
    return c;
  }
  if (c < 0x180) {  // Latin Extended-A: upper/lower pairs.
    if (c == 0x130) return 'i';
    if (c == 0x178) return 0xFF;
    if (c == 0x17F) return 's';
    if (InRange(c, 0x100, 0x12F) || InRange(c, 0x132, 0x137) || InRange(c, 0x14A, 0x177)) {
      return (c % 2 == 0) ? c + 1 : c;
    }
    if (InRange(c, 0x139, 0x148) || InRange(c, 0x179, 0x17E)) return (c % 2 == 1) ? c + 1 : c;
    return c;
  }
  if (InRange(c, 0x370, 0x3FF)) {  // Greek.
    if (InRange(c, 0x391, 0x3A1) || InRange(c, 0x3A3, 0x3AB)) return c + 0x20;
    if (c == 0x386) return 0x3AC;
    if (InRange(c, 0x388, 0x38A)) return c + 0x25;
    if (c == 0x38C) return 0x3CC;
    if (InRange(c, 0x38E, 0x38F)) return c + 0x3F;
    if (c == 0x3C2) return 0x3C3;  // final sigma folds to sigma
    return c;
  }
  if (InRange(c, 0x400, 0x4FF)) {  // Cyrillic.
    if (InRange(c, 0x410, 0x42F)) return c + 0x20;
    if (InRange(c, 0x400, 0x40F)) return c + 0x50;
    if (InRange(c, 0x460, 0x481) || InRange(c, 0x48A, 0x4BF) || InRange(c, 0x4D0, 0x4FF)) {
      return (c % 2 == 0) ? c + 1 : c;
    }
    if (c == 0x4C0) return 0x4CF;
    if (InRange(c, 0x4C1, 0x4CE)) return (c % 2 == 1) ? c + 1 : c;
    return c;
  }
  if (InRange(c, 0x531, 0x556)) return c + 0x30;                   // Armenian.
  if (InRange(c, 0x1E00, 0x1E95) || InRange(c, 0x1EA0, 0x1EFF)) {  // Latin Extended Additional.
    return (c % 2 == 0) ? c + 1 : c;
  }
  if (c == 0x1E9E) return 0xDF;                             // capital sharp s
  if (InRange(c, 0xFF21, 0xFF3A)) return c - 0xFF21 + 'a';  // fullwidth A-Z
  if (InRange(c, 0xFF41, 0xFF5A)) return c - 0xFF41 + 'a';  // fullwidth a-z
  if (InRange(c, 0xFF10, 0xFF19)) return c - 0xFF10 + '0';  // fullwidth digits
  return c;
}

bool IsRegionalIndicator(char32_t c) { return InRange(c, 0x1F1E6, 0x1F1FF); }
bool IsSkinTone(char32_t c) { return InRange(c, 0x1F3FB, 0x1F3FF); }
bool IsVariationSelector(char32_t c) { return InRange(c, 0xFE00, 0xFE0F); }
bool IsEmojiTag(char32_t c) { return InRange(c, 0xE0020, 0xE007F); }

bool IsEmoji(char32_t c) {
  if (IsSkinTone(c)) return false;
  return InRange(c, 0x1F000, 0x1FAFF) || InRange(c, 0x2600, 0x27BF) || InRange(c, 0x2B00, 0x2BFF) ||
         InRange(c, 0x231A, 0x23FF);
}

bool IsDigit(char32_t c) {
  return InRange(c, '0', '9') || InRange(c, 0x660, 0x669) || InRange(c, 0x6F0, 0x6F9) ||
         InRange(c, 0x966, 0x96F) || InRange(c, 0xFF10, 0xFF19);
}

bool IsCombiningMark(char32_t c) {
  return InRange(c, 0x300, 0x36F) || InRange(c, 0x1AB0, 0x1AFF) || InRange(c, 0x1DC0, 0x1DFF);
}

// Letters, digits and combining marks; outside ASCII everything that is not whitespace,
// punctuation, a symbol, an emoji, a control or private-use character.
bool IsWordChar(char32_t c) {
  if (c < 0x80) return InRange(c, 'a', 'z') || InRange(c, 'A', 'Z') || InRange(c, '0', '9');
  if (c == kInvalid) return false;
  if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA;
  if (c == 0xD7 || c == 0xF7) return false;
  if (c == 0x37E || c == 0x387) return false;  // Greek question mark, ano teleia
  if (c == 0x55A || InRange(c, 0x55C, 0x55F) || c == 0x589) return false;  // Armenian punctuation
  if (c == 0x5BE || c == 0x5C0 || c == 0x5C3 || c == 0x5C6 || InRange(c, 0x5F3, 0x5F4)) {
    return false;  // Hebrew punctuation
  }
  if (c == 0x60C || c == 0x61B || c == 0x61F || InRange(c, 0x66A, 0x66D) || c == 0x6D4) {
    return false;  // Arabic punctuation
  }
  if (c == 0x964 || c == 0x965 || c == 0xE5A || c == 0xE5B) return false;  // danda, Thai marks
  if (c == 0x1680) return false;
  if (InRange(c, 0x2000, 0x2BFF)) return false;  // punctuation, symbols, arrows, dingbats
  if (InRange(c, 0x2E00, 0x2E7F)) return false;  // supplemental punctuation
  if (InRange(c, 0x3000, 0x3004) || InRange(c, 0x3008, 0x3020) || c == 0x3030 || c == 0x303D ||
      c == 0x30FB) {
    return false;  // CJK symbols and punctuation (not 々 〆 〇)
  }
  if (InRange(c, 0xD800, 0xF8FF)) return false;  // surrogates, private use
  if (InRange(c, 0xFE00, 0xFE0F) || InRange(c, 0xFE10, 0xFE1F) || InRange(c, 0xFE30, 0xFE6F)) {
    return false;
  }
  if (InRange(c, 0xFF01, 0xFF0F) || InRange(c, 0xFF1A, 0xFF20) || InRange(c, 0xFF3B, 0xFF40) ||
      InRange(c, 0xFF5B, 0xFF65)) {
    return false;  // fullwidth punctuation
  }
  if (InRange(c, 0xFFF0, 0xFFFF)) return false;
  if (InRange(c, 0x1F000, 0x1FAFF)) return false;  // emoji and pictographs
  if (InRange(c, 0xE0000, 0xE007F) || c >= 0xF0000) return false;
  return true;
}

bool IsLetter(char32_t c) { return IsWordChar(c) && !IsDigit(c) && !IsCombiningMark(c); }

bool IsApostrophe(char32_t c) { return c == '\'' || c == 0x2019; }

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Length of an HTML entity ("&amp;", "&#39;", "&#x1F600;") at s[i], or 0.
std::size_t HtmlEntityLength(std::string_view s, std::size_t i) {
  if (s[i] != '&') return 0;
  std::size_t j = i + 1;
  if (j < s.size() && s[j] == '#') ++j;
  const std::size_t name_start = j;
  while (j < s.size() && j - name_start < 10 && IsAsciiAlnum(s[j])) ++j;
  if (j == name_start || j >= s.size() || s[j] != ';') return 0;
  return j + 1 - i;
}

// Scans one emoji sequence starting at s[i] (an emoji or regional indicator); appends its
// normalised form to `out` and returns the bytes consumed.
std::size_t ScanEmoji(std::string_view s, std::size_t i, std::string* out) {
  char32_t c = 0;
  std::size_t j = i + Decode(s, i, &c);
  Append(out, c);
  if (IsRegionalIndicator(c)) {
    char32_t next = 0;
    if (j < s.size()) {
      const std::size_t len = Decode(s, j, &next);
      if (IsRegionalIndicator(next)) {
        Append(out, next);
        j += len;
      }
    }
    return j - i;
  }
  while (j < s.size()) {
    char32_t next = 0;
    const std::size_t len = Decode(s, j, &next);
    if (IsSkinTone(next) || IsVariationSelector(next) || next == 0x20E3) {
      j += len;  // modifiers and presentation selectors are dropped
      continue;
    }
    if (IsEmojiTag(next)) {
      Append(out, next);  // subdivision flags (tag sequences) stay whole
      j += len;
      continue;
    }
    if (next == kZwj && j + len < s.size()) {
      char32_t joined = 0;
      const std::size_t joined_len = Decode(s, j + len, &joined);
      if (IsEmoji(joined)) {
        Append(out, kZwj);
        Append(out, joined);
        j += len + joined_len;
        continue;
      }
    }
    break;
  }
  return j - i;
}

bool ValidLanguageName(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return IsAsciiAlnum(c) || c == '_' || c == '-'; });
}

std::string_view Trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

void AddUnique(std::vector<Term>* terms, bool unique, std::string text, TermKind kind) {
  if (unique) {
    for (const Term& t : *terms) {
      if (t.kind == kind && t.text == text) return;
    }
  }
  terms->push_back(Term{std::move(text), kind});
}

}  // namespace

std::string_view TermKindName(TermKind kind) {
  switch (kind) {
    case TermKind::kWord:
      return "word";
    case TermKind::kHashtag:
      return "hashtag";
    case TermKind::kEmoji:
      return "emoji";
  }
  return "word";
}

std::string FoldCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const std::size_t len = Decode(text, i, &c);
    if (c == kInvalid && len == 1) {
      out.push_back(text[i]);  // keep malformed bytes as they are
    } else {
      Append(&out, Fold(c));
    }
    i += len;
  }
  return out;
}

std::string NormalizeHashtag(std::string_view tag) {
  if (!tag.empty() && tag.front() == '#') {
    tag.remove_prefix(1);
  } else if (tag.substr(0, 3) == "\xEF\xBC\x83") {  // U+FF03 FULLWIDTH NUMBER SIGN
    tag.remove_prefix(3);
  }
  return FoldCase(tag);
}

namespace {

template <class It>
absl::StatusOr<StopWords> LoadLists(const std::string& dir, It begin, It end) {
  StopWords out;
  for (It it = begin; it != end; ++it) {
    const std::string_view lang = *it;
    if (!ValidLanguageName(lang)) {
      return absl::InvalidArgumentError(fmt::format("invalid stop word language name '{}'", lang));
    }
    const std::string path = fmt::format("{}/{}.txt", dir, lang);
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(fmt::format("cannot open stop word list {}", path));
    std::ostringstream text;
    text << in.rdbuf();
    out.AddList(text.str());
  }
  return out;
}

}  // namespace

absl::StatusOr<StopWords> StopWords::Load(const std::string& dir,
                                          std::initializer_list<std::string_view> languages) {
  return LoadLists(dir, languages.begin(), languages.end());
}

absl::StatusOr<StopWords> StopWords::LoadShipped(const std::string& dir) {
  return LoadLists(dir, std::begin(kShippedLanguages), std::end(kShippedLanguages));
}

void StopWords::AddList(std::string_view text) {
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    Add(line);
  }
}

void StopWords::Add(std::string_view word) {
  std::string folded = FoldCase(Trim(word));
  // Typographic apostrophe (U+2019) to ASCII, as Extract() does.
  for (std::size_t pos; (pos = folded.find("\xE2\x80\x99")) != std::string::npos;) {
    folded.replace(pos, 3, "'");
  }
  if (!folded.empty()) words_.insert(std::move(folded));
}

bool StopWords::Contains(std::string_view word) const { return words_.contains(AsKey(word)); }

TermExtractor::TermExtractor(StopWords stop_words, TermOptions options)
    : stop_words_(std::move(stop_words)), options_(options) {}

std::vector<Term> TermExtractor::Extract(std::string_view text) const {
  std::vector<Term> terms;
  // Entities are skipped as words; hashtags become terms where they appear.
  const std::vector<TextEntity> entities = ExtractEntities(text);
  if (!options_.words && !options_.emoji && !options_.hashtags) return terms;
  std::size_t next_skip = 0;
  std::string word;
  std::size_t word_chars = 0;
  bool word_has_letter = false;
  const auto flush_word = [&]() {
    if (word.empty()) return;
    if (word.size() >= 2 && word.ends_with("'s")) {
      word.resize(word.size() - 2);
      --word_chars;
    }
    if (options_.words && word_has_letter && word_chars >= options_.min_length &&
        !stop_words_.Contains(word)) {
      AddUnique(&terms, options_.unique, word, TermKind::kWord);
    }
    word.clear();
    word_chars = 0;
    word_has_letter = false;
  };

  for (std::size_t i = 0; i < text.size();) {
    if (next_skip < entities.size() && i >= entities[next_skip].offset) {
      flush_word();
      const TextEntity& e = entities[next_skip++];
      if (e.kind == EntityKind::kHashtag && options_.hashtags) {
        AddUnique(&terms, options_.unique, NormalizeHashtag(e.text), TermKind::kHashtag);
      }
      i = std::max(i, static_cast<std::size_t>(e.text.data() - text.data()) + e.text.size());
      continue;
    }
    if (const std::size_t entity = HtmlEntityLength(text, i); entity > 0) {
      flush_word();
      i += entity;
      continue;
    }
    char32_t c = 0;
    const std::size_t len = Decode(text, i, &c);
    if (IsWordChar(c)) {
      Append(&word, Fold(c));
      ++word_chars;
      word_has_letter = word_has_letter || IsLetter(c);
      i += len;
      continue;
    }
    if (!word.empty() && (IsApostrophe(c) || c == kZwj || c == kZwnj) && i + len < text.size()) {
      char32_t next = 0;
      Decode(text, i + len, &next);
      if (IsWordChar(next)) {
        if (IsApostrophe(c)) {
          word.push_back('\'');
        } else {
          Append(&word, c);
        }
        i += len;
        continue;
      }
    }
    flush_word();
    if (IsEmoji(c) || IsRegionalIndicator(c)) {
      std::string emoji;
      const std::size_t consumed = ScanEmoji(text, i, &emoji);
      if (options_.emoji) AddUnique(&terms, options_.unique, std::move(emoji), TermKind::kEmoji);
      i += consumed;
      continue;
    }
    i += len;
  }
  flush_word();
  return terms;
}

}  // namespace reach::analytics
