#include "analytics/vader.h"

#include <cmath>
#include <cstddef>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

// Expected values below are those of the reference Python vaderSentiment 3.3.2
// (polarity_scores) with the shipped lexicons.

namespace reach::analytics {
namespace {

const char kLexiconDir[] = REACH_SOURCE_DIR "/data/lexicon";
const char kDataDir[] = REACH_SHARED_DATA "/sentiment-vader";

class VaderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = SentimentAnalyzer::Load(kLexiconDir);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    analyzer_ = new SentimentAnalyzer(*std::move(loaded));
  }
  static void TearDownTestSuite() {
    delete analyzer_;
    analyzer_ = nullptr;
  }

  static double Compound(std::string_view text) { return analyzer_->Score(text).compound; }

  static void ExpectScores(std::string_view text, double neg, double neu, double pos,
                           double compound) {
    const SentimentScores s = analyzer_->Score(text);
    EXPECT_DOUBLE_EQ(s.neg, neg) << "neg of '" << text << "'";
    EXPECT_DOUBLE_EQ(s.neu, neu) << "neu of '" << text << "'";
    EXPECT_DOUBLE_EQ(s.pos, pos) << "pos of '" << text << "'";
    EXPECT_DOUBLE_EQ(s.compound, compound) << "compound of '" << text << "'";
  }

  static SentimentAnalyzer* analyzer_;
};

SentimentAnalyzer* VaderTest::analyzer_ = nullptr;

// ----- acceptance: the 4,200 rated tweets of Hutto & Gilbert (2014) -----

struct RatedTweet {
  std::string id;
  double human_mean = 0;
  std::string text;
};

std::vector<RatedTweet> ReadGroundTruth() {
  std::ifstream in(std::string(kDataDir) + "/tweets_GroundTruth.txt", std::ios::binary);
  std::vector<RatedTweet> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CRLF line ends
    if (line.empty()) continue;
    const std::size_t t1 = line.find('\t');
    const std::size_t t2 = line.find('\t', t1 + 1);
    if (t1 == std::string::npos || t2 == std::string::npos) continue;
    out.push_back(
        {line.substr(0, t1), std::stod(line.substr(t1 + 1, t2 - t1 - 1)), line.substr(t2 + 1)});
  }
  return out;
}

std::unordered_map<std::string, SentimentScores> ReadReference() {
  std::ifstream in(std::string(kDataDir) + "/tweets_vader_reference_scores_v3.3.2.tsv");
  std::unordered_map<std::string, SentimentScores> out;
  std::string line;
  std::getline(in, line);  // header: id human_mean neg neu pos compound
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id;
    double human;
    SentimentScores s;
    if (fields >> id >> human >> s.neg >> s.neu >> s.pos >> s.compound) out[id] = s;
  }
  return out;
}

double Pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
  mx /= n;
  my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

