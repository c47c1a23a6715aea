#include "analytics/vader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"

namespace reach::analytics {
namespace {

// Constants of vaderSentiment 3.3.2 (empirically derived in the paper).
constexpr double kBoosterIncrement = 0.293;
constexpr double kBoosterDecrement = -0.293;
constexpr double kCapsIncrement = 0.733;
constexpr double kNegationScalar = -0.74;
constexpr double kNormalizeAlpha = 15.0;
constexpr double kExclamationWeight = 0.292;
constexpr int kMaxExclamations = 4;
constexpr double kQuestionWeight = 0.18;
constexpr double kManyQuestionsAmplifier = 0.96;
constexpr double kButBeforeScalar = 0.5;
constexpr double kButAfterScalar = 1.5;

constexpr std::string_view kNegations[] = {
    "aint",   "arent",    "cannot",  "cant",     "couldnt",  "darent",   "didnt",   "doesnt",
    "ain't",  "aren't",   "can't",   "couldn't", "daren't",  "didn't",   "doesn't", "dont",
    "hadnt",  "hasnt",    "havent",  "isnt",     "mightnt",  "mustnt",   "neither", "don't",
    "hadn't", "hasn't",   "haven't", "isn't",    "mightn't", "mustn't",  "neednt",  "needn't",
    "never",  "none",     "nope",    "nor",      "not",      "nothing",  "nowhere", "oughtnt",
    "shant",  "shouldnt", "uhuh",    "wasnt",    "werent",   "oughtn't", "shan't",  "shouldn't",
    "uh-uh",  "wasn't",   "weren't", "without",  "wont",     "wouldnt",  "won't",   "wouldn't",
    "rarely", "seldom",   "despite"};

// Single-word entries of the reference BOOSTER_DICT. Its two-word entries ("just enough",
// "kind of", "sort of") only take part in the idiom n-gram check, see BigramBooster().
constexpr std::string_view kBoostersUp[] = {
    "absolutely",    "amazingly",    "awfully",       "completely", "considerable", "considerably",
    "decidedly",     "deeply",       "effing",        "enormous",   "enormously",   "entirely",
    "especially",    "exceptional",  "exceptionally", "extreme",    "extremely",    "fabulously",
    "flipping",      "flippin",      "frackin",       "fracking",   "fricking",     "frickin",
    "frigging",      "friggin",      "fully",         "fuckin",     "fucking",      "fuggin",
    "fugging",       "greatly",      "hella",         "highly",     "hugely",       "incredible",
    "incredibly",    "intensely",    "major",         "majorly",    "more",         "most",
    "particularly",  "purely",       "quite",         "really",     "remarkably",   "so",
    "substantially", "thoroughly",   "total",         "totally",    "tremendous",   "tremendously",
    "uber",          "unbelievably", "unusually",     "utter",      "utterly",      "very"};
constexpr std::string_view kBoostersDown[] = {
    "almost",   "barely",   "hardly",     "kinda",      "kindof",       "kind-of", "less",
    "little",   "marginal", "marginally", "occasional", "occasionally", "partly",  "scarce",
    "scarcely", "slight",   "slightly",   "somewhat",   "sorta",        "sortof",  "sort-of"};

struct WordInfo {
  double valence = 0.0;
  double booster = 0.0;
  bool in_lexicon = false;
  bool is_booster = false;
  bool is_negation = false;
};

// One word of the text after VADER's whitespace split and punctuation strip.
struct Token {
  std::string_view lower;  // Python str.lower() of the word (see LowerInto)
  const WordInfo* info = nullptr;
  bool is_upper = false;  // Python str.isupper()
  bool has_nt = false;    // contains "n't"

