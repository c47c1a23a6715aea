// VADER sentiment scoring of short social-media texts.
//
// A C++ implementation of VADER (Hutto & Gilbert, "VADER: A Parsimonious Rule-based Model for
// Sentiment Analysis of Social Media Text", ICWSM 2014) that reproduces the reference Python
// package vaderSentiment 3.3.2 (`SentimentIntensityAnalyzer.polarity_scores`) rule for rule:
// emoji replaced by their English descriptions, whitespace tokenising with punctuation stripped
// from words (emoticons kept), the valence lexicon, booster and dampener words ("very",
// "kind of"), ALL-CAPS emphasis when only some words are capitalised, negation (including "n't"
// and "no"), "least", the contrastive "but", "!" and "?" emphasis, the special idioms
// ("the shit", "kiss of death", ...), normalisation score / sqrt(score^2 + 15), and the
// neg/neu/pos proportions. Results are rounded as the reference rounds them (neg/neu/pos to 3
// decimals, compound to 4). Where the reference has quirks (the "but" rule rescales the first
// equal valence, "so"/"this" three words back boosts), they are reproduced on purpose so scores
// agree with published VADER numbers.
//
//   REACH_ASSIGN_OR_RETURN(auto analyzer, SentimentAnalyzer::Load("data/lexicon"));
//   SentimentScores s = analyzer.Score("VADER is smart, handsome, and funny!");
//   // s.compound == 0.8439, s.pos == 0.752, s.neu == 0.248, s.neg == 0.0
//
// Input is UTF-8. Unicode whitespace, ASCII punctuation and Unicode case (for the ALL-CAPS rule)
// follow Python 3's str semantics; bytes that are not valid UTF-8 are treated as opaque,
// uncased, non-space characters.
//
// Thread safety: a loaded analyzer is immutable. Score() is const and touches no shared mutable
// state, so any number of threads may score concurrently on one instance (or on copies, which
// share the same tables).
// Ownership: the analyzer owns its lexicon text and tables (shared, reference-counted, between
// copies). Score() keeps no reference to `text`.
// Errors: Load()/FromText() return NotFound when a file is missing and InvalidArgument with the
// line number for a malformed line. Score() never fails; empty or punctuation-only text scores
// all zeros.
// Cost: loading parses ~11k lines into hash maps (~3 ms). Score() does one hash lookup per word
// and is linear in the text, except the "but" rule, which is quadratic in the number of words
// when the text contains "but" (as in the reference); ~400k-700k tweets/s on one core (see
// docs/benchmarks.md). It allocates only for texts with non-ASCII characters, longer than
// 1 KiB or with more than 64 words.
#ifndef REACH_ANALYTICS_VADER_H_
#define REACH_ANALYTICS_VADER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace reach::analytics {

// VADER scores of one text. neg + neu + pos is 1 (up to rounding) for a text with at least one
// word, and all four are 0 for a text without words. compound is in [-1, 1].
struct SentimentScores {
  double neg = 0.0;
  double neu = 0.0;
  double pos = 0.0;
  double compound = 0.0;
};

class SentimentAnalyzer {
 public:
  // File names inside the lexicon directory.
  static constexpr std::string_view kLexiconFile = "vader_lexicon.txt";
  static constexpr std::string_view kEmojiLexiconFile = "emoji_utf8_lexicon.txt";

  // Reads `lexicon_dir`/vader_lexicon.txt and `lexicon_dir`/emoji_utf8_lexicon.txt.
  [[nodiscard]] static absl::StatusOr<SentimentAnalyzer> Load(const std::string& lexicon_dir);

  // Builds an analyzer from the contents of the two files (same formats: "token\tvalence[\t...]"
  // and "emoji\tdescription" per line). Useful for tests with small lexicons.
  [[nodiscard]] static absl::StatusOr<SentimentAnalyzer> FromText(std::string lexicon_text,
                                                                  std::string emoji_text);

  // Scores one UTF-8 text. Thread-safe.
  [[nodiscard]] SentimentScores Score(std::string_view text) const;

  // Number of distinct lexicon tokens and of emoji that are replaced (single code points; the
  // reference replaces character by character, so multi-code-point sequences never match).
  [[nodiscard]] std::size_t lexicon_size() const;
  [[nodiscard]] std::size_t emoji_count() const;

 private:
  struct Tables;
  explicit SentimentAnalyzer(std::shared_ptr<const Tables> tables);

  std::shared_ptr<const Tables> tables_;
};

}  // namespace reach::analytics

#endif  // REACH_ANALYTICS_VADER_H_
