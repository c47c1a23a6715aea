#include "http/params.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/status_mapping.h"

namespace reach::http {
namespace {

using ::testing::HasSubstr;

QueryParams Params(std::vector<std::pair<std::string, std::string>> params) {
  QueryParams q;
  q.path = "/api/x";
  q.params = std::move(params);
  return q;
}

TEST(CheckKnownParamsTest, NamesTheFirstUnknownParameter) {
  EXPECT_TRUE(CheckKnownParams(Params({{"window", "1h"}}), {"window", "limit"}).ok());
  EXPECT_TRUE(CheckKnownParams(Params({}), {}).ok());
  absl::Status st = CheckKnownParams(Params({{"window", "1h"}, {"colour", "red"}}), {"window"});
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParameterOf(st), "colour");
  EXPECT_THAT(std::string(st.message()), HasSubstr("unknown query parameter 'colour'"));
}

TEST(ParseIntParamTest, StrictDecimalInRange) {
  EXPECT_EQ(*ParseIntParam("limit", "1", 1, 100), 1);
  EXPECT_EQ(*ParseIntParam("limit", "100", 1, 100), 100);
  for (std::string_view bad :
       {"0", "101", "", "+5", "-1", "5x", " 5", "1e2", "99999999999999999999"}) {
    absl::StatusOr<int64_t> v = ParseIntParam("limit", bad, 1, 100);
    ASSERT_FALSE(v.ok()) << bad;
    EXPECT_EQ(ParameterOf(v.status()), "limit") << bad;
    EXPECT_EQ(v.status().message(), "limit must be an integer between 1 and 100") << bad;
  }
}

TEST(ParseWindowParamTest, FallbackAndErrors) {
  EXPECT_EQ(*ParseWindowParam(Params({}), "window", engine::Window::k24h), engine::Window::k24h);
  EXPECT_EQ(*ParseWindowParam(Params({{"window", "15m"}}), "window", engine::Window::kAll),
            engine::Window::k15m);
  for (std::string_view bad : {"", "2h", "ALL", "1h "}) {
    absl::StatusOr<engine::Window> w =
        ParseWindowParam(Params({{"window", std::string(bad)}}), "window", engine::Window::kAll);
    ASSERT_FALSE(w.ok()) << bad;
    EXPECT_EQ(ParameterOf(w.status()), "window") << bad;
  }
}

TEST(ParseDurationParamTest, UnitsAndPlainSeconds) {
  EXPECT_EQ(*ParseDurationParam("bucket", "300"), Duration::Seconds(300));
  EXPECT_EQ(*ParseDurationParam("bucket", "45s"), Duration::Seconds(45));
  EXPECT_EQ(*ParseDurationParam("bucket", "1m"), Duration::Minutes(1));
  EXPECT_EQ(*ParseDurationParam("bucket", "15m"), Duration::Minutes(15));
  EXPECT_EQ(*ParseDurationParam("bucket", "1h"), Duration::Hours(1));
  EXPECT_EQ(*ParseDurationParam("bucket", "1d"), Duration::Hours(24));
  EXPECT_EQ(*ParseDurationParam("bucket", "366d"), kMaxDurationParam);
  EXPECT_EQ(*ParseDurationParam("bucket", "8784h"), kMaxDurationParam);
}

TEST(ParseDurationParamTest, RejectsNonPositiveMalformedAndHuge) {
  for (std::string_view bad :
       {"", "0", "0m", "-5", "+5", "m", "5x", "1.5h", "5 m", "5M", "1w", "367d", "8785h",
        "31622401", "99999999999999999999d", "1hm", " 1h"}) {
    absl::StatusOr<Duration> d = ParseDurationParam("bucket", bad);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(ParameterOf(d.status()), "bucket") << bad;
  }
}

TEST(ParseTopicTest, NormalisesLikeTheEngine) {
  EXPECT_EQ(*ParseTopic("topic", "#Bitcoin"), "bitcoin");
  EXPECT_EQ(*ParseTopic("topic", "bitcoin"), "bitcoin");
  EXPECT_EQ(*ParseTopic("topic",
                        "\xEF\xBC\x83"
                        "AI"),
            "ai");  // U+FF03 FULLWIDTH NUMBER SIGN
  EXPECT_EQ(*ParseTopic("topic", "#\xC3\x89t\xC3\x89"), "\xC3\xA9t\xC3\xA9");  // #ÉtÉ -> été
  EXPECT_EQ(*ParseTopic("topic", std::string(140, 'a')), std::string(140, 'a'));
  EXPECT_EQ(*ParseTopic("topic", "#" + std::string(140, 'A')), std::string(140, 'a'));
}

TEST(ParseTopicTest, RejectsEmptyTooLongAndInvalidUtf8) {
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"", "topic must not be empty"},
      {"#", "topic must not be empty"},
      {std::string(141, 'a'), "topic must be at most 140 bytes"},
      {"#" + std::string(141, 'a'), "topic must be at most 140 bytes"},
      {std::string(10000, 'a'), "topic must be at most 140 bytes"},
      {"bad\xFF", "topic is not valid UTF-8"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<std::string> t = ParseTopic("topic", c.text);
    ASSERT_FALSE(t.ok()) << c.text.substr(0, 20);
    EXPECT_EQ(ParameterOf(t.status()), "topic");
    EXPECT_EQ(t.status().message(), c.message);
  }
}

}  // namespace
}  // namespace reach::http
