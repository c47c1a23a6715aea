#include "ingest/live/live_endpoint.h"

#include <gtest/gtest.h>

namespace reach::ingest {
namespace {

TEST(LiveEndpointTest, RecognisesLiveSchemesOnly) {
  EXPECT_TRUE(IsLiveSource("jetstream+wss://h/subscribe"));
  EXPECT_TRUE(IsLiveSource("mastodon-sse+https://h/api/v1/streaming/public"));
  EXPECT_TRUE(IsLiveSource("x-stream+https://api.x.com/2/tweets/search/stream"));
  EXPECT_FALSE(IsLiveSource("data/sample.jsonl"));
  EXPECT_FALSE(IsLiveSource("-"));
  EXPECT_FALSE(IsLiveSource("https://example.org/x"));
}

TEST(LiveEndpointTest, ParsesJetstreamWithCollectionsAndCursor) {
  auto e = ParseLiveEndpoint(
      "jetstream+wss://jetstream2.us-east.bsky.network/"
      "subscribe?wantedCollections=app.bsky.feed.post&cursor=1725911162329308",
      {"app.bsky.feed.like"});
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->protocol, LiveProtocol::kJetstream);
  EXPECT_TRUE(e->tls);
  EXPECT_EQ(e->host, "jetstream2.us-east.bsky.network");
  EXPECT_EQ(e->port, 443);
  EXPECT_EQ(e->HostHeader(), "jetstream2.us-east.bsky.network");
  EXPECT_EQ(e->cursor, 1725911162329308);
  EXPECT_EQ(e->Target(),
            "/subscribe?wantedCollections=app.bsky.feed.post&wantedCollections=app.bsky.feed.like"
            "&cursor=1725911162329308");
  // A resume replaces the URL's cursor.
  EXPECT_EQ(e->Target(42),
            "/subscribe?wantedCollections=app.bsky.feed.post&wantedCollections=app.bsky.feed.like"
            "&cursor=42");
}

TEST(LiveEndpointTest, PlainWebSocketWithPortAndNoQuery) {
  auto e = ParseLiveEndpoint("jetstream+ws://127.0.0.1:6008/subscribe", {});
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_FALSE(e->tls);
  EXPECT_EQ(e->port, 6008);
  EXPECT_EQ(e->HostHeader(), "127.0.0.1:6008");
  EXPECT_EQ(e->Target(), "/subscribe");
  EXPECT_EQ(e->Target(7), "/subscribe?cursor=7");
  EXPECT_EQ(e->Display(), "jetstream+ws://127.0.0.1:6008/subscribe");
}

TEST(LiveEndpointTest, XStreamGetsDecoderFieldsUnlessGiven) {
  auto bare = ParseLiveEndpoint("x-stream+https://api.x.com/2/tweets/search/stream", {});
  ASSERT_TRUE(bare.ok()) << bare.status();
  EXPECT_NE(bare->Target().find("tweet.fields=created_at"), std::string::npos);
  EXPECT_NE(bare->Target().find("expansions=author_id"), std::string::npos);
  auto own = ParseLiveEndpoint(
      "x-stream+https://api.x.com/2/tweets/search/stream?tweet.fields=created_at", {});
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->Target(), "/2/tweets/search/stream?tweet.fields=created_at");
}

TEST(LiveEndpointTest, MastodonHidesAccessTokenInDisplay) {
  auto e = ParseLiveEndpoint(
      "mastodon-sse+https://mastodon.social/api/v1/streaming/public?access_token=secret", {});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->Display(),
            "mastodon-sse+https://mastodon.social/api/v1/streaming/public?access_token=***");
  EXPECT_EQ(e->Target(), "/api/v1/streaming/public?access_token=secret");
}

TEST(LiveEndpointTest, RejectsBadUrls) {
  for (const char* bad :
       {"jetstream+https://h/subscribe", "mastodon-sse+wss://h/x", "x-stream+https://",
        "x-stream+https://h:0/x", "x-stream+https://h:99999/", "x-stream+https://h:12ab/",
        "jetstream+ws://h/s?cursor=abc", "jetstream+ws//h", "x-stream+https://user:pw@h/",
        "x-stream+http://h/#f"}) {
    auto e = ParseLiveEndpoint(bad, {});
    EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(ParseLiveEndpoint("x-stream+https://h/", {"app.bsky.feed.post"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseLiveEndpoint("jetstream+ws://h/", {"a&b"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(LiveEndpointTest, Ipv6Literal) {
  auto e = ParseLiveEndpoint("x-stream+http://[::1]:8080/stream", {});
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->host, "::1");
  EXPECT_EQ(e->port, 8080);
}

}  // namespace
}  // namespace reach::ingest
