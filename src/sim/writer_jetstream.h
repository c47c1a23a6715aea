// JetstreamWriter: renders simulated events as Bluesky Jetstream v1 events, one JSON object per
// line, as the public Jetstream service sends them: {"did", "time_us", "kind":"commit",
// "commit":{"rev", "operation":"create", "collection", "rkey", "record", "cid"}}. Originals,
// quotes and replies are app.bsky.feed.post records (text, langs, facets for mentions, tags and
// links with byte ranges; quotes embed app.bsky.embed.record; replies carry reply.root/parent);
// reshares are app.bsky.feed.repost records whose subject is the shown post and, when the
// true parent is itself a repost, whose `via` names that repost (as the Bluesky app records it),
// so the true parent is visible in this format; likes are app.bsky.feed.like records (with `via`
// when seen through a repost); follows are app.bsky.graph.follow records.
//
// Accounts are did:plc identifiers (World::Did), record keys are TIDs built from the event time,
// CIDs are derived from the record URI (well-formed, not content hashes). Ids as the ingest side
// derives them: UserId = StableHash64(did), PostId = StableHash64(at:// URI).
//
// Not thread-safe (reuses scratch buffers). The World must outlive the writer.
#ifndef REACH_SIM_WRITER_JETSTREAM_H_
#define REACH_SIM_WRITER_JETSTREAM_H_

#include <cstdint>
#include <string_view>

#include "common/ids.h"
#include "sim/generator.h"
#include "sim/json_out.h"
#include "sim/text.h"
#include "sim/world.h"

namespace reach::sim {

struct UriBuffer {
  char data[160];
};

// A record key: the 13-character base32-sortable TID of (time_us, clock_id).
void PutTid(Buffer& b, int64_t time_us, uint64_t clock_id);
// at://<did>/app.bsky.feed.post/<rkey>, or .../app.bsky.feed.repost/... for reshares.
std::string_view JetstreamPostUri(const World& world, const PostRef& post, UriBuffer& buf);
PostId JetstreamPostId(const World& world, const PostRef& post);
UserId JetstreamUserId(const World& world, uint32_t user);

class JetstreamWriter {
 public:
  explicit JetstreamWriter(const World& world) : world_(world) {}

  // Each appends one JSON object, without a trailing newline.
  void WritePost(const SimPost& post, Buffer* out);
  void WriteLike(const SimLike& like, Buffer* out);
  void WriteFollow(uint32_t follower, uint32_t followee, int64_t time_us, uint64_t seq,
                   Buffer* out);

 private:
  void Open(uint32_t author, int64_t time_us, uint64_t clock_id, std::string_view collection,
            Buffer& b);
  void Close(std::string_view uri, Buffer& b);
  // {"cid":..,"uri":..} of a post.
  void PutStrongRef(const PostRef& post, Buffer& b);

  const World& world_;
  Content content_;
};

}  // namespace reach::sim

#endif  // REACH_SIM_WRITER_JETSTREAM_H_