TEST_F(VaderTest, MatchesReferenceOnAllRatedTweets) {
  const std::vector<RatedTweet> tweets = ReadGroundTruth();
  const auto reference = ReadReference();
  ASSERT_EQ(tweets.size(), 4200u);
  ASSERT_EQ(reference.size(), 4200u);

  std::size_t compound_ok = 0, neg_ok = 0, neu_ok = 0, pos_ok = 0, all_ok = 0;
  std::vector<double> ours, human;
  for (const RatedTweet& t : tweets) {
    const auto it = reference.find(t.id);
    ASSERT_NE(it, reference.end()) << "no reference score for tweet " << t.id;
    const SentimentScores got = analyzer_->Score(t.text);
    const SentimentScores& want = it->second;
    const bool c = std::fabs(got.compound - want.compound) <= 0.001;
    const bool ng = std::fabs(got.neg - want.neg) <= 0.001;
    const bool nu = std::fabs(got.neu - want.neu) <= 0.001;
    const bool p = std::fabs(got.pos - want.pos) <= 0.001;
    compound_ok += c;
    neg_ok += ng;
    neu_ok += nu;
    pos_ok += p;
    all_ok += c && ng && nu && p;
    if (!(c && ng && nu && p)) {
      ADD_FAILURE() << "tweet " << t.id << " '" << t.text << "': got " << got.neg << "/" << got.neu
                    << "/" << got.pos << "/" << got.compound << ", reference " << want.neg << "/"
                    << want.neu << "/" << want.pos << "/" << want.compound;
    }
    ours.push_back(got.compound);
    human.push_back(t.human_mean);
  }
  const double n = static_cast<double>(tweets.size());
  const double r = Pearson(ours, human);
  std::cout << "[ VADER    ] compound within 0.001 of reference: " << compound_ok << "/"
            << tweets.size() << " (" << 100.0 * compound_ok / n << " %); neg " << neg_ok << ", neu "
            << neu_ok << ", pos " << pos_ok << "; Pearson r(compound, human mean) = " << r << "\n";
  RecordProperty("compound_share", std::to_string(compound_ok / n));
  RecordProperty("pearson_r", std::to_string(r));
  EXPECT_GE(compound_ok / n, 0.99);
  EXPECT_GE(neg_ok / n, 0.99);
  EXPECT_GE(neu_ok / n, 0.99);
  EXPECT_GE(pos_ok / n, 0.99);
  EXPECT_GE(r, 0.85);
  EXPECT_NEAR(r, 0.872, 0.0005);  // the value published with the reference scores
}

// Generated texts mixing every rule with Unicode case, whitespace and emoji (see the file header).
TEST_F(VaderTest, MatchesReferenceOnGoldenUnicodeCases) {
  std::ifstream in(REACH_SOURCE_DIR "/src/analytics/vader_golden_cases.tsv", std::ios::binary);
  ASSERT_TRUE(in) << "missing vader_golden_cases.tsv";
  std::string line;
  std::size_t cases = 0;
  bool header = true;  // leading "# " lines; texts themselves may start with '#'
  while (std::getline(in, line)) {
    header = header && line.rfind("# ", 0) == 0;
    if (header || line.empty()) continue;
    // The text may hold any character but TAB/LF; the four scores are the last fields.
    std::size_t cut = line.size();
    double want[4];
    for (int k = 3; k >= 0; --k) {
      const std::size_t tab = line.rfind('\t', cut - 1);
      ASSERT_NE(tab, std::string::npos) << line;
      want[k] = std::stod(line.substr(tab + 1, cut - tab - 1));
      cut = tab;
    }
    const std::string text = line.substr(0, cut);
    const SentimentScores got = analyzer_->Score(text);
    EXPECT_DOUBLE_EQ(got.neg, want[0]) << text;
    EXPECT_DOUBLE_EQ(got.neu, want[1]) << text;
    EXPECT_DOUBLE_EQ(got.pos, want[2]) << text;
    EXPECT_DOUBLE_EQ(got.compound, want[3]) << text;
    ++cases;
  }
  EXPECT_EQ(cases, 1000u);
}

// ----- one test per rule -----

TEST_F(VaderTest, LexiconWordAndNormalisation) {
  // good = 1.9; 1.9 / sqrt(1.9^2 + 15) = 0.4404.
  ExpectScores("The book was good.", 0.0, 0.508, 0.492, 0.4404);
  ExpectScores("VADER is smart, handsome, and funny.", 0.0, 0.254, 0.746, 0.8316);
}

TEST_F(VaderTest, Negation) {
  ExpectScores("The book was not good.", 0.376, 0.624, 0.0, -0.3412);
  ExpectScores("The book isn't good.", 0.445, 0.555, 0.0, -0.3412);  // "n't" inside a word
  EXPECT_DOUBLE_EQ(Compound("Not bad at all"), 0.431);
  // "never so" intensifies instead of negating.
  EXPECT_DOUBLE_EQ(Compound("The book was never so good."), 0.6626);
  // "without a doubt" is not a negation.
  EXPECT_DOUBLE_EQ(Compound("Without a doubt, excellent idea."), 0.7013);
  // An apostrophe other than U+0027 is not the "n't" contraction.
  EXPECT_DOUBLE_EQ(Compound("my DON\u2019T good"), 0.4404);
}

