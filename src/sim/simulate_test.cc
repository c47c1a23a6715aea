#include "sim/simulate.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

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

struct Output {
  std::string stream;
  std::string truth;
};

Output RunToFiles(const SimOptions& o) {
  std::FILE* out = std::tmpfile();
  std::FILE* truth = std::tmpfile();
  const absl::Status st = Simulate(o, out, truth, nullptr);
  EXPECT_TRUE(st.ok()) << st;
  Output result{ReadAll(out), ReadAll(truth)};
  std::fclose(out);
  std::fclose(truth);
  return result;
}

SimOptions Small(Format format) {
  SimOptions o;
  o.seed = 21;
  o.users = 1500;
  o.posts = 3000;
  o.reshare_prob = 0.03;
  o.format = format;
  o.monte_carlo_runs = 5;
  return o;
}

TEST(SimulateTest, SameSeedSameBytesDifferentSeedDifferentBytes) {
  for (Format format : {Format::kTwitterV1, Format::kJetstream}) {
    const SimOptions o = Small(format);
    const Output a = RunToFiles(o);
    const Output b = RunToFiles(o);
    ASSERT_GT(a.stream.size(), 100'000u);
    EXPECT_TRUE(a.stream == b.stream);
    EXPECT_TRUE(a.truth == b.truth);
    SimOptions other = o;
    other.seed = 22;
    const Output c = RunToFiles(other);
    EXPECT_FALSE(a.stream == c.stream);
    EXPECT_FALSE(a.truth == c.truth);
  }
}

TEST(SimulateTest, SinkGetsTheSameLinesAsTheFile) {
  const SimOptions o = Small(Format::kJetstream);
  const Output file = RunToFiles(o);
  std::string joined;
  SimStats stats;
  ASSERT_TRUE(Simulate(
                  o,
                  [&](std::string_view line) {
                    EXPECT_EQ(line.find('\n'), std::string_view::npos);
                    joined.append(line);
                    joined.push_back('\n');
                  },
                  nullptr, nullptr, &stats)
                  .ok());
  EXPECT_TRUE(joined == file.stream);
  EXPECT_EQ(stats.posts, 3000u);
  EXPECT_EQ(stats.lines, stats.posts + stats.likes);
  EXPECT_EQ(stats.bytes, joined.size());
  EXPECT_EQ(stats.originals + stats.reshares + stats.quotes + stats.replies, stats.posts);
  EXPECT_FALSE(stats.stopped);
}

TEST(SimulateTest, RejectsBadOptionsNamingThem) {
  struct Case {
    std::function<void(SimOptions&)> change;
    std::string option;
  };
  const std::vector<Case> cases = {
      {[](SimOptions& o) { o.users = 1; }, "users"},
      {[](SimOptions& o) { o.follow_degree = 0.5; }, "follow_degree"},
      {[](SimOptions& o) { o.follow_degree = std::nan(""); }, "follow_degree"},
      {[](SimOptions& o) { o.popularity_exponent = 0.1; }, "popularity_exponent"},
      {[](SimOptions& o) { o.geo_affinity = -0.1; }, "geo_affinity"},
      {[](SimOptions& o) { o.topic_affinity = 0.9; }, "topic_affinity"},
      {[](SimOptions& o) { o.reshare_prob = 1.5; }, "reshare_prob"},
      {[](SimOptions& o) { o.appeal_sigma = -1; }, "appeal_sigma"},
      {[](SimOptions& o) { o.max_appeal = 0.5; }, "max_appeal"},
      {[](SimOptions& o) { o.quote_share = 2; }, "quote_share"},
      {[](SimOptions& o) { o.reply_prob = -0.5; }, "reply_prob"},
      {[](SimOptions& o) { o.like_prob = 1.01; }, "like_prob"},
      {[](SimOptions& o) { o.root_rate = 0; }, "root_rate"},
      {[](SimOptions& o) { o.reaction_delay_s = 0; }, "reaction_delay_s"},
      {[](SimOptions& o) { o.start_time_s = 1'000'000'000; }, "start_time_s"},
      {[](SimOptions& o) { o.place_share = 1.5; }, "place_share"},
      {[](SimOptions& o) { o.coordinates_share = 0.5; }, "coordinates_share"},
      {[](SimOptions& o) { o.rate = -1; }, "rate"},
      {[](SimOptions& o) { o.rate = std::numeric_limits<double>::infinity(); }, "rate"},
      {[](SimOptions& o) { o.monte_carlo_runs = 2'000'000; }, "monte_carlo_runs"},
      {[](SimOptions& o) { o.follows = true; }, "follows"},
  };
  EXPECT_TRUE(ValidateSimOptions(SimOptions()).ok());
  for (const Case& c : cases) {
    SimOptions o;
    c.change(o);
    const absl::Status st = ValidateSimOptions(o);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << c.option;
    EXPECT_EQ(st.message().substr(0, c.option.size() + 1), c.option + ":") << st.message();
    // Simulate refuses them too, before writing anything.
    std::vector<std::string> lines;
    EXPECT_EQ(Simulate(
                  o, [&](std::string_view l) { lines.emplace_back(l); }, nullptr, nullptr)
                  .code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(lines.empty());
  }
}

TEST(SimulateTest, RatePacesLinesByTheInjectedClock) {
  ManualClock clock(EventTime::FromSeconds(1'700'000'000));
  int64_t slept_us = 0;
  SimOptions o;
  o.users = 200;
  o.posts = 500;
  o.rate = 1000;  // lines per second
  o.clock = &clock;
  o.sleep = [&](Duration d) {
    ASSERT_GT(d.micros, 0);
    slept_us += d.micros;
    clock.Advance(d);
  };
  std::vector<EventTime> emitted;
  ASSERT_TRUE(Simulate(
                  o, [&](std::string_view) { emitted.push_back(clock.Now()); }, nullptr, nullptr)
                  .ok());
  ASSERT_EQ(emitted.size(), 500u);
  // Line k leaves at start + k ms, never earlier.
  for (size_t k = 0; k < emitted.size(); ++k) {
    EXPECT_EQ((emitted[k] - emitted[0]).micros, static_cast<int64_t>(k) * 1000) << k;
  }
  EXPECT_EQ(slept_us, 499'000);

  // Without a rate nothing sleeps.
  o.rate = 0;
  slept_us = 0;
  ASSERT_TRUE(Simulate(
                  o, [](std::string_view) {}, nullptr, nullptr)
                  .ok());
  EXPECT_EQ(slept_us, 0);
}

TEST(SimulateTest, StopEndsTheStreamAtALineBoundary) {
  SimOptions o;
  o.users = 300;
  o.posts = 1000;
  std::atomic<bool> stop{false};
  int lines = 0;
  SimStats stats;
  ASSERT_TRUE(Simulate(
                  o,
                  [&](std::string_view) {
                    if (++lines == 10) stop = true;
                  },
                  nullptr, &stop, &stats)
                  .ok());
  EXPECT_EQ(lines, 10);
  EXPECT_EQ(stats.lines, 10u);
  EXPECT_TRUE(stats.stopped);
}

TEST(SimulateTest, FollowEventsWriteTheWholeGraphFirst) {
  SimOptions o;
  o.users = 300;
  o.posts = 100;
  o.format = Format::kJetstream;
  o.follows = true;
  o.likes = false;
  std::vector<std::string> lines;
  SimStats stats;
  ASSERT_TRUE(Simulate(
                  o, [&](std::string_view l) { lines.emplace_back(l); }, nullptr, nullptr, &stats)
                  .ok());
  EXPECT_EQ(stats.follows, stats.follow_edges);
  EXPECT_EQ(lines.size(), stats.follow_edges + 100);
  for (size_t i = 0; i < lines.size(); ++i) {
    const bool follow = lines[i].find("app.bsky.graph.follow") != std::string::npos;
    EXPECT_EQ(follow, i < stats.follow_edges) << i;
    EXPECT_EQ(lines[i].find("app.bsky.feed.like"), std::string::npos);
  }
}

TEST(SimulateTest, WriteErrorsAreReported) {
  std::FILE* full = std::fopen("/dev/full", "w");
  if (full == nullptr) GTEST_SKIP() << "/dev/full not available";
  SimOptions o;
  o.users = 300;
  o.posts = 200;
  const absl::Status st = Simulate(o, full, nullptr, nullptr);
  std::fclose(full);
  EXPECT_EQ(st.code(), absl::StatusCode::kInternal);
  EXPECT_NE(st.message().find("output"), std::string_view::npos) << st;
}

}  // namespace
}  // namespace reach::sim

namespace reach::sim {
namespace {

// The follow-edge file describes the world the stream ran on: every true parent of a reshare or
// quote is by an account the child's author follows, per the file alone.
TEST(WriteFollowEdgesTest, EveryTrueParentIsFollowedPerTheEdgeFile) {
  SimOptions o = Small(Format::kTwitterV1);
  o.monte_carlo_runs = 0;
  std::FILE* edges_file = std::tmpfile();
  ASSERT_TRUE(WriteFollowEdges(o, edges_file).ok());
  const std::string text = ReadAll(edges_file);
  std::fclose(edges_file);
  std::set<std::pair<uint64_t, uint64_t>> follows;  // (follower, followee)
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t nl = text.find('\n', pos);
    ASSERT_NE(nl, std::string::npos);
    unsigned long long a = 0, b = 0;
    ASSERT_EQ(std::sscanf(text.c_str() + pos, "%llu %llu", &a, &b), 2);
    ASSERT_NE(a, b);
    follows.emplace(a, b);
    pos = nl + 1;
  }
  SimStats stats;
  std::FILE* out = std::tmpfile();
  std::FILE* truth = std::tmpfile();
  ASSERT_TRUE(Simulate(o, out, truth, nullptr, &stats).ok());
  const std::string truth_text = ReadAll(truth);
  std::fclose(out);
  std::fclose(truth);
  EXPECT_EQ(follows.size(), stats.follow_edges);

  // post id -> author, then check each adoption against the edge set.
  std::map<uint64_t, uint64_t> author_of;
  size_t checked = 0;
  auto field = [](const std::string& line, const std::string& key) -> std::optional<uint64_t> {
    const size_t at = line.find("\"" + key + "\":");
    if (at == std::string::npos) return std::nullopt;
    const char* p = line.c_str() + at + key.size() + 3;
    if (*p == 'n') return std::nullopt;  // null
    return std::strtoull(p, nullptr, 10);
  };
  pos = 0;
  while (pos < truth_text.size()) {
    const size_t nl = truth_text.find('\n', pos);
    const std::string line = truth_text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.find("\"type\":\"post\"") == std::string::npos) continue;
    const uint64_t id = *field(line, "post_id");
    const uint64_t author = *field(line, "author_id");
    author_of[id] = author;
    const bool adoption = line.find("\"kind\":\"reshare\"") != std::string::npos ||
                          line.find("\"kind\":\"quote\"") != std::string::npos;
    if (!adoption) continue;
    const std::optional<uint64_t> parent = field(line, "true_parent_id");
    ASSERT_TRUE(parent.has_value()) << line;
    ASSERT_TRUE(author_of.count(*parent)) << "true parent written before its child: " << line;
    EXPECT_TRUE(follows.count({author, author_of[*parent]})) << line;
    ++checked;
  }
  EXPECT_GT(checked, 100u);
}

}  // namespace
}  // namespace reach::sim
