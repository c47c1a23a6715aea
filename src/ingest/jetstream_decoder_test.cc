#include "ingest/jetstream_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "common/stable_hash.h"
#include "tests/golden/golden_counts.h"

namespace reach::ingest {
namespace {

using model::Event;
using model::Post;
using model::PostKind;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kExpected[] = REACH_SHARED_DATA "/bluesky-jetstream/jetstream_expected_v1.jsonl";
constexpr char kGolden[] = REACH_SHARED_DATA "/bluesky-jetstream/jetstream_golden_v1.jsonl";
constexpr char kCountsTsv[] = REACH_SOURCE_DIR "/tests/golden/expected_counts.tsv";

UserId User(std::string_view did) { return UserId(StableHash64(did)); }
PostId PostOf(std::string_view uri) { return PostId(StableHash64(uri)); }

// The line of `path` that holds every one of `needles`.
std::string FindLine(const std::string& path, std::vector<std::string> needles) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    bool all = true;
    for (const std::string& n : needles) all = all && line.find(n) != std::string::npos;
    if (all) return line;
  }
  ADD_FAILURE() << "no line with " << needles[0];
  return {};
}

std::vector<Event> DecodeOk(const std::string& line, DecodeResult* result = nullptr) {
  JetstreamDecoder decoder;
  std::vector<Event> events;
  DecodeResult r = decoder.Decode(line, &events);
  EXPECT_TRUE(r.accepted) << RejectReasonName(r.reason) << ": " << r.detail << "\n" << line;
  if (result != nullptr) *result = r;
  return events;
}

const Post& OnlyPost(const std::vector<Event>& events) {
  EXPECT_EQ(events.size(), 1u);
  return std::get<Post>(events.at(0));
}

