#include "http/query.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/status_mapping.h"

namespace reach::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

TEST(ParseQueryTest, SplitsPathAndDecodesParameters) {
  absl::StatusOr<QueryParams> q = ParseQuery("/api/x?name=a%20b&tag=c+d&e=%C3%A9");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->path, "/api/x");
  EXPECT_THAT(q->params,
              ElementsAre(Pair("name", "a b"), Pair("tag", "c d"), Pair("e", "\xC3\xA9")));
  ASSERT_NE(q->Find("tag"), nullptr);
  EXPECT_EQ(*q->Find("tag"), "c d");
  EXPECT_EQ(q->Find("missing"), nullptr);
}

TEST(ParseQueryTest, PlusIsLiteralInPathAndSpaceInQuery) {
  absl::StatusOr<QueryParams> q = ParseQuery("/a+b%2B?x=1+2%2B3");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->path, "/a+b+");
  EXPECT_THAT(q->params, ElementsAre(Pair("x", "1 2+3")));
}

TEST(ParseQueryTest, DecodesEncodedDotsInPath) {
  absl::StatusOr<QueryParams> q = ParseQuery("/%2e%2E/etc/passwd");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->path, "/../etc/passwd");
}

TEST(ParseQueryTest, NoQueryEmptySegmentsAndValuelessNames) {
  absl::StatusOr<QueryParams> q = ParseQuery("/p?a&&b=&c=3&");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_THAT(q->params, ElementsAre(Pair("a", ""), Pair("b", ""), Pair("c", "3")));

  absl::StatusOr<QueryParams> bare = ParseQuery("/healthz");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->path, "/healthz");
  EXPECT_TRUE(bare->params.empty());
}

TEST(ParseQueryTest, BadEscapeInValueNamesTheParameter) {
  for (std::string_view target : {"/x?limit=%zz", "/x?limit=%4", "/x?limit=1%", "/x?limit=%g1"}) {
    absl::StatusOr<QueryParams> q = ParseQuery(target);
    ASSERT_FALSE(q.ok()) << target;
    EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument) << target;
    EXPECT_EQ(ParameterOf(q.status()), "limit") << target;
    EXPECT_THAT(std::string(q.status().message()), HasSubstr("percent-escape")) << target;
  }
}

TEST(ParseQueryTest, BadEscapeInNameOrPath) {
  absl::StatusOr<QueryParams> name = ParseQuery("/x?li%2mit=1");
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(ParameterOf(name.status()), "li%2mit");

  absl::StatusOr<QueryParams> path = ParseQuery("/x%zz?limit=1");
  ASSERT_FALSE(path.ok());
  EXPECT_EQ(ParameterOf(path.status()), "path");
}

TEST(ParseQueryTest, DuplicateParameterIsAnError) {
  absl::StatusOr<QueryParams> q = ParseQuery("/x?limit=1&window=1h&limit=2");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParameterOf(q.status()), "limit");
  EXPECT_THAT(std::string(q.status().message()), HasSubstr("more than once"));

  // The same name spelled differently is still the same parameter.
  absl::StatusOr<QueryParams> encoded = ParseQuery("/x?limit=1&lim%69t=2");
  ASSERT_FALSE(encoded.ok());
  EXPECT_EQ(ParameterOf(encoded.status()), "limit");
}

TEST(ParseQueryTest, RejectsBadTargets) {
  for (std::string_view target : {"", "x/y", "http://host/x", "?a=1"}) {
    absl::StatusOr<QueryParams> q = ParseQuery(target);
    ASSERT_FALSE(q.ok()) << target;
    EXPECT_EQ(ParameterOf(q.status()), "path") << target;
  }
  absl::StatusOr<QueryParams> nul = ParseQuery("/a%00b");
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(ParameterOf(nul.status()), "path");

  absl::StatusOr<QueryParams> empty_name = ParseQuery("/x?=5");
  ASSERT_FALSE(empty_name.ok());
  EXPECT_EQ(empty_name.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ParseQueryTest, LimitsTheNumberOfParameters) {
  std::string target = "/x?";
  for (size_t i = 0; i < kMaxParams; ++i) target += "p" + std::to_string(i) + "=1&";
  ASSERT_TRUE(ParseQuery(target).ok());
  target += "last=1";
  absl::StatusOr<QueryParams> q = ParseQuery(target);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(ParameterOf(q.status()), "last");
}

}  // namespace
}  // namespace reach::http
