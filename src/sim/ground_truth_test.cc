#include "sim/ground_truth.h"

#include <cstdio>
#include <map>
#include <queue>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/stable_hash.h"
#include "sim/simulate.h"
#include "sim/spread.h"

namespace reach::sim {
namespace {

std::string ReadAll(std::FILE* f) {
  std::rewind(f);
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

struct Truth {
  uint64_t author;
  uint64_t parent;
  uint64_t root;
  uint64_t depth;
  std::string kind;
};

TEST(GroundTruthTest, ParentsFormTreesAlongFollowEdgesAndMatchTheStream) {
  SimOptions o;
  o.seed = 12;
  o.users = 3000;
  o.posts = 8000;
  o.reshare_prob = 0.025;
  std::FILE* out = std::tmpfile();
  std::FILE* truth = std::tmpfile();
  ASSERT_TRUE(Simulate(o, out, truth, nullptr).ok());
  const auto stream = Lines(ReadAll(out));
  const auto records = Lines(ReadAll(truth));
  std::fclose(out);
  std::fclose(truth);
  ASSERT_EQ(stream.size(), 8000u);
  ASSERT_EQ(records.size(), 8000u + 3000u);

  WorldOptions wo;
  wo.seed = o.seed;
  wo.users = o.users;
  auto world = std::move(World::Build(wo)).value();

  simdjson::dom::parser parser;
  simdjson::dom::parser stream_parser;
  std::map<uint64_t, Truth> posts;
  int deep = 0;
  for (size_t i = 0; i < 8000; ++i) {
    simdjson::dom::element r = parser.parse(records[i]);
    ASSERT_EQ(std::string_view(r["type"]), "post");
    const uint64_t id = r["post_id"];
    simdjson::dom::element s = stream_parser.parse(stream[i]);
    EXPECT_EQ(id, uint64_t(s["id"])) << "truth follows the stream, line by line";
    Truth t;
    t.author = r["author_id"];
    t.root = r["root_id"];
    t.depth = r["depth"];
    t.kind = std::string(std::string_view(r["kind"]));
    EXPECT_EQ(t.author, uint64_t(s["user"]["id"]));
    if (t.kind == "original") {
      EXPECT_TRUE(r["true_parent_id"].is_null());
      EXPECT_EQ(t.root, id);
      EXPECT_EQ(t.depth, 0u);
    } else {
      t.parent = r["true_parent_id"];
      ASSERT_TRUE(posts.count(t.parent)) << "the true parent is an earlier post";
      const Truth& p = posts[t.parent];
      EXPECT_EQ(p.root, t.root);
      EXPECT_EQ(t.depth, p.depth + 1);
      ASSERT_TRUE(posts.count(t.root));
      EXPECT_EQ(posts[t.root].kind, "original");
      if (t.kind == "reshare" || t.kind == "quote") {
        const auto resharer = static_cast<uint32_t>(t.author - World::kUserIdBase);
        const auto parent_author = static_cast<uint32_t>(p.author - World::kUserIdBase);
        EXPECT_TRUE(world->Follows(resharer, parent_author));
      }
      if (t.kind == "reshare") {
        // The stream shows the original (or quote) it repeats, not the true parent.
        const uint64_t shown = r["shown_parent_id"];
        EXPECT_EQ(shown, uint64_t(s["retweeted_status"]["id"]));
        deep += shown != t.parent;
      }
    }
    posts[id] = t;
  }
  EXPECT_GT(deep, 20) << "some reshares are of reshares";

  for (size_t i = 8000; i < records.size(); ++i) {
    simdjson::dom::element r = parser.parse(records[i]);
    ASSERT_EQ(std::string_view(r["type"]), "user");
    const uint64_t id = r["user_id"];
    const auto u = static_cast<uint32_t>(id - World::kUserIdBase);
    EXPECT_EQ(u, i - 8000);
    EXPECT_EQ(uint64_t(r["followers"]), world->FollowerCount(u));
    EXPECT_EQ(uint64_t(r["following"]), world->FollowingCount(u));
    EXPECT_EQ(std::string_view(r["country"]), world->Home(u).country_code);
    EXPECT_EQ(r["expected_spread"].error(), simdjson::NO_SUCH_FIELD);
  }
}

TEST(GroundTruthTest, TsvAndJetstreamIds) {
  SimOptions o;
  o.users = 500;
  o.posts = 500;
  o.reshare_prob = 0.05;
  o.format = Format::kJetstream;
  o.truth_format = TruthFormat::kTsv;
  o.monte_carlo_runs = 3;
  std::vector<std::string> stream;
  std::FILE* truth = std::tmpfile();
  ASSERT_TRUE(Simulate(
                  o, [&](std::string_view l) { stream.emplace_back(l); }, truth, nullptr)
                  .ok());
  const auto records = Lines(ReadAll(truth));
  std::fclose(truth);
  ASSERT_EQ(records.size(), 1u + 500u + 1u + 500u);
  EXPECT_EQ(records[0].rfind("#post\tpost_id\tkind\t", 0), 0u);
  EXPECT_EQ(records[501].rfind("#user\tuser_id\thandle\t", 0), 0u);
  // Post ids are StableHash64 of the record URI, in stream order (likes have no truth record).
  simdjson::dom::parser parser;
  size_t next = 1;
  for (const std::string& line : stream) {
    simdjson::dom::element e = parser.parse(line);
    const std::string_view collection = e["commit"]["collection"];
    if (collection == "app.bsky.feed.like") continue;
    const std::string uri = "at://" + std::string(std::string_view(e["did"])) + "/" +
                            std::string(collection) + "/" +
                            std::string(std::string_view(e["commit"]["rkey"]));
    ASSERT_LT(next, 501u);
    std::vector<std::string> fields;
    std::istringstream in(records[next++]);
    std::string f;
    while (std::getline(in, f, '\t')) fields.push_back(f);
    ASSERT_EQ(fields.size(), 11u);
    EXPECT_EQ(fields[0], "post");
    EXPECT_EQ(fields[1], std::to_string(StableHash64(uri)));
    EXPECT_EQ(fields[3], std::to_string(StableHash64(std::string_view(e["did"]))));
  }
  EXPECT_EQ(next, 501u);
  for (size_t i = 502; i < records.size(); ++i) {
    std::vector<std::string> fields;
    std::istringstream in(records[i]);
    std::string f;
    while (std::getline(in, f, '\t')) fields.push_back(f);
    ASSERT_EQ(fields.size(), 9u) << records[i];
    EXPECT_EQ(fields[0], "user");
    EXPECT_FALSE(fields[8].empty()) << "expected spread is filled in";
  }
}

// With every exposure adopting, the expected spread is exactly the number of accounts that can
// reach the user through follower links: a from-scratch check of the Monte Carlo.
TEST(ExpectedSpreadTest, EqualsReachabilityWhenEveryExposureAdopts) {
  WorldOptions wo;
  wo.seed = 4;
  wo.users = 400;
  wo.follow_degree = 2;
  auto world = std::move(World::Build(wo)).value();
  CascadeModel model;
  model.reshare_prob = 1;
  model.appeal_sigma = 0;
  const auto spread = ExpectedSpread(*world, model, 3, 1);
  ASSERT_EQ(spread.size(), 400u);
  for (uint32_t u = 0; u < world->size(); ++u) {
    std::vector<bool> seen(world->size(), false);
    std::queue<uint32_t> q;
    q.push(u);
    seen[u] = true;
    uint64_t reached = 0;
    while (!q.empty()) {
      const uint32_t a = q.front();
      q.pop();
      for (uint32_t v : world->Followers(a)) {
        if (!seen[v]) {
          seen[v] = true;
          ++reached;
          q.push(v);
        }
      }
    }
    ASSERT_DOUBLE_EQ(spread[u], static_cast<double>(reached)) << u;
  }
}

TEST(ExpectedSpreadTest, GrowsWithFollowersAndIsDeterministic) {
  WorldOptions wo;
  wo.seed = 5;
  wo.users = 3000;
  auto world = std::move(World::Build(wo)).value();
  CascadeModel model;
  const auto a = ExpectedSpread(*world, model, 50, 9);
  const auto b = ExpectedSpread(*world, model, 50, 9);
  ASSERT_EQ(a, b);
  double few = 0;
  double many = 0;
  int n_few = 0;
  int n_many = 0;
  for (uint32_t u = 0; u < world->size(); ++u) {
    if (world->FollowerCount(u) == 0) {
      EXPECT_EQ(a[u], 0.0);
    }
    if (world->FollowerCount(u) <= 5) {
      few += a[u];
      ++n_few;
    } else if (world->FollowerCount(u) >= 200) {
      many += a[u];
      ++n_many;
    }
  }
  ASSERT_GT(n_few, 10);
  ASSERT_GT(n_many, 5);
  EXPECT_GT(many / n_many, 10 * few / n_few);
  std::atomic<bool> stop{true};
  EXPECT_TRUE(ExpectedSpread(*world, model, 50, 9, &stop).empty());
}

}  // namespace
}  // namespace reach::sim