  bool InLexicon() const { return info != nullptr && info->in_lexicon; }
  bool IsBooster() const { return info != nullptr && info->is_booster; }
  bool Negated() const { return has_nt || (info != nullptr && info->is_negation); }
  bool Is(std::string_view word) const { return lower == word; }
};

// ----- Unicode helpers (Python 3 str semantics) -----

constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point starting at s[i]; returns its length in bytes (>= 1). Malformed
// sequences decode as one U+FFFD per byte.
int DecodeUtf8(std::string_view s, std::size_t i, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  auto cont = [&](std::size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  auto bits = [&](std::size_t k) {
    return static_cast<char32_t>(static_cast<unsigned char>(s[i + k]) & 0x3F);
  };
  if (b0 >= 0xC2 && b0 <= 0xDF && cont(1)) {
    *cp = (static_cast<char32_t>(b0 & 0x1F) << 6) | bits(1);
    return 2;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF && cont(1) && cont(2)) {
    const char32_t c = (static_cast<char32_t>(b0 & 0x0F) << 12) | (bits(1) << 6) | bits(2);
    if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
      *cp = c;
      return 3;
    }
  }
  if (b0 >= 0xF0 && b0 <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    const char32_t c =
        (static_cast<char32_t>(b0 & 0x07) << 18) | (bits(1) << 12) | (bits(2) << 6) | bits(3);
    if (c >= 0x10000 && c <= 0x10FFFF) {
      *cp = c;
      return 4;
    }
  }
  *cp = kReplacementChar;
  return 1;
}

// Python str.isspace() for one code point.
bool IsPySpace(char32_t c) {
  if (c < 0x80) return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Python string.punctuation.
bool IsAsciiPunct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

struct CaseRun {
  enum Kind : std::uint8_t { kUpper, kLower, kTitle, kAltUpperFirst, kAltLowerFirst };
  char32_t first;
  char32_t last;
  Kind kind;
};

constexpr CaseRun kCaseRuns[] = {
#include "analytics/vader_case_table.inc"
};

enum class CaseClass { kNone, kUpper, kLower, kTitle };

CaseClass CaseOf(char32_t c) {
  if (c < 0x80) {
    if (c >= 'A' && c <= 'Z') return CaseClass::kUpper;
    if (c >= 'a' && c <= 'z') return CaseClass::kLower;
    return CaseClass::kNone;
  }
  const auto* it = std::upper_bound(std::begin(kCaseRuns), std::end(kCaseRuns), c,
                                    [](char32_t v, const CaseRun& r) { return v < r.first; });
  if (it == std::begin(kCaseRuns)) return CaseClass::kNone;
  --it;
  if (c > it->last) return CaseClass::kNone;
  switch (it->kind) {
    case CaseRun::kUpper:
      return CaseClass::kUpper;
    case CaseRun::kLower:
      return CaseClass::kLower;
    case CaseRun::kTitle:
      return CaseClass::kTitle;
    case CaseRun::kAltUpperFirst:
      return (c - it->first) % 2 == 0 ? CaseClass::kUpper : CaseClass::kLower;
    case CaseRun::kAltLowerFirst:
      return (c - it->first) % 2 == 0 ? CaseClass::kLower : CaseClass::kUpper;
  }
  return CaseClass::kNone;
}

void AppendUtf8(char32_t c, char* out, std::size_t* n) {
  if (c < 0x80) {
    out[(*n)++] = static_cast<char>(c);
  } else if (c < 0x800) {
    out[(*n)++] = static_cast<char>(0xC0 | (c >> 6));
    out[(*n)++] = static_cast<char>(0x80 | (c & 0x3F));
  } else {  // only called for BMP letters below
    out[(*n)++] = static_cast<char>(0xE0 | (c >> 12));
    out[(*n)++] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[(*n)++] = static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Simple lowercase mapping for the non-ASCII upper-case letters whose Python lower() is one code
// point of the same UTF-8 length; nullopt for other upper/title-case letters.
std::optional<char32_t> SimpleLower(char32_t c) {
  if (c == 0x212A) return U'k';  // KELVIN SIGN: the only non-ASCII letter lowering to ASCII
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
      (c >= 0x410 && c <= 0x42F)) {
    return c + 0x20;
  }
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  return std::nullopt;
}

// Writes Python's word.lower() to out (capacity >= word.size()); returns the length, or nullopt
// when the word holds an upper/title-case letter outside SimpleLower (such a word cannot equal any
// lexicon key, which are ASCII or lower case).
std::optional<std::size_t> LowerInto(std::string_view word, char* out) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < word.size();) {
    const char ch = word[i];
    if (static_cast<unsigned char>(ch) < 0x80) {
      out[n++] = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
      ++i;
      continue;
    }
    char32_t cp;
    const int len = DecodeUtf8(word, i, &cp);
    const CaseClass cls = CaseOf(cp);
    if (cls == CaseClass::kUpper || cls == CaseClass::kTitle) {
      const std::optional<char32_t> lower = SimpleLower(cp);
      if (!lower) return std::nullopt;
      AppendUtf8(*lower, out, &n);
    } else {
      std::copy_n(word.data() + i, len, out + n);
      n += static_cast<std::size_t>(len);
    }
    i += static_cast<std::size_t>(len);
  }
  return n;
}

// Python str.isupper(): at least one cased character and none lower or title case.
bool IsUpperPy(std::string_view word) {
  bool cased = false;
  for (std::size_t i = 0; i < word.size();) {
    char32_t cp;
    i += static_cast<std::size_t>(DecodeUtf8(word, i, &cp));
    switch (CaseOf(cp)) {
      case CaseClass::kUpper:
        cased = true;
        break;
      case CaseClass::kLower:
      case CaseClass::kTitle:
        return false;
      case CaseClass::kNone:
        break;
    }
  }
  return cased;
}

// "n't" in word.lower(): only 'N' and 'T' lower to 'n' and 't'.
bool ContainsNt(std::string_view word) {
  for (std::size_t i = 0; i + 3 <= word.size(); ++i) {
    if ((word[i] == 'n' || word[i] == 'N') && word[i + 1] == '\'' &&
        (word[i + 2] == 't' || word[i + 2] == 'T')) {
      return true;
    }
  }
  return false;
}

std::size_t CountCodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// Python str.strip() (Unicode whitespace).
std::string_view StripPy(std::string_view s) {
  std::size_t begin = s.size();
  std::size_t end = 0;
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp;
    const int len = DecodeUtf8(s, i, &cp);
    if (!IsPySpace(cp)) {
      if (begin == s.size()) begin = i;
      end = i + static_cast<std::size_t>(len);
    }
    i += static_cast<std::size_t>(len);
  }
  return begin < end ? s.substr(begin, end - begin) : std::string_view();
}

// Python round(x, ndigits) for ndigits in {3, 4}: round half to even on the exact binary value,
// returning the double nearest to the decimal result.
double RoundPy(double x, int ndigits) {
  const double scale = ndigits == 3 ? 1e3 : 1e4;
  const double y = x * scale;
  const double frac = std::fabs(y - std::trunc(y));
  if (std::fabs(frac - 0.5) > 1e-6) return std::nearbyint(y) / scale;
  // Near a tie the scaled product may have rounded across it: decide on the exact value.
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", ndigits, x);
  return std::strtod(buf, nullptr);
}

std::optional<double> BigramBooster(const Token& a, const Token& b) {
  if ((a.Is("kind") || a.Is("sort")) && b.Is("of")) return kBoosterDecrement;
  if (a.Is("just") && b.Is("enough")) return kBoosterDecrement;
  return std::nullopt;
}

// SPECIAL_CASES of the reference ("badass" is also listed there but is one word, and the lookup
// only ever forms two- and three-word keys, so it never applies).
std::optional<double> SpecialCase2(const Token& a, const Token& b) {
  if (a.Is("the") && (b.Is("shit") || b.Is("bomb"))) return 3.0;
  if (a.Is("bad") && b.Is("ass")) return 1.5;
  if (a.Is("bus") && b.Is("stop")) return 0.0;
  if (a.Is("yeah") && b.Is("right")) return -2.0;
  if (b.Is("heart")) {
    if (a.Is("beating")) return 3.1;
    if (a.Is("broken")) return -2.9;
  }
  return std::nullopt;
}

std::optional<double> SpecialCase3(const Token& a, const Token& b, const Token& c) {
  if (a.Is("kiss") && b.Is("of") && c.Is("death")) return -1.5;
  if (a.Is("to") && b.Is("die") && c.Is("for")) return 3.0;
  return std::nullopt;
}

using TokenList = absl::InlinedVector<Token, 64>;

double ScalarIncDec(const Token& word, double valence, bool is_cap_diff) {
  if (!word.IsBooster()) return 0.0;
  double scalar = word.info->booster;
  if (valence < 0) scalar *= -1;
  if (word.is_upper && is_cap_diff) {
    if (valence > 0) {
      scalar += kCapsIncrement;
    } else {
      scalar -= kCapsIncrement;
    }
  }
  return scalar;
}

bool IsSoOrThis(const Token& t) { return t.Is("so") || t.Is("this"); }

double NegationCheck(double valence, const TokenList& w, int start_i, std::size_t i) {
  if (start_i == 0) {
    if (w[i - 1].Negated()) valence *= kNegationScalar;
  } else if (start_i == 1) {
    if (w[i - 2].Is("never") && IsSoOrThis(w[i - 1])) {
      valence *= 1.25;
    } else if (w[i - 2].Is("without") && w[i - 1].Is("doubt")) {
      // "without doubt" is not a negation.
    } else if (w[i - 2].Negated()) {
      valence *= kNegationScalar;
    }
  } else {
    // The reference's operator precedence makes "so"/"this" right before the word boost it
    // whatever the third word back is; reproduced as is.
    if ((w[i - 3].Is("never") && IsSoOrThis(w[i - 2])) || IsSoOrThis(w[i - 1])) {
      valence *= 1.25;
    } else if (w[i - 3].Is("without") && (w[i - 2].Is("doubt") || w[i - 1].Is("doubt"))) {
      // "without (a) doubt" is not a negation.
    } else if (w[i - 3].Negated()) {
      valence *= kNegationScalar;
    }
  }
  return valence;
}

// Requires i >= 3.
double SpecialIdiomsCheck(double valence, const TokenList& w, std::size_t i) {
  const Token& three = w[i - 3];
  const Token& two = w[i - 2];
  const Token& one = w[i - 1];
  const Token& zero = w[i];
  std::optional<double> special = SpecialCase2(one, zero);
  if (!special) special = SpecialCase3(two, one, zero);
  if (!special) special = SpecialCase2(two, one);
  if (!special) special = SpecialCase3(three, two, one);
  if (!special) special = SpecialCase2(three, two);
  if (special) valence = *special;
  if (w.size() - 1 > i) {
    if (auto v = SpecialCase2(zero, w[i + 1])) valence = *v;
  }
  if (w.size() - 1 > i + 1) {
    if (auto v = SpecialCase3(zero, w[i + 1], w[i + 2])) valence = *v;
  }
  if (auto v = BigramBooster(three, two)) valence += *v;
  if (auto v = BigramBooster(two, one)) valence += *v;
  return valence;
}

double LeastCheck(double valence, const TokenList& w, std::size_t i) {
  if (i > 1 && !w[i - 1].InLexicon() && w[i - 1].Is("least")) {
    if (!w[i - 2].Is("at") && !w[i - 2].Is("very")) valence *= kNegationScalar;
  } else if (i > 0 && !w[i - 1].InLexicon() && w[i - 1].Is("least")) {
    valence *= kNegationScalar;
  }
  return valence;
}

double SentimentValence(const TokenList& w, std::size_t i, bool is_cap_diff) {
  const Token& item = w[i];
  if (!item.InLexicon()) return 0.0;
  const double lexicon_valence = item.info->valence;
  double valence = lexicon_valence;
  // "no" before another lexicon word negates it instead of counting on its own.
  if (item.Is("no") && i != w.size() - 1 && w[i + 1].InLexicon()) valence = 0.0;
  if ((i > 0 && w[i - 1].Is("no")) || (i > 1 && w[i - 2].Is("no")) ||
      (i > 2 && w[i - 3].Is("no") && (w[i - 1].Is("or") || w[i - 1].Is("nor")))) {
    valence = lexicon_valence * kNegationScalar;
  }
  if (item.is_upper && is_cap_diff) {
    if (valence > 0) {
      valence += kCapsIncrement;
    } else {
      valence -= kCapsIncrement;
    }
  }
  for (int start_i = 0; start_i < 3; ++start_i) {
    const auto back = static_cast<std::size_t>(start_i) + 1;
    if (i > static_cast<std::size_t>(start_i) && !w[i - back].InLexicon()) {
      double s = ScalarIncDec(w[i - back], valence, is_cap_diff);
      if (start_i == 1 && s != 0) s *= 0.95;
      if (start_i == 2 && s != 0) s *= 0.9;
      valence = valence + s;
      valence = NegationCheck(valence, w, start_i, i);
      if (start_i == 2) valence = SpecialIdiomsCheck(valence, w, i);
    }
  }
  return LeastCheck(valence, w, i);
}

// The reference rescales through list.index(value), i.e. the FIRST element equal to the current
// one; with repeated valences this rescales the same element several times. Reproduced exactly.
template <typename Vec>
void ButCheck(const TokenList& w, Vec& sentiments) {
  std::size_t bi = w.size();
  for (std::size_t k = 0; k < w.size(); ++k) {
    if (w[k].Is("but")) {
      bi = k;
      break;
    }
  }
  if (bi == w.size()) return;
  for (std::size_t k = 0; k < sentiments.size(); ++k) {
    const double sentiment = sentiments[k];
    std::size_t si = 0;
    while (sentiments[si] != sentiment) ++si;
    if (si < bi) {
      sentiments[si] = sentiment * kButBeforeScalar;
    } else if (si > bi) {
      sentiments[si] = sentiment * kButAfterScalar;
    }
  }
}

double PunctuationEmphasis(std::string_view text) {
  int exclamations = 0;
  int questions = 0;
  for (char c : text) {
    exclamations += c == '!' ? 1 : 0;
    questions += c == '?' ? 1 : 0;
  }
  const double ep = std::min(exclamations, kMaxExclamations) * kExclamationWeight;
  double qm = 0.0;
  if (questions > 1) qm = questions <= 3 ? questions * kQuestionWeight : kManyQuestionsAmplifier;
  return ep + qm;
}

double Normalize(double score) {
  const double norm = score / std::sqrt(score * score + kNormalizeAlpha);
  return std::clamp(norm, -1.0, 1.0);
}

template <typename Vec>
SentimentScores ScoreValence(const Vec& sentiments, std::string_view text) {
  if (sentiments.empty()) return {};
  double sum = 0.0;
  for (double s : sentiments) sum += s;
  const double amplifier = PunctuationEmphasis(text);
  if (sum > 0) {
    sum += amplifier;
  } else if (sum < 0) {
    sum -= amplifier;
  }
  const double compound = Normalize(sum);
  double pos_sum = 0.0;
  double neg_sum = 0.0;
  int neu_count = 0;
  for (double s : sentiments) {
    if (s > 0) pos_sum += s + 1;
    if (s < 0) neg_sum += s - 1;
    if (s == 0) ++neu_count;
  }
  if (pos_sum > std::fabs(neg_sum)) {
    pos_sum += amplifier;
  } else if (pos_sum < std::fabs(neg_sum)) {
    neg_sum -= amplifier;
  }
  const double total = pos_sum + std::fabs(neg_sum) + neu_count;
  SentimentScores out;
  out.neg = RoundPy(std::fabs(neg_sum / total), 3);
  out.neu = RoundPy(std::fabs(neu_count / total), 3);
  out.pos = RoundPy(std::fabs(pos_sum / total), 3);
  out.compound = RoundPy(compound, 4);
  return out;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(fmt::format("cannot open {}", path));
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return absl::DataLossError(fmt::format("cannot read {}", path));
  return data;
}

// Calls fn(line_number, stripped_line) for every non-empty line, the way the reference reads its
// files: content.rstrip('\n').split('\n'), then line.strip().
template <typename Fn>
absl::Status ForEachLine(std::string_view content, Fn fn) {
  std::size_t line_no = 0;
  while (!content.empty()) {
    const std::size_t nl = content.find('\n');
    const std::string_view raw = content.substr(0, nl);
    content = nl == std::string_view::npos ? std::string_view() : content.substr(nl + 1);
    ++line_no;
    const std::string_view line = StripPy(raw);
    if (line.empty()) continue;
    if (absl::Status st = fn(line_no, line); !st.ok()) return st;
  }
  return absl::OkStatus();
}

// Splits "a\tb[\t...]" into its first two fields.
std::optional<std::pair<std::string_view, std::string_view>> FirstTwoFields(std::string_view line) {
  const std::size_t tab = line.find('\t');
  if (tab == std::string_view::npos) return std::nullopt;
  std::string_view second = line.substr(tab + 1);
  second = second.substr(0, second.find('\t'));
  return std::make_pair(line.substr(0, tab), second);
}

}  // namespace

