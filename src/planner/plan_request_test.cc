#include "planner/plan_request.h"

#include <gtest/gtest.h>

namespace reach::planner {
namespace {

TEST(ParsePlanRequest, ReadsEveryField) {
  auto r = ParsePlanRequest(R"({"budget": 10000, "countries": {"us": 2, "GB": 1},
      "topics": ["#Coffee", "news"], "min_sentiment": 0.05,
      "rate_card": "user,cost\n@alice,250,2\n", "pool": ["123", "@Bob", 456], "window": "24h",
      "exact": true, "save": true, "name": "launch"})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->budget, 10000);
  ASSERT_EQ(r->countries.size(), 2u);
  EXPECT_EQ(r->countries[0], (std::pair<std::string, double>{"US", 2.0}));
  EXPECT_EQ(r->countries[1], (std::pair<std::string, double>{"GB", 1.0}));
  EXPECT_EQ(r->topics, (std::vector<std::string>{"coffee", "news"}));
  EXPECT_DOUBLE_EQ(*r->min_sentiment, 0.05);
  ASSERT_EQ(r->rate_card.size(), 1u);
  EXPECT_EQ(r->rate_card[0].handle, "alice");
  EXPECT_EQ(r->rate_card[0].line, 2);
  EXPECT_EQ(r->pool_ids, (std::vector<std::string>{"123", "Bob", "456"}));
  EXPECT_EQ(r->window, engine::Window::k24h);
  EXPECT_TRUE(r->exact);
  EXPECT_TRUE(r->save);
  EXPECT_EQ(r->name, "launch");

  auto list = ParsePlanRequest(R"({"budget": 5, "countries": ["US", "fr"], "pool": 50})");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->countries[1], (std::pair<std::string, double>{"FR", 1.0}));
  EXPECT_EQ(list->pool_size, 50);
  EXPECT_TRUE(list->pool_ids.empty());
}

TEST(ParsePlanRequest, NamesTheProblemOfBadInput) {
  struct Case {
    const char* body;
    const char* message;
  } cases[] = {
      {R"({"budget": -5})", "budget: must be >= 0, got -5"},
      {R"({"budget": "a lot"})", "budget: must be a number"},
      {R"({})", "budget: is required"},
      {R"({"budget": 10, "countries": ["US", "XX"]})",
       "countries: unknown country code \"XX\" (expected ISO 3166-1 alpha-2, e.g. US)"},
      {R"({"budget": 10, "countries": ["USA"]})",
       "countries: unknown country code \"USA\" (expected ISO 3166-1 alpha-2, e.g. US)"},
      {R"({"budget": 10, "countries": {"US": -1}})",
       "countries: the weight of US must be a number >= 0"},
      {R"({"budget": 10, "rate_card": "1,10\n2,ten\n"})",
       "rate_card: rate card line 2: cost_per_post \"ten\" is not a number"},
      {R"({"budget": 10, "pool": []})", "pool: the pool is empty"},
      {R"({"budget": 10, "pool": 0})", "pool: the pool is empty"},
      {R"({"budget": 10, "window": "2h"})", "window: \"2h\" is not one of 15m, 1h, 24h, all"},
      {R"({"budget": 10, "min_sentiment": 3})", "min_sentiment: must be in [-1, 1]"},
      {R"({"budget": 10, "exact": "yes"})", "exact: must be true or false"},
      {R"([1,2])", "the body must be a JSON object"},
  };
  for (const Case& c : cases) {
    auto r = ParsePlanRequest(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << c.body;
    EXPECT_EQ(r.status().message(), c.message);
  }
  auto unknown = ParsePlanRequest(R"({"budget": 1, "budjet": 2})");
  EXPECT_EQ(std::string(unknown.status().message()).rfind("unknown field \"budjet\"", 0), 0u)
      << unknown.status();
  EXPECT_FALSE(ParsePlanRequest("{not json").ok());
}

TEST(ParseCountryList, ReadsCodesAndWeights) {
  auto c = ParseCountryList("US, gb:2");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(*c, (std::vector<std::pair<std::string, double>>{{"US", 1.0}, {"GB", 2.0}}));
  EXPECT_FALSE(ParseCountryList("US,ZZ").ok());
  EXPECT_FALSE(ParseCountryList("US:x").ok());
  EXPECT_TRUE(IsIsoCountry("GB"));
  EXPECT_FALSE(IsIsoCountry("UK"));  // reserved, not assigned
}

TEST(PlanRequestJson, RoundTrips) {
  auto r = ParsePlanRequest(
      R"({"budget": 7, "countries": {"US": 2}, "topics": ["a"], "pool": ["x"], "rate_card": "x,5"})");
  ASSERT_TRUE(r.ok());
  auto again = ParsePlanRequest(PlanRequestJson(*r));
  ASSERT_TRUE(again.ok()) << again.status() << PlanRequestJson(*r);
  EXPECT_EQ(PlanRequestJson(*again), PlanRequestJson(*r));
}

}  // namespace
}  // namespace reach::planner