void ExpectCountsMatchGolden(const std::string& rel) {
  auto expected = golden::ReadExpectedCounts(kCountsTsv);
  ASSERT_TRUE(expected.count(rel)) << rel << " missing from " << kCountsTsv;
  JetstreamDecoder decoder;
  golden::Counts got = golden::CountFile(decoder, REACH_SHARED_DATA "/" + rel);
  // `via`: reposts whose parent is the repost they were made from; checked against the raw text.
  std::ifstream in(REACH_SHARED_DATA "/" + rel);
  const std::regex via_uri(R"re("via":\{[^}]*"uri":"([^"]+)")re");
  for (std::string line; std::getline(in, line);) {
    std::vector<Event> events;
    if (!decoder.Decode(line, &events).accepted || events.size() != 1) continue;
    const Post* post = std::get_if<Post>(&events[0]);
    std::smatch m;
    if (post == nullptr || post->kind != PostKind::kReshare) continue;
    if (!std::regex_search(line, m, via_uri)) continue;
    EXPECT_EQ(post->parent, PostOf(m[1].str())) << line;
    ++got["via"];
  }
  for (const auto& [column, value] : expected[rel]) {
    EXPECT_EQ(got[column], value) << rel << " column " << column;
  }
}

TEST(JetstreamDecoderTest, ExpectedCorpusCountsMatchIndependentCount) {
  ExpectCountsMatchGolden("bluesky-jetstream/jetstream_expected_v1.jsonl");
}

TEST(JetstreamDecoderTest, GoldenCorpusCountsMatchIndependentCount) {
  ExpectCountsMatchGolden("bluesky-jetstream/jetstream_golden_v1.jsonl");
}

TEST(JetstreamDecoderTest, PostWithHashtagFacets) {
  const std::string did = "did:plc:tn3hni2jpphsgl6amfbb7ja6";
  auto events = DecodeOk(FindLine(kExpected, {did, "3mptbypfywk2v"}));
  const Post& p = OnlyPost(events);
  EXPECT_EQ(p.id, PostOf("at://" + did + "/app.bsky.feed.post/3mptbypfywk2v"));
  EXPECT_EQ(p.author, User(did));
  EXPECT_EQ(p.platform, model::Platform::kBluesky);
  EXPECT_EQ(p.kind, PostKind::kOriginal);
  EXPECT_EQ(p.time.micros, 1783175888172335);
  EXPECT_EQ(p.lang, "de");
  EXPECT_THAT(p.text, ::testing::StartsWith("#HowToTellAiToShutUp!  \n\nThese days"));
  EXPECT_THAT(p.hashtags, ElementsAre("HowToTellAiToShutUp", "IndieRebellion"));
  EXPECT_THAT(p.urls, IsEmpty());
  EXPECT_EQ(p.counters.likes, -1);
}

TEST(JetstreamDecoderTest, ReplyParentAndParentAuthor) {
  auto events =
      DecodeOk(FindLine(kExpected, {"did:plc:o2rolxey6s5k7d4lxcz3inl4", "3mptbyp7lu223"}));
  const Post& p = OnlyPost(events);
  EXPECT_EQ(p.kind, PostKind::kReply);
  EXPECT_EQ(p.text, "이쁘시네용~~~");
  EXPECT_EQ(p.lang, "ko");
  EXPECT_EQ(p.in_reply_to,
            PostOf("at://did:plc:i5y2f3gtpjxs3qg6fwgb6jb4/app.bsky.feed.post/3mpt7u2vlgs2c"));
  EXPECT_EQ(p.in_reply_to_user, User("did:plc:i5y2f3gtpjxs3qg6fwgb6jb4"));
  EXPECT_FALSE(p.parent.valid());
}

TEST(JetstreamDecoderTest, FirstOfSeveralLangsAndLinkFacets) {
  // langs ["en-US","en"]; a link facet.
  auto events =
      DecodeOk(FindLine(kExpected, {"did:plc:ybqkf2mtfbwx3qhga63mttja", "3mptbyoigog2b"}));
  const Post& p = OnlyPost(events);
  EXPECT_EQ(p.lang, "en-US");
  EXPECT_THAT(p.urls, ElementsAre("https://www.ufofeed.com/266486/"
                                  "has-anyone-properly-debunked-tic-tac-video/"));
  // A link card repeating the facet's link is not listed twice.
  auto card = DecodeOk(FindLine(kExpected, {"did:plc:dclwtltrt2ggsryagfzk7dp4", "3mptbyoeyc22k"}));
  EXPECT_THAT(OnlyPost(card).urls, ElementsAre("https://www.youtube.com/watch?v=V5lDo-jw8mA"));
}

TEST(JetstreamDecoderTest, RepostViaARepostHasTheExactCascadeParent) {
  const std::string did = "did:plc:5er4dj3kkwyj4cy5gdnzn56w";
  auto events = DecodeOk(FindLine(kExpected, {did, "app.bsky.feed.repost"}));
  const Post& p = OnlyPost(events);
  EXPECT_EQ(p.kind, PostKind::kReshare);
  EXPECT_EQ(p.id, PostOf("at://" + did + "/app.bsky.feed.repost/3mptbypowzs2e"));
  EXPECT_EQ(p.parent,
            PostOf("at://did:plc:mc4ihv54ep37qtc6xtq5ab2f/app.bsky.feed.repost/3mpta65gqot2j"));
  EXPECT_EQ(p.parent_author, User("did:plc:mc4ihv54ep37qtc6xtq5ab2f"));
  EXPECT_EQ(p.time.micros, 1783175888114190);
  EXPECT_TRUE(p.text.empty());
  EXPECT_TRUE(p.parent_exact);  // the engine never infers over a `via` parent
}

TEST(JetstreamDecoderTest, RepostWithoutViaHasTheSubjectAsParent) {
  auto events =
      DecodeOk(FindLine(kExpected, {"did:plc:uz2xaaib233fhkdlg2mi3e66", "3mptbypphus2f"}));
  const Post& p = OnlyPost(events);
  EXPECT_EQ(p.kind, PostKind::kReshare);
  EXPECT_EQ(p.parent,
            PostOf("at://did:plc:pzrujnasfa4wgmel5737kfya/app.bsky.feed.post/3mpt7ouxres2n"));
  EXPECT_EQ(p.parent_author, User("did:plc:pzrujnasfa4wgmel5737kfya"));
  EXPECT_FALSE(p.parent_exact);  // only the original is named: the engine may infer the parent
}

TEST(JetstreamDecoderTest, LikeFollowAndProfile) {
  auto like = DecodeOk(FindLine(kGolden, {"app.bsky.feed.like"}));
  ASSERT_EQ(like.size(), 1u);
  const auto& l = std::get<model::Like>(like[0]);
  EXPECT_EQ(l.user, User("did:plc:mcc5yghbk7tixqryac2yxku7"));
  EXPECT_EQ(l.post,
            PostOf("at://did:plc:vfnmgxg2yscfliemmcxzyfyh/app.bsky.feed.post/3mmoodizfwc2j"));
  EXPECT_EQ(l.post_author, User("did:plc:vfnmgxg2yscfliemmcxzyfyh"));
  EXPECT_EQ(l.time.micros, 1779719009132431);
  EXPECT_EQ(l.platform, model::Platform::kBluesky);

  auto follow = DecodeOk(FindLine(kGolden, {"app.bsky.graph.follow"}));
  ASSERT_EQ(follow.size(), 1u);
  const auto& f = std::get<model::Follow>(follow[0]);
  EXPECT_EQ(f.follower, User("did:plc:mxwlsvdgs6tn75lq6jrr2vp7"));
  EXPECT_EQ(f.followee, User("did:plc:anc6s2kher6ltrhhglxrzxsa"));
  EXPECT_TRUE(f.follow);

  auto profile = DecodeOk(FindLine(kGolden, {"app.bsky.actor.profile"}));
  ASSERT_EQ(profile.size(), 1u);
  const auto& u = std::get<model::UserSnapshot>(profile[0]);
  EXPECT_EQ(u.id, User("did:plc:o6t5vwyr7ae73foww7bgye4r"));
  EXPECT_EQ(u.name, "Multiversal Lokis Unit🔞");
  EXPECT_EQ(u.followers, -1);
  EXPECT_EQ(u.observed.micros, 1779719010689411);
}

TEST(JetstreamDecoderTest, DeletesUnfollowsAndControls) {
  DecodeResult r;
  auto del = DecodeOk(FindLine(kExpected, {"\"delete\"", "app.bsky.feed.post"}), &r);
  ASSERT_EQ(del.size(), 1u);
  const auto& d = std::get<model::Delete>(del[0]);
  EXPECT_EQ(d.post,
            PostOf("at://did:plc:4smmjsqf6l5jkzczvw6vsrqc/app.bsky.feed.post/3mpt73z3ejc2p"));
  EXPECT_EQ(d.author, User("did:plc:4smmjsqf6l5jkzczvw6vsrqc"));
  EXPECT_EQ(d.time.micros, 1783175888377628);
  EXPECT_EQ(r.control, "delete");

  auto unfollow =
      DecodeOk(FindLine(kExpected, {"did:plc:ux2eeflheratfrvp3xfbp4zi", "3m3q3ut7jsm2m"}), &r);
  ASSERT_EQ(unfollow.size(), 1u);
  const auto& f = std::get<model::Follow>(unfollow[0]);
  EXPECT_FALSE(f.follow);
  EXPECT_EQ(f.follower, User("did:plc:ux2eeflheratfrvp3xfbp4zi"));
  EXPECT_FALSE(f.followee.valid());
  EXPECT_TRUE(r.control.empty());

  auto identity = DecodeOk(FindLine(kGolden, {"\"kind\":\"identity\""}), &r);
  EXPECT_TRUE(identity.empty());
  EXPECT_EQ(r.control, "identity");
  auto account = DecodeOk(FindLine(kGolden, {"\"kind\":\"account\""}), &r);
  EXPECT_TRUE(account.empty());
  EXPECT_EQ(r.control, "account");
  auto block = DecodeOk(FindLine(kGolden, {"app.bsky.graph.block"}), &r);
  EXPECT_TRUE(block.empty());
  EXPECT_EQ(r.control, "other_collection");
  auto other_delete = DecodeOk(FindLine(kGolden, {"org.hypercerts.claim.activity"}), &r);
  EXPECT_TRUE(other_delete.empty());
  EXPECT_EQ(r.control, "other_collection");
}

std::string Commit(std::string_view op, std::string_view collection, std::string_view record) {
  std::string s = R"({"did":"did:plc:aaa","time_us":1700000000000001,"kind":"commit","commit":{)";
  s += R"("rev":"r","operation":")" + std::string(op) + R"(","collection":")" +
       std::string(collection) + R"(","rkey":"k1")";
  if (!record.empty()) s += R"(,"record":)" + std::string(record);
  s += "}}";
  return s;
}