TEST_F(VaderTest, NoAsNegationOrWord) {
  ExpectScores("No.", 0.0, 1.0, 0.0, 0.0);  // the lexicon word "no" stripped to two chars
  EXPECT_DOUBLE_EQ(Compound("There is no problem here."), 0.3089);
  EXPECT_DOUBLE_EQ(Compound("this is no good"), -0.3412);
  EXPECT_DOUBLE_EQ(Compound("no or nor bad"), -0.5528);
  EXPECT_DOUBLE_EQ(Compound("I have no bad or good"), 0.1139);
}

TEST_F(VaderTest, BoostersAndDampeners) {
  EXPECT_DOUBLE_EQ(Compound("The book was very good."), 0.4927);
  EXPECT_DOUBLE_EQ(Compound("The book was somewhat good."), 0.3832);
  EXPECT_DOUBLE_EQ(Compound("The book was so good"), 0.5777);
  EXPECT_DOUBLE_EQ(Compound("It was just enough good"), 0.3832);
}

TEST_F(VaderTest, KindOfAndSortOf) {
  ExpectScores("The book was only kind of good.", 0.0, 0.697, 0.303, 0.3832);
  EXPECT_DOUBLE_EQ(Compound("The book was kinda good."), 0.3832);
  EXPECT_DOUBLE_EQ(Compound("It was kind of bad"), -0.5849);
  EXPECT_DOUBLE_EQ(Compound("It was sort of bad"), -0.5849);
}

TEST_F(VaderTest, AllCapsEmphasisOnlyWhenSomeWordsAreCaps) {
  EXPECT_DOUBLE_EQ(Compound("The book was GOOD."), 0.5622);
  EXPECT_DOUBLE_EQ(Compound("THE BOOK WAS GOOD."), 0.4404);  // all caps: no differential
  EXPECT_DOUBLE_EQ(Compound("The book was VERY good."), 0.6028);
  EXPECT_DOUBLE_EQ(Compound("Good, said I, really GOOD"), 0.7799);
}

TEST_F(VaderTest, AllCapsFollowsUnicodeCase) {
  EXPECT_DOUBLE_EQ(Compound("\u039A\u0391\u039B\u0397 GOOD"), 0.4404);  // Greek capitals
  EXPECT_DOUBLE_EQ(Compound("\u03BA\u03B1\u03BB\u03B7 GOOD"), 0.5622);  // Greek small
  EXPECT_DOUBLE_EQ(Compound("TR\u00C8S GOOD"), 0.4404);
  EXPECT_DOUBLE_EQ(Compound("tr\u00E8s GOOD"), 0.5622);
  EXPECT_DOUBLE_EQ(Compound("\u01C5 GOOD"), 0.5622);  // title-case letter is not upper
  EXPECT_DOUBLE_EQ(Compound("Il est \u00C9NORME good"), 0.4404);
}

TEST_F(VaderTest, ButShiftsWeightToTheSecondClause) {
  ExpectScores("The food was good, but the service was bad.", 0.347, 0.511, 0.142, -0.5859);
  EXPECT_DOUBLE_EQ(Compound("The movie was good, but I hated the ending"), -0.705);
  EXPECT_DOUBLE_EQ(Compound("Today only kinda sux! But I'll get by, lol"), 0.5249);
  // The reference rescales the FIRST element equal to the current one: "nice" (1.8) is halved to
  // 0.9, which then equals "jk" (0.9) after "but", so "nice" is halved again and "jk" stays 0.9
  // (sum 1.35; rescaling by position would give 0.9 + 1.35 = 2.25, compound 0.5023).
  ExpectScores("nice but jk", 0.0, 0.23, 0.77, 0.3291);
  ExpectScores("good but good", 0.0, 0.147, 0.853, 0.7003);
  ExpectScores("good good but bad bad", 0.66, 0.069, 0.271, -0.8225);
}

