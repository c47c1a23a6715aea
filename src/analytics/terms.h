// Term extraction for trending topics: the hashtags, words and emoji of a post, normalised.
//
// A topic key is the normalised text of one term of a post:
//   - hashtag (TermKind::kHashtag): recognised as in text_tokens.h (ExtractEntities), '#' removed
//     and case-folded ("#WorldCup" and "#worldcup" are the topic "worldcup"); never stop-worded
//     and of any length;
//   - word (TermKind::kWord): a maximal run of word characters (letters of any script, digits,
//     combining marks; an apostrophe ' or ’ or a zero-width (non-)joiner inside a run is kept, '_'
//     splits), case-folded, with a trailing possessive "'s" removed. URLs, @mentions, $cashtags,
//     hashtags and HTML entities ("&amp;") are skipped. A word is dropped when it has no letter
//     (numbers such as "2024" or "1,000"), is shorter than `min_length` code points (3), or is a
//     stop word (StopWords; data/stopwords/ ships en, es, pt, fr, de and social-media tokens);
//   - emoji (TermKind::kEmoji): each emoji is a separate term (never part of a word), with its
//     skin-tone modifiers and variation selectors removed so "👍🏽" counts as "👍"; ZWJ
//     sequences
//     ("👩‍💻") and flags (two regional indicators) stay whole.
// Case folding is Unicode simple case folding for Latin (ASCII, Latin-1, Latin Extended-A,
// Latin Extended Additional), Greek, Cyrillic and Armenian, plus fullwidth ASCII to ASCII; other
// scripts have no case or are kept as is. Text is not Unicode-normalised (NFC). Scripts written
// without spaces (Chinese, Japanese, Thai) yield whole runs as words; hashtags are the reliable
// topics there.
//
//   REACH_ASSIGN_OR_RETURN(auto stop, StopWords::Load("data/stopwords", {"en", "social"}));
//   TermExtractor terms(std::move(stop));
//   terms.Extract("The #WorldCup final is on! 🎉🎉 https://t.co/x @fifa");
//   // {kHashtag "worldcup"}, {kWord "final"}, {kEmoji "🎉"}   (once each per post by default)
//
// Thread safety: StopWords and TermExtractor are immutable after construction; Extract() is const
// and may run on many threads at once. Ownership: results own their strings.
// Errors: StopWords::Load() returns NotFound for a missing file and InvalidArgument for an unknown
// language name; Extract() never fails (malformed UTF-8 bytes separate words).
// Cost: Extract() is one pass over the text plus one hash lookup per candidate word, O(length).
#ifndef REACH_ANALYTICS_TERMS_H_
#define REACH_ANALYTICS_TERMS_H_

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "common/status.h"

namespace reach::analytics {

enum class TermKind { kWord, kHashtag, kEmoji };

struct Term {
  std::string text;
  TermKind kind = TermKind::kWord;

  friend bool operator==(const Term&, const Term&) = default;
};

// "word", "hashtag" or "emoji".
[[nodiscard]] std::string_view TermKindName(TermKind kind);

// A set of case-folded stop words.
class StopWords {
 public:
  // Languages shipped in data/stopwords/ (file <name>.txt each).
  static constexpr std::string_view kShippedLanguages[] = {"en", "es", "pt", "fr", "de", "social"};

  // An empty set.
  StopWords() = default;

  // Reads `dir`/<language>.txt for each language (one of kShippedLanguages or any other name made
  // of letters, digits, '_' and '-').
  [[nodiscard]] static absl::StatusOr<StopWords> Load(
      const std::string& dir, std::initializer_list<std::string_view> languages);
  // Reads every shipped language from `dir`.
  [[nodiscard]] static absl::StatusOr<StopWords> LoadShipped(const std::string& dir);

  // Adds the words of a list in the file format: one word per line, '#' starts a comment line,
  // blank lines and surrounding whitespace ignored. Words are case-folded, ’ becomes '.
  void AddList(std::string_view text);
  void Add(std::string_view word);

  // `word` must already be folded (as Extract() folds words).
  [[nodiscard]] bool Contains(std::string_view word) const;
  [[nodiscard]] std::size_t size() const { return words_.size(); }

 private:
  absl::flat_hash_set<std::string> words_;
};

struct TermOptions {
  // Minimum length of a word in code points (hashtags and emoji are exempt).
  std::size_t min_length = 3;
  bool words = true;
  bool hashtags = true;
  bool emoji = true;
  // Report each distinct term once per text (a post counts once per topic).
  bool unique = true;
};

class TermExtractor {
 public:
  explicit TermExtractor(StopWords stop_words, TermOptions options = {});

  // The terms of `text` in order of first appearance.
  [[nodiscard]] std::vector<Term> Extract(std::string_view text) const;

  [[nodiscard]] const StopWords& stop_words() const { return stop_words_; }
  [[nodiscard]] const TermOptions& options() const { return options_; }

 private:
  StopWords stop_words_;
  TermOptions options_;
};

// Simple case folding of UTF-8 text as described above; other bytes are copied.
[[nodiscard]] std::string FoldCase(std::string_view text);

// A hashtag's topic key: without a leading '#' or '＃', case-folded.
[[nodiscard]] std::string NormalizeHashtag(std::string_view tag);

}  // namespace reach::analytics

#endif  // REACH_ANALYTICS_TERMS_H_