TEST(JetstreamDecoderTest, QuoteEmbeds) {
  const std::string quoted = "at://did:plc:qqq/app.bsky.feed.post/3q";
  auto q = DecodeOk(Commit("create", "app.bsky.feed.post",
                           R"({"text":"look","embed":{"$type":"app.bsky.embed.record",)"
                           R"("record":{"cid":"c","uri":")" +
                               quoted + R"("}}})"));
  const Post& p = OnlyPost(q);
  EXPECT_EQ(p.kind, PostKind::kQuote);
  EXPECT_EQ(p.parent, PostOf(quoted));
  EXPECT_EQ(p.parent_author, User("did:plc:qqq"));
  EXPECT_EQ(p.id, PostOf("at://did:plc:aaa/app.bsky.feed.post/k1"));

  // With media, and also a reply: a quote that keeps its conversation parent.
  auto qm = DecodeOk(Commit(
      "create", "app.bsky.feed.post",
      R"({"text":"x","reply":{"root":{"uri":"at://did:plc:r/app.bsky.feed.post/1"},)"
      R"("parent":{"uri":"at://did:plc:p/app.bsky.feed.post/2"}},)"
      R"("embed":{"$type":"app.bsky.embed.recordWithMedia","media":{"$type":"app.bsky.embed.images"},)"
      R"("record":{"$type":"app.bsky.embed.record","record":{"uri":")" +
          quoted + R"("}}}})"));
  const Post& pm = OnlyPost(qm);
  EXPECT_EQ(pm.kind, PostKind::kQuote);
  EXPECT_EQ(pm.parent, PostOf(quoted));
  EXPECT_EQ(pm.in_reply_to, PostOf("at://did:plc:p/app.bsky.feed.post/2"));
  EXPECT_EQ(pm.in_reply_to_user, User("did:plc:p"));

  // An embedded feed generator is not a quote.
  auto gen =
      DecodeOk(Commit("create", "app.bsky.feed.post",
                      R"({"text":"feed","embed":{"$type":"app.bsky.embed.record","record":{"uri":)"
                      R"("at://did:plc:g/app.bsky.feed.generator/f"}}})"));
  EXPECT_EQ(OnlyPost(gen).kind, PostKind::kOriginal);
  EXPECT_FALSE(OnlyPost(gen).parent.valid());
}

TEST(JetstreamDecoderTest, MentionFacetTakesTheHandleFromTheText) {
  auto m = DecodeOk(Commit("create", "app.bsky.feed.post",
                           R"({"text":"hi @alice.bsky.social!","facets":[{"index":)"
                           R"({"byteStart":3,"byteEnd":21},"features":[{"$type":)"
                           R"("app.bsky.richtext.facet#mention","did":"did:plc:alice"}]}]})"));
  const Post& p = OnlyPost(m);
  ASSERT_EQ(p.mentions.size(), 1u);
  EXPECT_EQ(p.mentions[0].user, User("did:plc:alice"));
  EXPECT_EQ(p.mentions[0].handle, "alice.bsky.social");
}

TEST(JetstreamDecoderTest, UnrepostUnlikeAndLikeOfANonPost) {
  DecodeResult r;
  auto unrepost = DecodeOk(Commit("delete", "app.bsky.feed.repost", ""), &r);
  ASSERT_EQ(unrepost.size(), 1u);
  EXPECT_EQ(std::get<model::Delete>(unrepost[0]).post,
            PostOf("at://did:plc:aaa/app.bsky.feed.repost/k1"));
  EXPECT_EQ(r.control, "delete");
  auto unlike = DecodeOk(Commit("delete", "app.bsky.feed.like", ""), &r);
  EXPECT_TRUE(unlike.empty());
  EXPECT_EQ(r.control, "unlike");
  auto like_feed = DecodeOk(
      Commit("create", "app.bsky.feed.like",
             R"({"subject":{"cid":"c","uri":"at://did:plc:g/app.bsky.feed.generator/f"}})"),
      &r);
  EXPECT_TRUE(like_feed.empty());
  EXPECT_EQ(r.control, "other_collection");
}

TEST(JetstreamDecoderTest, RejectionsNameTheReasonAndLeaveOutputUnchanged) {
  struct Case {
    std::string line;
    RejectReason reason;
    std::string detail;
  };
  const std::string ok_post = Commit("create", "app.bsky.feed.post", R"({"text":"t"})");
  const std::string deep = std::string(2000, '[') + std::string(2000, ']');
  const std::vector<Case> cases = {
      {ok_post.substr(0, ok_post.size() - 5), RejectReason::kMalformedJson, ""},
      {ok_post + "x", RejectReason::kMalformedJson, ""},
      {"{\"did\":\"did:plc:\xff\",\"time_us\":1,\"kind\":\"identity\"}", RejectReason::kInvalidUtf8,
       ""},
      {R"({"did":"did:plc:a","time_us":1,"kind":"identity","x":)" + deep + "}",
       RejectReason::kTooDeep, ""},
      {R"({"did":"did:plc:a","time_us":"1","kind":"identity"})", RejectReason::kWrongType,
       "time_us"},
      {R"({"did":7,"time_us":1,"kind":"identity"})", RejectReason::kWrongType, "did"},
      {R"({"did":"alice","time_us":1,"kind":"identity"})", RejectReason::kWrongType, "did"},
      {Commit("create", "app.bsky.feed.like", R"({"subject":{"uri":"https://x/y"}})"),
       RejectReason::kWrongType, "commit.record.subject.uri"},
      {Commit("create", "app.bsky.feed.post", R"({"text":5})"), RejectReason::kWrongType,
       "commit.record.text"},
      {R"({"time_us":1,"kind":"identity"})", RejectReason::kMissingField, "did"},
      {R"({"did":"did:plc:a","kind":"identity"})", RejectReason::kMissingField, "time_us"},
      {R"({"did":"did:plc:a","time_us":1})", RejectReason::kMissingField, "kind"},
      {R"({"did":"did:plc:a","time_us":1,"kind":"commit"})", RejectReason::kMissingField, "commit"},
      {Commit("create", "app.bsky.feed.post", ""), RejectReason::kMissingField, "commit.record"},
      {Commit("create", "app.bsky.feed.post", "{}"), RejectReason::kMissingField,
       "commit.record.text"},
      {Commit("create", "app.bsky.feed.repost", "{}"), RejectReason::kMissingField,
       "commit.record.subject"},
      {Commit("create", "app.bsky.graph.follow", "{}"), RejectReason::kMissingField,
       "commit.record.subject"},
      {R"({"did":"did:plc:a","time_us":-5,"kind":"identity"})", RejectReason::kBadTimestamp,
       "time_us"},
      {R"({"did":"did:plc:a","time_us":1.5,"kind":"identity"})", RejectReason::kBadTimestamp,
       "time_us"},
      {R"({"foo":1})", RejectReason::kUnknownFormat, ""},
      {R"([1,2])", RejectReason::kUnknownFormat, ""},
      {R"({"did":"did:plc:a","time_us":1,"kind":"sync"})", RejectReason::kUnknownFormat, "sync"},
      {Commit("patch", "app.bsky.feed.post", "{}"), RejectReason::kUnknownFormat, "patch"},
  };
  JetstreamDecoder decoder;
  for (const Case& c : cases) {
    std::vector<Event> events(1, model::Delete{});  // something already there
    DecodeResult r = decoder.Decode(c.line, &events);
    EXPECT_FALSE(r.accepted) << c.line.substr(0, 120);
    EXPECT_EQ(r.reason, c.reason) << c.line.substr(0, 120) << " -> " << r.detail;
    EXPECT_THAT(r.detail, HasSubstr(c.detail)) << c.line.substr(0, 120);
    EXPECT_EQ(events.size(), 1u);
  }
  // The decoder is still usable after rejections.
  std::vector<Event> events;
  EXPECT_TRUE(decoder.Decode(ok_post, &events).accepted);
  EXPECT_EQ(events.size(), 1u);
}

TEST(JetstreamDecoderTest, AtUriParts) {
  EXPECT_EQ(AtUriAuthority("at://did:plc:x/app.bsky.feed.post/3k"), "did:plc:x");
  EXPECT_EQ(AtUriCollection("at://did:plc:x/app.bsky.feed.post/3k"), "app.bsky.feed.post");
  EXPECT_EQ(AtUriAuthority("https://x/y"), "");
  EXPECT_EQ(AtUriCollection("at://did:plc:x"), "");
}

TEST(JetstreamDecoderTest, MakeDecoderNamesAndAlias) {
  for (std::string_view name : {"bluesky-jetstream", "jetstream"}) {
    auto d = MakeDecoder(name);
    ASSERT_TRUE(d.ok()) << name;
    EXPECT_EQ((*d)->format(), "bluesky-jetstream");
  }
  EXPECT_THAT(MakeDecoder("nope").status().message(), HasSubstr("bluesky-jetstream"));
}

}  // namespace
}  // namespace reach::ingest