struct SentimentAnalyzer::Tables {
  std::string lexicon_text;
  std::string emoji_text;
  absl::flat_hash_map<std::string_view, WordInfo> words;
  absl::flat_hash_map<char32_t, std::string_view> emoji;
  std::size_t lexicon_size = 0;
  bool has_ascii_emoji = false;
};

SentimentAnalyzer::SentimentAnalyzer(std::shared_ptr<const Tables> tables)
    : tables_(std::move(tables)) {}

absl::StatusOr<SentimentAnalyzer> SentimentAnalyzer::Load(const std::string& lexicon_dir) {
  REACH_ASSIGN_OR_RETURN(std::string lexicon,
                         ReadFile(fmt::format("{}/{}", lexicon_dir, kLexiconFile)));
  REACH_ASSIGN_OR_RETURN(std::string emoji,
                         ReadFile(fmt::format("{}/{}", lexicon_dir, kEmojiLexiconFile)));
  return FromText(std::move(lexicon), std::move(emoji));
}

absl::StatusOr<SentimentAnalyzer> SentimentAnalyzer::FromText(std::string lexicon_text,
                                                              std::string emoji_text) {
  auto tables = std::make_shared<Tables>();
  // The views below point into these strings, which never move again.
  tables->lexicon_text = std::move(lexicon_text);
  tables->emoji_text = std::move(emoji_text);
  tables->words.reserve(8192);

  REACH_RETURN_IF_ERROR(ForEachLine(
      tables->lexicon_text, [&](std::size_t line_no, std::string_view line) -> absl::Status {
        const auto fields = FirstTwoFields(line);
        if (!fields) {
          return absl::InvalidArgumentError(
              fmt::format("{}:{}: expected token<TAB>valence", kLexiconFile, line_no));
        }
        std::string_view number = StripPy(fields->second);
        if (!number.empty() && number.front() == '+') number.remove_prefix(1);
        double valence = 0.0;
        const auto [end, ec] =
            std::from_chars(number.data(), number.data() + number.size(), valence);
        if (ec != std::errc() || end != number.data() + number.size() || number.empty()) {
          return absl::InvalidArgumentError(
              fmt::format("{}:{}: bad valence '{}'", kLexiconFile, line_no, fields->second));
        }
        WordInfo& info = tables->words[fields->first];
        info.valence = valence;  // a repeated token overrides the earlier line
        info.in_lexicon = true;
        return absl::OkStatus();
      }));
  tables->lexicon_size = tables->words.size();
  for (std::string_view w : kBoostersUp) {
    WordInfo& info = tables->words[w];
    info.is_booster = true;
    info.booster = kBoosterIncrement;
  }
  for (std::string_view w : kBoostersDown) {
    WordInfo& info = tables->words[w];
    info.is_booster = true;
    info.booster = kBoosterDecrement;
  }
  for (std::string_view w : kNegations) tables->words[w].is_negation = true;

  REACH_RETURN_IF_ERROR(ForEachLine(
      tables->emoji_text, [&](std::size_t line_no, std::string_view line) -> absl::Status {
        const auto fields = FirstTwoFields(line);
        if (!fields || fields->first.empty()) {
          return absl::InvalidArgumentError(
              fmt::format("{}:{}: expected emoji<TAB>description", kEmojiLexiconFile, line_no));
        }
        char32_t cp;
        const int len = DecodeUtf8(fields->first, 0, &cp);
        if (static_cast<std::size_t>(len) != fields->first.size()) return absl::OkStatus();
        if (cp == kReplacementChar && fields->first != "\xEF\xBF\xBD") return absl::OkStatus();
        tables->emoji.insert_or_assign(cp, fields->second);
        if (cp < 0x80) tables->has_ascii_emoji = true;
        return absl::OkStatus();
      }));
  return SentimentAnalyzer(std::move(tables));
}

