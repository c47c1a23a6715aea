#include "sim/writer_jetstream.h"

#include <algorithm>

#include "common/stable_hash.h"
#include "sim/random.h"

namespace reach::sim {
namespace {

constexpr char kSortable32[] = "234567abcdefghijklmnopqrstuvwxyz";
constexpr char kBase32[] = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::string_view kPost = "app.bsky.feed.post";
constexpr std::string_view kRepost = "app.bsky.feed.repost";
constexpr std::string_view kLike = "app.bsky.feed.like";
constexpr std::string_view kFollow = "app.bsky.graph.follow";

char* WriteTid(char* p, int64_t time_us, uint64_t clock_id) {
  uint64_t v = ((static_cast<uint64_t>(time_us) << 10) | (clock_id & 1023)) & ~(1ULL << 63);
  for (int i = 12; i >= 0; --i, v >>= 5) p[i] = kSortable32[v & 31];
  return p + 13;
}

std::string_view RecordUri(const World& world, uint32_t author, std::string_view collection,
                           int64_t time_us, uint64_t clock_id, UriBuffer& buf) {
  NameBuffer did;
  char* p = buf.data;
  constexpr std::string_view kScheme = "at://";
  p = std::copy(kScheme.begin(), kScheme.end(), p);
  const std::string_view d = world.Did(author, did);
  p = std::copy(d.begin(), d.end(), p);
  *p++ = '/';
  p = std::copy(collection.begin(), collection.end(), p);
  *p++ = '/';
  p = WriteTid(p, time_us, clock_id);
  return {buf.data, static_cast<size_t>(p - buf.data)};
}

// "bafyrei" and 52 base32 characters derived from the URI: the shape of a CIDv1 dag-cbor sha-256.
void PutCid(Buffer& b, std::string_view uri) {
  Put(b, "\"bafyrei");
  uint64_t h = StableHash64(uri);
  for (int i = 0; i < 52; ++i) {
    if (i % 12 == 0) h = SplitMix64(h + static_cast<uint64_t>(i));
    PutChar(b, kBase32[h & 31]);
    h >>= 5;
  }
  PutChar(b, '"');
}

}  // namespace

void PutTid(Buffer& b, int64_t time_us, uint64_t clock_id) {
  char tid[13];
  WriteTid(tid, time_us, clock_id);
  b.append(tid, tid + 13);
}

std::string_view JetstreamPostUri(const World& world, const PostRef& post, UriBuffer& buf) {
  return RecordUri(world, post.author, post.kind == model::PostKind::kReshare ? kRepost : kPost,
                   post.time_us, post.seq, buf);
}

PostId JetstreamPostId(const World& world, const PostRef& post) {
  UriBuffer buf;
  return PostId(StableHash64(JetstreamPostUri(world, post, buf)));
}

UserId JetstreamUserId(const World& world, uint32_t user) {
  NameBuffer buf;
  return UserId(StableHash64(world.Did(user, buf)));
}

void JetstreamWriter::Open(uint32_t author, int64_t time_us, uint64_t clock_id,
                           std::string_view collection, Buffer& b) {
  NameBuffer did;
  Put(b, "{\"did\":\"");
  Put(b, world_.Did(author, did));
  Put(b, "\",\"time_us\":");
  PutInt(b, time_us);
  Put(b, ",\"kind\":\"commit\",\"commit\":{\"rev\":\"");
  PutTid(b, time_us, clock_id * 7 + 3);
  Put(b, "\",\"operation\":\"create\",\"collection\":\"");
  Put(b, collection);
  Put(b, "\",\"rkey\":\"");
  PutTid(b, time_us, clock_id);
  Put(b, "\",\"record\":{\"$type\":\"");
  Put(b, collection);
  Put(b, "\",\"createdAt\":\"");
  PutIsoTime(b, time_us);
  PutChar(b, '"');
}

void JetstreamWriter::Close(std::string_view uri, Buffer& b) {
  Put(b, "},\"cid\":");
  PutCid(b, uri);
  Put(b, "}}");
}

void JetstreamWriter::PutStrongRef(const PostRef& post, Buffer& b) {
  UriBuffer buf;
  const std::string_view uri = JetstreamPostUri(world_, post, buf);
  Put(b, "{\"cid\":");
  PutCid(b, uri);
  Put(b, ",\"uri\":\"");
  Put(b, uri);
  Put(b, "\"}");
}

void JetstreamWriter::WritePost(const SimPost& post, Buffer* out) {
  Buffer& b = *out;
  const PostRef& self = post.post;
  UriBuffer uri_buf;
  const std::string_view uri = JetstreamPostUri(world_, self, uri_buf);
  if (self.kind == model::PostKind::kReshare) {
    Open(self.author, self.time_us, self.seq, kRepost, b);
    Put(b, ",\"subject\":");
    PutStrongRef(post.subject, b);
    if (post.has_parent && post.parent.kind == model::PostKind::kReshare) {
      Put(b, ",\"via\":");
      PutStrongRef(post.parent, b);
    }
    Close(uri, b);
    return;
  }
  TextSpec spec;
  spec.seed = self.text_seed;
  spec.author = self.author;
  spec.topic = self.topic;
  spec.sentiment = self.sentiment;
  spec.kind = self.kind;
  spec.style = MentionStyle::kBluesky;
  ComposeText(world_, spec, &content_);

  Open(self.author, self.time_us, self.seq, kPost, b);
  if (self.kind == model::PostKind::kQuote && post.has_parent) {
    Put(b, ",\"embed\":{\"$type\":\"app.bsky.embed.record\",\"record\":");
    PutStrongRef(post.subject, b);
    PutChar(b, '}');
  }
  if (!content_.entities.empty()) {
    Put(b, ",\"facets\":[");
    bool first = true;
    NameBuffer did;
    for (const TextEntity& e : content_.entities) {
      if (!first) PutChar(b, ',');
      first = false;
      Put(b, "{\"features\":[{\"$type\":\"app.bsky.richtext.facet#");
      switch (e.kind) {
        case TextEntity::Kind::kMention:
          Put(b, "mention\",\"did\":\"");
          Put(b, world_.Did(e.user, did));
          PutChar(b, '"');
          break;
        case TextEntity::Kind::kHashtag:
          Put(b, "tag\",\"tag\":");
          PutString(b, e.tag);
          break;
        case TextEntity::Kind::kUrl:
          Put(b, "link\",\"uri\":");
          PutString(b, content_.Url(e));
          break;
      }
      Put(b, "}],\"index\":{\"byteEnd\":");
      PutUint(b, e.end);
      Put(b, ",\"byteStart\":");
      PutUint(b, e.begin);
      Put(b, "}}");
    }
    PutChar(b, ']');
  }
  Put(b, ",\"langs\":[");
  PutString(b, world_.Lang(self.author));
  PutChar(b, ']');
  if (self.kind == model::PostKind::kReply && post.has_parent) {
    // Replies answer a post that starts its own thread, so root and parent coincide.
    Put(b, ",\"reply\":{\"parent\":");
    PutStrongRef(post.subject, b);
    Put(b, ",\"root\":");
    PutStrongRef(post.subject, b);
    PutChar(b, '}');
  }
  Put(b, ",\"text\":");
  PutString(b, content_.text);
  Close(uri, b);
}

void JetstreamWriter::WriteLike(const SimLike& like, Buffer* out) {
  Buffer& b = *out;
  UriBuffer uri_buf;
  const std::string_view uri = RecordUri(world_, like.user, kLike, like.time_us, like.seq, uri_buf);
  Open(like.user, like.time_us, like.seq, kLike, b);
  Put(b, ",\"subject\":");
  PutStrongRef(like.post, b);
  if (like.has_via) {
    Put(b, ",\"via\":");
    PutStrongRef(like.via, b);
  }
  Close(uri, b);
}

void JetstreamWriter::WriteFollow(uint32_t follower, uint32_t followee, int64_t time_us,
                                  uint64_t seq, Buffer* out) {
  Buffer& b = *out;
  UriBuffer uri_buf;
  const std::string_view uri = RecordUri(world_, follower, kFollow, time_us, seq, uri_buf);
  NameBuffer did;
  Open(follower, time_us, seq, kFollow, b);
  Put(b, ",\"subject\":\"");
  Put(b, world_.Did(followee, did));
  PutChar(b, '"');
  Close(uri, b);
}

}  // namespace reach::sim
