#include "planner/plan_service.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "engine/engine.h"
#include "engine/query_channel.h"
#include "planner/plan_input.h"

namespace reach::planner {
namespace {

using model::Post;
using model::PostKind;

const EventTime kT0 = EventTime::FromSeconds(1'700'000'000);

// A small world: @big (1M followers) and @twin (900k) are engaged by the same 20 people in the US
// (each reshared @big's one post and one of @twin's two); @small (100 followers) by 5 people in GB.
std::vector<model::Event> World() {
  std::vector<model::Event> out;
  auto user = [&](uint64_t id, std::string handle, int64_t followers, std::string country) {
    model::UserSnapshot u;
    u.id = UserId{id};
    u.handle = std::move(handle);
    u.followers = followers;
    u.country = std::move(country);
    u.observed = kT0;
    out.push_back(u);
  };
  user(1, "big", 1'000'000, "US");
  user(2, "twin", 900'000, "US");
  user(3, "small", 100, "GB");
  uint64_t next_post = 1000;
  auto post = [&](uint64_t author, int seconds) {
    Post p;
    p.id = PostId{next_post++};
    p.author = UserId{author};
    p.kind = PostKind::kOriginal;
    p.time = kT0 + Duration::Seconds(seconds);
    p.hashtags = {"coffee"};
    out.push_back(p);
    return p.id;
  };
  auto reshare = [&](uint64_t engager, PostId parent, uint64_t parent_author, std::string country,
                     int seconds) {
    Post p;
    p.id = PostId{next_post++};
    p.author = UserId{engager};
    p.kind = PostKind::kReshare;
    p.parent = parent;
    p.parent_author = UserId{parent_author};
    p.time = kT0 + Duration::Seconds(seconds);
    p.country = std::move(country);
    out.push_back(p);
  };
  PostId big = post(1, 1);    // 1000
  PostId twin = post(2, 2);   // 1001
  post(2, 3);                 // 1002
  PostId small = post(3, 4);  // 1003
  for (uint64_t u = 100; u < 120; ++u) {
    reshare(u, big, 1, "US", 10);
    reshare(u, twin, 2, "US", 11);
  }
  for (uint64_t u = 200; u < 205; ++u) reshare(u, small, 3, "GB", 12);
  return out;
}

const char* kCard = "account,cost\n@big,100\n@twin,100\n@small,100\n";

TEST(BuildPlanInput, EstimatesReachProbabilitiesFromObservedEngagers) {
  ManualClock clock;
  engine::Engine engine(engine::EngineOptions{}, clock);
  for (const auto& e : World()) engine.Apply(e);
  engine.Publish();
  PlanRequest request;
  request.budget = 200;
  request.countries = {{"US", 1.0}, {"GB", 1.0}};
  request.rate_card = *ParseRateCard(kCard);
  // The default pool is the leaderboard: the three and every engager (ranked for its reshares).
  auto all = BuildPlanInput(engine, request);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->problem.candidates.size(), 3u + 20u + 5u);
  request.pool_ids = {"big", "twin", "small"};
  auto in = BuildPlanInput(engine, request);
  ASSERT_TRUE(in.ok()) << in.status();
  const Problem& p = in->problem;
  ASSERT_EQ(p.candidates.size(), 3u);
  EXPECT_EQ(p.persons(), 25u);
  for (const Candidate& c : p.candidates) {
    EXPECT_EQ(c.cost_per_post, 100);
    EXPECT_EQ(in->cost_source[&c - p.candidates.data()], "rate_card");
    if (c.handle == "twin") {
      ASSERT_EQ(c.reach.size(), 20u);
      EXPECT_FLOAT_EQ(c.reach[0].p, 0.5f);  // one engagement over two posts
    } else if (c.handle == "small") {
      ASSERT_EQ(c.reach.size(), 5u);
      EXPECT_FLOAT_EQ(c.reach[0].p, 1.0f);
      EXPECT_EQ(p.regions[p.person_region[c.reach[0].person]], "GB");
    }
  }
  // Filters: a country, a topic nobody used, a sentiment nobody reached.
  request.countries = {{"GB", 1.0}};
  in = BuildPlanInput(engine, request);
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->problem.persons(), 5u);
  request.countries.clear();
  request.topics = {"tea"};
  EXPECT_EQ(BuildPlanInput(engine, request)->problem.persons(), 0u);
  request.topics = {"coffee"};
  EXPECT_EQ(BuildPlanInput(engine, request)->problem.persons(), 25u);
  request.min_sentiment = 0.5;
  EXPECT_EQ(BuildPlanInput(engine, request)->problem.persons(), 0u);
  // A pool naming an unknown handle is a clear error.
  request.pool_ids = {"nobody"};
  auto bad = BuildPlanInput(engine, request);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(BuildPlanInput, AnAccountWithheldInACountryDoesNotReachItsAudienceThere) {
  ManualClock clock;
  engine::Engine engine(engine::EngineOptions{}, clock);
  for (const auto& e : World()) engine.Apply(e);
  // @small is withheld in GB, where all five of its engagers are; @big elsewhere only.
  engine.Apply(model::Withheld{PostId{}, UserId{3}, {"GB"}, kT0 + Duration::Seconds(20)});
  engine.Apply(model::Withheld{PostId{}, UserId{1}, {"DE"}, kT0 + Duration::Seconds(20)});
  engine.Publish();
  PlanRequest request;
  request.budget = 200;
  request.countries = {{"US", 1.0}, {"GB", 1.0}};
  request.rate_card = *ParseRateCard(kCard);
  request.pool_ids = {"big", "twin", "small"};
  auto in = BuildPlanInput(engine, request);
  ASSERT_TRUE(in.ok()) << in.status();
  for (const Candidate& c : in->problem.candidates) {
    if (c.handle == "small") {
      EXPECT_TRUE(c.reach.empty());
    } else if (c.handle == "big") {
      EXPECT_EQ(c.reach.size(), 20u);
    }
  }
  ASSERT_EQ(in->warnings.size(), 1u);
  EXPECT_NE(in->warnings[0].find("withheld in GB: 5 engagements"), std::string::npos)
      << in->warnings[0];
  // Withheld everywhere: nothing counts, engagers of unknown country included.
  engine.Apply(model::Withheld{PostId{}, UserId{2}, {"XX"}, kT0 + Duration::Seconds(21)});
  engine.Publish();
  request.countries.clear();
  in = BuildPlanInput(engine, request);
  ASSERT_TRUE(in.ok());
  for (const Candidate& c : in->problem.candidates) {
    if (c.handle == "twin") {
      EXPECT_TRUE(c.reach.empty());
    }
  }
}

// Runs an engine on its own writer thread, answering the QueryChannel, like the runner does.
class LiveEngine {
 public:
  LiveEngine() : engine_(engine::EngineOptions{}, clock_) {
    thread_ = std::thread([this] {
      while (!stop_.load()) {
        std::vector<model::Event> batch;
        {
          std::lock_guard<std::mutex> lock(mu_);
          batch.swap(pending_);
        }
        for (const auto& e : batch) engine_.Apply(e);
        if (!batch.empty()) engine_.Publish();
        queries_.Serve(engine_);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      queries_.Close();
    });
  }
  ~LiveEngine() {
    stop_.store(true);
    thread_.join();
  }
  void Feed(std::vector<model::Event> events) {
    const uint64_t before = engine_.current()->sequence;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& e : events) pending_.push_back(std::move(e));
    }
    while (engine_.current()->sequence == before) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  const engine::Engine& engine() { return engine_; }
  engine::QueryChannel& queries() { return queries_; }

 private:
  ManualClock clock_;
  engine::Engine engine_;
  engine::QueryChannel queries_;
  std::mutex mu_;
  std::vector<model::Event> pending_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::string Body(bool save) {
  return std::string(
             R"({"budget": 200, "countries": ["US", "GB"], "rate_card": "account,cost\n@big,100\n@twin,100\n@small,100\n", "pool": ["big", "twin", "small"])") +
         (save ? R"(, "save": true})" : "}");
}

TEST(PlanService, PlansSavesRefusesWithoutTokenAndAnnouncesChanges) {
  LiveEngine live;
  live.Feed(World());
  PlanService service(live.engine(), live.queries(), PlanServiceOptions{.api_token = "s3cret"});

  auto json = service.Create(Body(false), "");
  ASSERT_TRUE(json.ok()) << json.status();
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(*json);
  EXPECT_TRUE(doc["id"].is_null());
  // The plan buys @big and @small (25 people); the most-followers plan buys @big and @twin (20).
  simdjson::dom::element plan = doc["plan"];
  EXPECT_DOUBLE_EQ(double(plan["expected_reach"]), 25.0);
  EXPECT_DOUBLE_EQ(double(plan["spend"]), 200);
  EXPECT_DOUBLE_EQ(double(plan["cost_per_person"]), 8);
  std::vector<std::string_view> chosen;
  for (auto inf : plan["influencers"].get_array()) chosen.push_back(inf["handle"].get_string());
  EXPECT_EQ(chosen, (std::vector<std::string_view>{"big", "small"}));
  simdjson::dom::element naive = doc["naive"]["most_followers"];
  EXPECT_DOUBLE_EQ(double(naive["expected_reach"]), 20.0);  // twin reaches no one big does not
  EXPECT_DOUBLE_EQ(double(naive["overlap"]["share"]), 1.0 - 20.0 / 30.0);
  EXPECT_EQ(std::string_view(doc["plan"]["reach_by_region"].at(1)["country"]), "GB");
  EXPECT_DOUBLE_EQ(double(doc["plan"]["reach_by_region"].at(1)["expected_reach"]), 5.0);

  // Saving: refused without a token configured, without a header, with a wrong token.
  PlanService no_token(live.engine(), live.queries(), PlanServiceOptions{});
  EXPECT_EQ(no_token.Create(Body(true), "Bearer s3cret").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(service.Create(Body(true), "").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(service.Create(Body(true), "Bearer nope").status().code(),
            absl::StatusCode::kUnauthenticated);
  auto saved = service.Create(Body(true), "Bearer s3cret");
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(std::string_view(parser.parse(*saved)["id"]), "1");
  ASSERT_TRUE(service.Get("1").ok());
  EXPECT_EQ(service.Get("2").status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(service.List().find(R"("id":"1")"), std::string::npos);

  // Nothing new: no event. Then 40 people in GB reshare both of @twin's posts: the plan swaps
  // @small for @twin.
  EXPECT_TRUE(service.Refresh().empty());
  std::vector<model::Event> more;
  for (uint64_t u = 300; u < 340; ++u) {
    for (uint64_t parent : {1001, 1002}) {
      Post p;
      p.id = PostId{5000 + 2 * u + parent};
      p.author = UserId{u};
      p.kind = PostKind::kReshare;
      p.parent = PostId{parent};
      p.parent_author = UserId{2};
      p.time = kT0 + Duration::Seconds(20);
      p.country = "GB";
      more.push_back(p);
    }
  }
  live.Feed(std::move(more));
  std::vector<std::string> events = service.Refresh();
  ASSERT_EQ(events.size(), 1u);
  simdjson::dom::element ev = parser.parse(events[0]);
  EXPECT_EQ(std::string_view(ev["id"]), "1");
  EXPECT_EQ(std::string_view(ev["added"].at(0)["handle"]), "@twin");
  EXPECT_EQ(std::string_view(ev["removed"].at(0)["handle"]), "@small");
  EXPECT_DOUBLE_EQ(double(ev["reach_delta"]), 60.0 - 25.0);
  EXPECT_NE(std::string_view(ev["reason"]).find("added @twin"), std::string_view::npos);
  // The saved plan now shows the new choice.
  EXPECT_NE(service.Get("1")->find(R"("handle":"twin")"), std::string::npos);
  EXPECT_TRUE(service.Refresh().empty());
}

}  // namespace
}  // namespace reach::planner