std::size_t SentimentAnalyzer::lexicon_size() const { return tables_->lexicon_size; }
std::size_t SentimentAnalyzer::emoji_count() const { return tables_->emoji.size(); }

SentimentScores SentimentAnalyzer::Score(std::string_view text) const {
  const Tables& t = *tables_;

  // 1. Replace each emoji character by its description (a space before it unless one is there).
  std::string replaced;
  const bool ascii = std::all_of(text.begin(), text.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!ascii || t.has_ascii_emoji) {
    replaced.reserve(text.size() + 64);
    bool prev_space = true;
    for (std::size_t i = 0; i < text.size();) {
      char32_t cp;
      const auto len = static_cast<std::size_t>(DecodeUtf8(text, i, &cp));
      const auto it = (cp >= 0x80 || t.has_ascii_emoji) ? t.emoji.find(cp) : t.emoji.end();
      if (it != t.emoji.end()) {
        if (!prev_space) replaced.push_back(' ');
        replaced.append(it->second);
        prev_space = false;
      } else {
        replaced.append(text.substr(i, len));
        prev_space = cp == ' ';
      }
      i += len;
    }
    text = replaced;
  }

  // 2. Split on whitespace; strip punctuation unless that leaves two characters or fewer.
  char stack_buf[1024];
  std::unique_ptr<char[]> heap_buf;
  char* lower_buf = stack_buf;
  if (text.size() > sizeof(stack_buf)) {
    heap_buf = std::make_unique<char[]>(text.size());
    lower_buf = heap_buf.get();
  }
  std::size_t lower_used = 0;
  TokenList words;
  std::size_t upper_words = 0;
  auto add_word = [&](std::string_view raw) {
    std::size_t b = 0;
    std::size_t e = raw.size();
    while (b < e && IsAsciiPunct(raw[b])) ++b;
    while (e > b && IsAsciiPunct(raw[e - 1])) --e;
    const std::string_view stripped = raw.substr(b, e - b);
    const std::string_view word =
        (stripped.size() <= 2 || CountCodePoints(stripped) <= 2) ? raw : stripped;
    Token token;
    char* out = lower_buf + lower_used;
    if (const std::optional<std::size_t> n = LowerInto(word, out)) {
      token.lower = std::string_view(out, *n);
      lower_used += *n;
      const auto it = t.words.find(token.lower);
      if (it != t.words.end()) token.info = &it->second;
    } else {
      token.lower = word;  // holds upper-case letters, so it cannot match any lower-case key
    }
    token.has_nt = ContainsNt(word);
    token.is_upper = IsUpperPy(word);
    upper_words += token.is_upper ? 1 : 0;
    words.push_back(token);
  };
  std::size_t start = std::string_view::npos;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp;
    const auto len = static_cast<std::size_t>(DecodeUtf8(text, i, &cp));
    if (IsPySpace(cp)) {
      if (start != std::string_view::npos) add_word(text.substr(start, i - start));
      start = std::string_view::npos;
    } else if (start == std::string_view::npos) {
      start = i;
    }
    i += len;
  }
  if (start != std::string_view::npos) add_word(text.substr(start));

  // 3. Some but not all words in ALL CAPS.
  const bool is_cap_diff = upper_words > 0 && upper_words < words.size();

  // 4. Valence of each word, then the "but" rule and the final scores.
  absl::InlinedVector<double, 64> sentiments;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].IsBooster() ||
        (i + 1 < words.size() && words[i].Is("kind") && words[i + 1].Is("of"))) {
      sentiments.push_back(0.0);
      continue;
    }
    sentiments.push_back(SentimentValence(words, i, is_cap_diff));
  }
  ButCheck(words, sentiments);
  return ScoreValence(sentiments, text);
}

}  // namespace reach::analytics