TEST_F(VaderTest, ExclamationEmphasisCappedAtFour) {
  EXPECT_DOUBLE_EQ(Compound("The book was good!"), 0.4926);
  EXPECT_DOUBLE_EQ(Compound("The book was good!!"), 0.5399);
  ExpectScores("The book was good!!!!!!", 0.0, 0.424, 0.576, 0.6209);
  EXPECT_DOUBLE_EQ(Compound("The book was good!!!!!!"), Compound("The book was good!!!!"));
}

TEST_F(VaderTest, QuestionEmphasis) {
  EXPECT_DOUBLE_EQ(Compound("Was the book good?"), 0.4404);  // a single '?' adds nothing
  EXPECT_DOUBLE_EQ(Compound("Was the book good??"), 0.504);
  EXPECT_DOUBLE_EQ(Compound("Was the book good????"), 0.594);
  ExpectScores("The book was bad????", 0.598, 0.402, 0.0, -0.6662);
}

TEST_F(VaderTest, SpecialIdioms) {
  EXPECT_DOUBLE_EQ(Compound("Honestly that movie was the bomb"), 0.7906);
  EXPECT_DOUBLE_EQ(Compound("the bomb"), -0.4939);  // idioms need three words before
  EXPECT_DOUBLE_EQ(Compound("Honestly that party was the shit"), 0.2732);
  EXPECT_DOUBLE_EQ(Compound("yeah right, great idea"), 0.743);
  EXPECT_DOUBLE_EQ(Compound("Honestly this cake is to die for"), -0.2263);
  EXPECT_DOUBLE_EQ(Compound("Honestly that was the kiss of death"), -0.25);
}

TEST_F(VaderTest, Least) {
  EXPECT_DOUBLE_EQ(
      Compound("Roger Dodger is one of the least compelling variations on this theme."), -0.1695);
  EXPECT_DOUBLE_EQ(Compound("Roger Dodger is at least compelling as a variation on the theme."),
                   0.2263);
  EXPECT_DOUBLE_EQ(Compound("least good"), -0.3412);
  EXPECT_DOUBLE_EQ(Compound("at least good"), 0.4404);
  EXPECT_DOUBLE_EQ(Compound("very least good"), 0.4902);
  EXPECT_DOUBLE_EQ(Compound("they are the least bad"), 0.431);
}

TEST_F(VaderTest, EmojiReplacedByDescriptions) {
  ExpectScores("Catch utf-8 emoji such as \U0001F498 and \U0001F48B and \U0001F601", 0.0, 0.583,
               0.417, 0.875);
  ExpectScores("\U0001F601", 0.0, 0.571, 0.429, 0.4588);  // beaming face with smiling eyes
  // The description is glued to what follows: "it beaming ... eyesgreat".
  EXPECT_DOUBLE_EQ(Compound("I love it\U0001F601great"), 0.802);
  // A flag is two code points, neither in the lexicon on its own.
  EXPECT_DOUBLE_EQ(Compound("I love it \U0001F1FA\U0001F1F8 flag"), 0.6369);
  // The '!' inside the description "UP! button" counts as emphasis.
  EXPECT_DOUBLE_EQ(Compound("That is good \U0001F199"), 0.4926);
  EXPECT_DOUBLE_EQ(Compound("That is good \U0001F53C"), 0.4404);
}

TEST_F(VaderTest, EmoticonsAndPunctuationStripping) {
  EXPECT_DOUBLE_EQ(Compound("Make sure you :) or :D today!"), 0.8633);
  // Lexicon keys with upper-case non-ASCII letters never match a lower-cased word.
  EXPECT_DOUBLE_EQ(Compound(":\u00DE"), 0.0);
  ExpectScores("!!!", 0.0, 1.0, 0.0, 0.0);
}

TEST_F(VaderTest, UnicodeWhitespaceSplitsWords) {
  EXPECT_DOUBLE_EQ(Compound("good\u00A0day"), 0.4404);
  EXPECT_DOUBLE_EQ(Compound("good\u3000day"), 0.4404);
  EXPECT_DOUBLE_EQ(Compound("good\x1f"
                            "day"),
                   0.4404);
  EXPECT_DOUBLE_EQ(Compound("goodday"), 0.0);
  ExpectScores("\u041F\u0440\u0438\u0432\u0435\u0442 good friend", 0.0, 0.141, 0.859, 0.7269);
}

