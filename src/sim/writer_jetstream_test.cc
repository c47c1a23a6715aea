#include "sim/writer_jetstream.h"

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/stable_hash.h"
#include "sim/simulate.h"

namespace reach::sim {
namespace {

std::vector<std::string> SimulateLines(const SimOptions& o) {
  std::vector<std::string> lines;
  const absl::Status st = Simulate(
      o, [&](std::string_view line) { lines.emplace_back(line); }, nullptr, nullptr);
  EXPECT_TRUE(st.ok()) << st;
  return lines;
}

std::string Get(simdjson::dom::element e, const char* pointer) {
  std::string_view s;
  const auto err = e.at_pointer(pointer).get(s);
  EXPECT_EQ(err, simdjson::SUCCESS) << pointer;
  return std::string(s);
}

std::set<std::string> Keys(simdjson::dom::object o) {
  std::set<std::string> keys;
  for (auto field : o) keys.insert(std::string(field.key));
  return keys;
}

TEST(JetstreamWriterTest, EventsAreJetstreamCommitsThatReferToEarlierRecords) {
  SimOptions o;
  o.seed = 8;
  o.users = 3000;
  o.posts = 5000;
  o.reshare_prob = 0.03;
  o.format = Format::kJetstream;
  o.follows = true;
  const auto lines = SimulateLines(o);
  ASSERT_GT(lines.size(), 5000u);

  simdjson::dom::parser parser;
  std::set<std::string> posts;    // uris of posts seen so far
  std::set<std::string> reposts;  // uris of reposts seen so far
  std::map<std::string, int> collections;
  int64_t last_time = 0;
  int via = 0;
  bool posts_started = false;
  for (const std::string& line : lines) {
    simdjson::dom::element e;
    ASSERT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << line;
    const std::string did = Get(e, "/did");
    ASSERT_EQ(did.substr(0, 8), "did:plc:");
    ASSERT_EQ(did.size(), 32u);
    int64_t time_us = 0;
    ASSERT_EQ(e["time_us"].get(time_us), simdjson::SUCCESS);
    EXPECT_GE(time_us, last_time);
    last_time = time_us;
    EXPECT_EQ(Get(e, "/kind"), "commit");
    EXPECT_EQ(Get(e, "/commit/operation"), "create");
    const std::string collection = Get(e, "/commit/collection");
    const std::string rkey = Get(e, "/commit/rkey");
    EXPECT_EQ(rkey.size(), 13u);
    EXPECT_EQ(Get(e, "/commit/cid").substr(0, 7), "bafyrei");
    EXPECT_EQ(Get(e, "/commit/cid").size(), 59u);
    EXPECT_EQ(Get(e, "/commit/record/$type"), collection);
    EXPECT_EQ(Get(e, "/commit/record/createdAt").size(), 24u);
    ++collections[collection];
    const std::string uri = "at://" + did + "/" + collection + "/" + rkey;
    if (collection == "app.bsky.graph.follow") {
      EXPECT_FALSE(posts_started) << "the graph comes before the posts";
      EXPECT_EQ(Get(e, "/commit/record/subject").substr(0, 8), "did:plc:");
      continue;
    }
    posts_started = true;
    if (collection == "app.bsky.feed.post") {
      const std::string text = Get(e, "/commit/record/text");
      simdjson::dom::array facets;
      if (e.at_pointer("/commit/record/facets").get(facets) == simdjson::SUCCESS) {
        for (simdjson::dom::element f : facets) {
          const uint64_t b = f["index"]["byteStart"];
          const uint64_t end = f["index"]["byteEnd"];
          ASSERT_LE(end, text.size());
          const std::string type = Get(f, "/features/0/$type");
          const std::string span = text.substr(b, end - b);
          if (type == "app.bsky.richtext.facet#tag") {
            EXPECT_EQ(span, "#" + Get(f, "/features/0/tag"));
          } else if (type == "app.bsky.richtext.facet#link") {
            EXPECT_EQ(span, Get(f, "/features/0/uri"));
          } else {
            EXPECT_EQ(type, "app.bsky.richtext.facet#mention");
            EXPECT_EQ(span.substr(0, 1), "@");
            EXPECT_EQ(Get(f, "/features/0/did").substr(0, 8), "did:plc:");
          }
        }
      }
      simdjson::dom::element ref;
      if (e.at_pointer("/commit/record/embed/record").get(ref) == simdjson::SUCCESS) {
        EXPECT_TRUE(posts.count(Get(ref, "/uri"))) << "a quote embeds an earlier post";
      }
      if (e.at_pointer("/commit/record/reply/parent").get(ref) == simdjson::SUCCESS) {
        EXPECT_TRUE(posts.count(Get(ref, "/uri"))) << "a reply answers an earlier post";
      }
      posts.insert(uri);
    } else if (collection == "app.bsky.feed.repost" || collection == "app.bsky.feed.like") {
      EXPECT_TRUE(posts.count(Get(e, "/commit/record/subject/uri")));
      simdjson::dom::element v;
      if (e.at_pointer("/commit/record/via").get(v) == simdjson::SUCCESS) {
        ++via;
        EXPECT_TRUE(reposts.count(Get(v, "/uri"))) << "via names an earlier repost";
      }
      if (collection == "app.bsky.feed.repost") reposts.insert(uri);
    } else {
      ADD_FAILURE() << "unexpected collection " << collection;
    }
  }
  EXPECT_GT(collections["app.bsky.graph.follow"], 1000);
  EXPECT_GT(collections["app.bsky.feed.post"], 2000);
  EXPECT_GT(collections["app.bsky.feed.repost"], 300);
  EXPECT_GT(collections["app.bsky.feed.like"], 300);
  EXPECT_GT(via, 10);
}

// The records have the same keys as those the real service sent (golden sample).
TEST(JetstreamWriterTest, RecordShapesMatchTheRealService) {
  std::ifstream in(REACH_SHARED_DATA "/bluesky-jetstream/jetstream_golden_v1.jsonl");
  if (!in) GTEST_SKIP() << "Jetstream sample not found";
  std::map<std::string, std::string> real;  // collection -> line
  std::string line;
  while (std::getline(in, line)) {
    for (const char* c : {"app.bsky.feed.like", "app.bsky.feed.repost", "app.bsky.graph.follow"}) {
      if (line.find(std::string("\"collection\":\"") + c + "\"") != std::string::npos) {
        real[c] = line;
      }
    }
  }
  ASSERT_EQ(real.size(), 3u);
  SimOptions o;
  o.users = 500;
  o.posts = 3000;
  o.reshare_prob = 0.05;
  o.format = Format::kJetstream;
  o.follows = true;
  std::map<std::string, std::string> ours;
  for (const std::string& l : SimulateLines(o)) {
    for (const auto& [c, unused] : real) {
      // A like or repost without `via`, like the samples.
      if (l.find("\"collection\":\"" + c + "\"") != std::string::npos &&
          l.find("\"via\"") == std::string::npos) {
        ours.emplace(c, l);
      }
    }
  }
  ASSERT_EQ(ours.size(), 3u);
  simdjson::dom::parser a;
  simdjson::dom::parser b;
  for (const auto& [c, real_line] : real) {
    simdjson::dom::element r = a.parse(real_line);
    simdjson::dom::element s = b.parse(ours[c]);
    EXPECT_EQ(Keys(r.get_object()), Keys(s.get_object())) << c;
    EXPECT_EQ(Keys(r["commit"].get_object()), Keys(s["commit"].get_object())) << c;
    EXPECT_EQ(Keys(r["commit"]["record"].get_object()), Keys(s["commit"]["record"].get_object()))
        << c;
  }
}

TEST(JetstreamIdsTest, IdsAreStableHashesOfUriAndDid) {
  WorldOptions wo;
  wo.users = 10;
  auto world = std::move(World::Build(wo)).value();
  PostRef post;
  post.seq = 3;
  post.author = 4;
  post.time_us = 1'672'531'200'123'456;
  UriBuffer buf;
  const std::string uri(JetstreamPostUri(*world, post, buf));
  NameBuffer did;
  EXPECT_EQ(uri.rfind("at://" + std::string(world->Did(4, did)) + "/app.bsky.feed.post/", 0), 0u);
  EXPECT_EQ(JetstreamPostId(*world, post).value, StableHash64(uri));
  EXPECT_EQ(JetstreamUserId(*world, 4).value, StableHash64(world->Did(4, did)));
  post.kind = model::PostKind::kReshare;
  EXPECT_NE(std::string(JetstreamPostUri(*world, post, buf)).find("/app.bsky.feed.repost/"),
            std::string::npos);
  // TIDs sort by time.
  Buffer early;
  Buffer late;
  PutTid(early, 1'672'531'200'000'000, 1);
  PutTid(late, 1'672'531'200'000'001, 0);
  EXPECT_LT(std::string(early.data(), early.size()), std::string(late.data(), late.size()));
}

}  // namespace
}  // namespace reach::sim
