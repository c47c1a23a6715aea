// JetstreamDecoder: decodes Bluesky Jetstream v1 events (one JSON object per line, as served by
// wss://jetstream*.bsky.network/subscribe) into normalized events.
//
//   JetstreamDecoder decoder;
//   std::vector<model::Event> events;
//   DecodeResult r = decoder.Decode(line, &events);
//
// Ids: UserId = StableHash64(DID); PostId = StableHash64("at://DID/COLLECTION/RKEY"), so a post,
// and the at:// URIs that refer to it from replies, quotes, reposts and likes, get the same id.
// Event time = time_us (when Jetstream saw the commit); record createdAt is not used.
//
// Mapping of `commit` events (create and update are treated alike):
//   app.bsky.feed.post    -> Post: text, langs[0], facets (#tag -> hashtags, #mention -> mentions
//                            with the handle taken from the text, #link -> urls), embed.external
//                            uri -> urls. Kind: an embed of type app.bsky.embed.record or
//                            recordWithMedia that points at a post -> kQuote (parent = that URI,
//                            parent_author = its DID; in_reply_to is filled too when it also
//                            replies); else reply.parent -> kReply (in_reply_to = parent URI,
//                            in_reply_to_user = its DID); else kOriginal.
//   app.bsky.feed.repost  -> Post kReshare: parent = subject.uri; when the record has `via` (a
//                            repost made from someone's repost) parent = via.uri, the repost it
//                            was made from, which is the exact cascade parent. parent_author is
//                            the DID inside the chosen URI.
//   app.bsky.feed.like    -> Like (post = subject.uri, post_author = its DID); a like of a
//                            non-post (feed generator, list ...) is counted as other_collection.
//   app.bsky.graph.follow -> Follow (follower = DID, followee = subject).
//   app.bsky.actor.profile -> UserSnapshot (name = displayName; Jetstream carries no handle, no
//                            counts: followers/following/posts are -1; the description has no
//                            field in the model and is dropped).
//   any other collection  -> no event, DecodeResult::Control("other_collection").
// Deletes carry only the record key:
//   post or repost        -> model::Delete of that record's PostId (control "delete"); deleting a
//                            repost is exactly an un-repost.
//   follow                -> Follow{follow = false} with the followee UNKNOWN (0): the delete does
//                            not name the followed account and no follow state is kept here.
//   like                  -> no event, Control("unlike"): the model has no like ids to retract.
//   other collections     -> Control("other_collection").
// `identity` and `account` events -> no event, Control("identity") / Control("account").
//
// Rejections: kMalformedJson, kInvalidUtf8, kTooDeep (nesting deeper than 1024); kWrongType (a
// field of the wrong JSON type, an at:// field that is not an at:// URI, a DID that does not start
// with "did:"); kMissingField (did, time_us, kind, commit, commit.operation / collection / rkey,
// record for create/update, and the record fields a mapping needs: post text, subject);
// kBadTimestamp (time_us not a positive integer); kUnknownFormat (an object without
// did/time_us/kind, an unknown kind or operation). On rejection *out is unchanged.
//
// Uses the simdjson DOM parser, reused across records (about one allocation per output string).
// Not thread-safe: one decoder per thread.
#ifndef REACH_INGEST_JETSTREAM_DECODER_H_
#define REACH_INGEST_JETSTREAM_DECODER_H_

#include <memory>
#include <string_view>
#include <vector>

#include "ingest/decoder.h"

namespace reach::ingest {

class JetstreamDecoder final : public Decoder {
 public:
  static constexpr std::string_view kFormat = "bluesky-jetstream";

  JetstreamDecoder();
  ~JetstreamDecoder() override;
  JetstreamDecoder(const JetstreamDecoder&) = delete;
  JetstreamDecoder& operator=(const JetstreamDecoder&) = delete;

  [[nodiscard]] std::string_view format() const override { return kFormat; }
  DecodeResult Decode(std::string_view record, std::vector<model::Event>* out) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// The authority (DID) of an at:// URI: "at://did:plc:x/app.bsky.feed.post/3k" -> "did:plc:x";
// empty when `uri` is not an at:// URI with an authority.
std::string_view AtUriAuthority(std::string_view uri);
// The collection of an at:// URI ("app.bsky.feed.post"); empty when there is none.
std::string_view AtUriCollection(std::string_view uri);

}  // namespace reach::ingest

#endif  // REACH_INGEST_JETSTREAM_DECODER_H_