TEST_F(VaderTest, EmptyAndMalformedInput) {
  ExpectScores("", 0.0, 0.0, 0.0, 0.0);
  ExpectScores(" \t\r\n ", 0.0, 0.0, 0.0, 0.0);
  // Invalid UTF-8 bytes are opaque characters, not errors.
  EXPECT_DOUBLE_EQ(Compound("good \xff\xfe day"), 0.4404);
  EXPECT_DOUBLE_EQ(Compound("good\xe2\x82"), 0.0);  // truncated sequence glued to the word
}

TEST_F(VaderTest, LongTextUsesHeapBuffer) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "the ";
  text += "good";
  EXPECT_GT(text.size(), 1024u);
  EXPECT_DOUBLE_EQ(Compound(text), 0.4404);  // only "good" is in the lexicon
}

TEST_F(VaderTest, ConcurrentScoringGivesSameResults) {
  const std::vector<RatedTweet> tweets = ReadGroundTruth();
  ASSERT_FALSE(tweets.empty());
  std::vector<double> serial;
  for (const RatedTweet& t : tweets) serial.push_back(Compound(t.text));
  std::vector<std::vector<double>> results(4);
  std::vector<std::thread> threads;
  const SentimentAnalyzer copy = *analyzer_;  // copies share the tables
  for (std::size_t k = 0; k < results.size(); ++k) {
    threads.emplace_back([&, k] {
      for (const RatedTweet& t : tweets) results[k].push_back(copy.Score(t.text).compound);
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& r : results) EXPECT_EQ(r, serial);
}

// ----- loading -----

TEST(VaderLoadTest, ShippedLexiconSizes) {
  auto analyzer = SentimentAnalyzer::Load(kLexiconDir);
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  EXPECT_EQ(analyzer->lexicon_size(), 7506u);  // 7,520 lines, 14 repeated tokens
  EXPECT_EQ(analyzer->emoji_count(), 1212u);   // single-code-point emoji
}

TEST(VaderLoadTest, MissingDirectoryIsNotFound) {
  auto analyzer = SentimentAnalyzer::Load("/nonexistent/lexicon");
  EXPECT_EQ(analyzer.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(analyzer.status().message(), ::testing::HasSubstr("vader_lexicon.txt"));
}

TEST(VaderLoadTest, MalformedLexiconLineIsInvalidArgumentWithLineNumber) {
  auto no_tab = SentimentAnalyzer::FromText("good\t1.9\nbroken line\n", "");
  EXPECT_EQ(no_tab.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(no_tab.status().message(), ::testing::HasSubstr("vader_lexicon.txt:2"));
  auto bad_number = SentimentAnalyzer::FromText("good\tx1.9\n", "");
  EXPECT_EQ(bad_number.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_number.status().message(), ::testing::HasSubstr("bad valence 'x1.9'"));
  auto bad_emoji = SentimentAnalyzer::FromText("good\t1.9\n", "\xF0\x9F\x98\x81 no tab\n");
  EXPECT_EQ(bad_emoji.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(VaderLoadTest, SmallLexiconFromTextLaterLinesWin) {
  auto analyzer = SentimentAnalyzer::FromText("nice\t1.0\t0.5\nnice\t2.0\t0.5\r\n\n",
                                              "\xE2\x98\xBA\tnice face\n");
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  EXPECT_EQ(analyzer->lexicon_size(), 1u);
  // 2.0 / sqrt(4 + 15) = 0.4588
  EXPECT_DOUBLE_EQ(analyzer->Score("nice").compound, 0.4588);
  // U+263A becomes "nice face": 2 * ... both words: sum 2.0 -> same compound, face neutral.
  const SentimentScores s = analyzer->Score("\xE2\x98\xBA");
  EXPECT_DOUBLE_EQ(s.compound, 0.4588);
  EXPECT_DOUBLE_EQ(s.neu, 0.25);  // (2+1) positive vs 1 neutral
}

}  // namespace
}  // namespace reach::analytics
