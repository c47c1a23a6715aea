#include "ingest/jetstream_decoder.h"

#include <simdjson.h>

#include <cstring>
#include <string>

#include "common/stable_hash.h"
#include "ingest/decode_util.h"

namespace reach::ingest {
namespace {

namespace dom = simdjson::dom;
using model::Event;

constexpr std::string_view kPost = "app.bsky.feed.post";
constexpr std::string_view kRepost = "app.bsky.feed.repost";
constexpr std::string_view kLike = "app.bsky.feed.like";
constexpr std::string_view kFollow = "app.bsky.graph.follow";
constexpr std::string_view kProfile = "app.bsky.actor.profile";

std::string AtUri(std::string_view did, std::string_view collection, std::string_view rkey) {
  std::string uri;
  uri.reserve(5 + did.size() + 1 + collection.size() + 1 + rkey.size());
  uri += "at://";
  uri += did;
  uri += '/';
  uri += collection;
  uri += '/';
  uri += rkey;
  return uri;
}

}  // namespace

std::string_view AtUriAuthority(std::string_view uri) {
  constexpr std::string_view kScheme = "at://";
  if (uri.substr(0, kScheme.size()) != kScheme) return {};
  uri.remove_prefix(kScheme.size());
  return uri.substr(0, uri.find('/'));
}

std::string_view AtUriCollection(std::string_view uri) {
  std::string_view authority = AtUriAuthority(uri);
  if (authority.empty()) return {};
  uri.remove_prefix(5 + authority.size());
  if (uri.empty()) return {};
  uri.remove_prefix(1);  // '/'
  return uri.substr(0, uri.find('/'));
}

class JetstreamDecoder::Impl {
 public:
  DecodeResult Decode(std::string_view record, std::vector<Event>* out) {
    size_t mark = out->size();
    result_ = DecodeResult::Accept();
    if (!DecodeDocument(record, out)) {
      out->erase(out->begin() + static_cast<std::ptrdiff_t>(mark), out->end());
      return DecodeResult::Reject(reason_, std::move(detail_));
    }
    return result_;
  }

 private:
  bool Fail(RejectReason reason, std::string detail) {
    reason_ = reason;
    detail_ = std::move(detail);
    return false;
  }
  bool WrongType(std::string_view path, std::string_view expected) {
    return Fail(RejectReason::kWrongType,
                std::string(path) + ": expected " + std::string(expected));
  }
  bool Missing(std::string_view path) {
    return Fail(RejectReason::kMissingField, std::string(path));
  }

  // A field of `obj`; absent or null gives *present = false.
  static bool Get(dom::object obj, std::string_view key, dom::element* out) {
    if (obj.at_key(key).get(*out) != simdjson::SUCCESS) return false;
    return !out->is_null();
  }

  bool String(dom::object obj, std::string_view key, std::string_view path, std::string_view* out,
              bool* present) {
    dom::element e;
    *present = Get(obj, key, &e);
    if (!*present) return true;
    if (e.get_string().get(*out) != simdjson::SUCCESS) return WrongType(path, "a string");
    return true;
  }

  bool RequiredString(dom::object obj, std::string_view key, std::string_view path,
                      std::string_view* out) {
    bool present = false;
    if (!String(obj, key, path, out, &present)) return false;
    return present || Missing(path);
  }

  bool Object(dom::object obj, std::string_view key, std::string_view path, dom::object* out,
              bool* present) {
    dom::element e;
    *present = Get(obj, key, &e);
    if (!*present) return true;
    if (e.get_object().get(*out) != simdjson::SUCCESS) return WrongType(path, "an object");
    return true;
  }

  bool RequiredObject(dom::object obj, std::string_view key, std::string_view path,
                      dom::object* out) {
    bool present = false;
    if (!Object(obj, key, path, out, &present)) return false;
    return present || Missing(path);
  }

  bool Array(dom::object obj, std::string_view key, std::string_view path, dom::array* out,
             bool* present) {
    dom::element e;
    *present = Get(obj, key, &e);
    if (!*present) return true;
    if (e.get_array().get(*out) != simdjson::SUCCESS) return WrongType(path, "an array");
    return true;
  }

  // An at:// URI field; *did receives its authority.
  bool AtUriField(dom::object obj, std::string_view key, std::string_view path,
                  std::string_view* uri, std::string_view* did, bool required) {
    bool present = false;
    if (!String(obj, key, path, uri, &present)) return false;
    if (!present) return !required || Missing(path);
    *did = AtUriAuthority(*uri);
    if (did->empty()) return WrongType(path, "an at:// URI");
    return true;
  }

  // {"uri": "at://..", "cid": ".."} under `key`.
  bool StrongRef(dom::object obj, std::string_view key, std::string_view path,
                 std::string_view* uri, std::string_view* did, bool* present) {
    dom::object ref;
    if (!Object(obj, key, path, &ref, present)) return false;
    if (!*present) return true;
    return AtUriField(ref, "uri", std::string(path) + ".uri", uri, did, /*required=*/true);
  }

  bool DecodeDocument(std::string_view record, std::vector<Event>* out) {
    if (record.size() + simdjson::SIMDJSON_PADDING > capacity_) {
      capacity_ = record.size() + simdjson::SIMDJSON_PADDING;
      buffer_ = std::make_unique<char[]>(capacity_);
    }
    std::memcpy(buffer_.get(), record.data(), record.size());
    std::memset(buffer_.get() + record.size(), 0, simdjson::SIMDJSON_PADDING);
    dom::element doc;
    simdjson::error_code e = parser_.parse(buffer_.get(), record.size(), false).get(doc);
    if (e != simdjson::SUCCESS) return Fail(ReasonFor(e), simdjson::error_message(e));
    dom::object root;
    if (doc.get_object().get(root) != simdjson::SUCCESS) {
      return Fail(RejectReason::kUnknownFormat, "not a JSON object");
    }
    dom::element probe;
    if (root.at_key("did").get(probe) != simdjson::SUCCESS &&
        root.at_key("time_us").get(probe) != simdjson::SUCCESS &&
        root.at_key("kind").get(probe) != simdjson::SUCCESS) {
      return Fail(RejectReason::kUnknownFormat, "not a Jetstream event (no did, time_us, kind)");
    }
    std::string_view did, kind;
    if (!RequiredString(root, "did", "did", &did)) return false;
    if (did.substr(0, 4) != "did:") return WrongType("did", "a DID (did:...)");
    dom::element time_element;
    if (!Get(root, "time_us", &time_element)) return Missing("time_us");
    int64_t time_us = 0;
    if (time_element.is_string()) return WrongType("time_us", "a number");
    if (time_element.get_int64().get(time_us) != simdjson::SUCCESS || time_us <= 0) {
      return Fail(RejectReason::kBadTimestamp, "time_us: not a positive number of microseconds");
    }
    time_ = EventTime::FromMicros(time_us);
    if (!RequiredString(root, "kind", "kind", &kind)) return false;
    if (kind == "identity" || kind == "account") {
      result_ = DecodeResult::Control(kind == "identity" ? "identity" : "account");
      return true;
    }
    if (kind != "commit") {
      return Fail(RejectReason::kUnknownFormat, "kind \"" + std::string(kind.substr(0, 64)) + "\"");
    }
    dom::object commit;
    if (!RequiredObject(root, "commit", "commit", &commit)) return false;
    return DecodeCommit(did, commit, out);
  }

  bool DecodeCommit(std::string_view did, dom::object commit, std::vector<Event>* out) {
    std::string_view operation, collection, rkey;
    if (!RequiredString(commit, "operation", "commit.operation", &operation) ||
        !RequiredString(commit, "collection", "commit.collection", &collection) ||
        !RequiredString(commit, "rkey", "commit.rkey", &rkey)) {
      return false;
    }
    const UserId user(StableHash64(did));
    if (operation == "delete") {
      if (collection == kPost || collection == kRepost) {
        model::Delete del;
        del.post = PostId(StableHash64(AtUri(did, collection, rkey)));
        del.author = user;
        del.time = time_;
        del.platform = model::Platform::kBluesky;
        out->emplace_back(del);
        result_ = DecodeResult::Control("delete");
      } else if (collection == kFollow) {
        model::Follow follow;
        follow.follower = user;
        follow.follow = false;  // the followee is not named by the delete
        follow.time = time_;
        follow.platform = model::Platform::kBluesky;
        out->emplace_back(follow);
      } else if (collection == kLike) {
        result_ = DecodeResult::Control("unlike");
      } else {
        result_ = DecodeResult::Control("other_collection");
      }
      return true;
    }
    if (operation != "create" && operation != "update") {
      return Fail(RejectReason::kUnknownFormat,
                  "commit.operation \"" + std::string(operation.substr(0, 64)) + "\"");
    }
    const bool known = collection == kPost || collection == kRepost || collection == kLike ||
                       collection == kFollow || collection == kProfile;
    if (!known) {
      result_ = DecodeResult::Control("other_collection");
      return true;
    }
    dom::object record;
    if (!RequiredObject(commit, "record", "commit.record", &record)) return false;
    if (collection == kPost) return DecodePost(did, user, rkey, record, out);
    if (collection == kRepost) return DecodeRepost(did, user, rkey, record, out);
    if (collection == kLike) return DecodeLike(user, record, out);
    if (collection == kFollow) return DecodeFollow(user, record, out);
    return DecodeProfile(user, record, out);
  }

  bool DecodePost(std::string_view did, UserId user, std::string_view rkey, dom::object record,
                  std::vector<Event>* out) {
    model::Post post;
    post.id = PostId(StableHash64(AtUri(did, kPost, rkey)));
    post.platform = model::Platform::kBluesky;
    post.author = user;
    post.time = time_;
    std::string_view text;
    if (!RequiredString(record, "text", "commit.record.text", &text)) return false;
    post.text.assign(text);

    dom::array langs;
    bool present = false;
    if (!Array(record, "langs", "commit.record.langs", &langs, &present)) return false;
    if (present) {
      for (dom::element lang : langs) {
        std::string_view s;
        if (lang.get_string().get(s) != simdjson::SUCCESS) {
          return WrongType("commit.record.langs", "strings");
        }
        post.lang.assign(s);
        break;
      }
    }
    if (!DecodeFacets(record, text, &post)) return false;

    dom::object reply;
    if (!Object(record, "reply", "commit.record.reply", &reply, &present)) return false;
    if (present) {
      std::string_view uri, parent_did;
      bool parent_present = false;
      if (!StrongRef(reply, "parent", "commit.record.reply.parent", &uri, &parent_did,
                     &parent_present)) {
        return false;
      }
      if (!parent_present) return Missing("commit.record.reply.parent");
      post.in_reply_to = PostId(StableHash64(uri));
      post.in_reply_to_user = UserId(StableHash64(parent_did));
      post.kind = model::PostKind::kReply;
    }

    dom::object embed;
    if (!Object(record, "embed", "commit.record.embed", &embed, &present)) return false;
    if (present && !DecodeEmbed(embed, &post)) return false;

    out->emplace_back(std::move(post));
    return true;
  }

  // facets[].features[]: #tag {tag}, #mention {did}, #link {uri}; index {byteStart, byteEnd}.
  bool DecodeFacets(dom::object record, std::string_view text, model::Post* post) {
    dom::array facets;
    bool present = false;
    if (!Array(record, "facets", "commit.record.facets", &facets, &present)) return false;
    if (!present) return true;
    for (dom::element facet_element : facets) {
      dom::object facet;
      if (facet_element.get_object().get(facet) != simdjson::SUCCESS) {
        return WrongType("commit.record.facets", "objects");
      }
      // The text the facet covers (for a mention's handle); byte offsets into the UTF-8 text.
      std::string_view covered;
      dom::object index;
      if (!Object(facet, "index", "facets.index", &index, &present)) return false;
      if (present) {
        int64_t start = -1, end = -1;
        dom::element e;
        if (Get(index, "byteStart", &e) && e.get_int64().get(start) != simdjson::SUCCESS) {
          return WrongType("facets.index.byteStart", "an integer");
        }
        if (Get(index, "byteEnd", &e) && e.get_int64().get(end) != simdjson::SUCCESS) {
          return WrongType("facets.index.byteEnd", "an integer");
        }
        if (start >= 0 && end > start && static_cast<uint64_t>(end) <= text.size()) {
          covered = text.substr(static_cast<size_t>(start), static_cast<size_t>(end - start));
        }
      }
      dom::array features;
      if (!Array(facet, "features", "facets.features", &features, &present)) return false;
      if (!present) continue;
      for (dom::element feature_element : features) {
        dom::object feature;
        if (feature_element.get_object().get(feature) != simdjson::SUCCESS) {
          return WrongType("facets.features", "objects");
        }
        std::string_view type, value;
        bool has_type = false, has_value = false;
        if (!String(feature, "$type", "facets.features.$type", &type, &has_type)) return false;
        if (!has_type) continue;
        if (type == "app.bsky.richtext.facet#tag") {
          if (!String(feature, "tag", "facets.features.tag", &value, &has_value)) return false;
          if (has_value && !value.empty()) post->hashtags.emplace_back(value);
        } else if (type == "app.bsky.richtext.facet#mention") {
          if (!String(feature, "did", "facets.features.did", &value, &has_value)) return false;
          if (has_value && !value.empty()) {
            std::string_view handle = covered;
            if (!handle.empty() && handle.front() == '@') handle.remove_prefix(1);
            post->mentions.push_back(
                model::Mention{UserId(StableHash64(value)), std::string(handle)});
          }
        } else if (type == "app.bsky.richtext.facet#link") {
          if (!String(feature, "uri", "facets.features.uri", &value, &has_value)) return false;
          if (has_value && !value.empty()) post->urls.emplace_back(value);
        }
      }
    }
    return true;
  }

  // embed: app.bsky.embed.record {record: {uri}}, app.bsky.embed.recordWithMedia {record: {record:
  // {uri}}}, app.bsky.embed.external {external: {uri}}; images and video carry nothing we keep.
  bool DecodeEmbed(dom::object embed, model::Post* post) {
    std::string_view type;
    bool present = false;
    if (!String(embed, "$type", "commit.record.embed.$type", &type, &present)) return false;
    if (!present) return true;
    dom::object record;
    if (type == "app.bsky.embed.record") {
      if (!RequiredObject(embed, "record", "commit.record.embed.record", &record)) return false;
    } else if (type == "app.bsky.embed.recordWithMedia") {
      dom::object outer;
      if (!RequiredObject(embed, "record", "commit.record.embed.record", &outer) ||
          !RequiredObject(outer, "record", "commit.record.embed.record.record", &record)) {
        return false;
      }
    } else if (type == "app.bsky.embed.external") {
      dom::object external;
      if (!Object(embed, "external", "commit.record.embed.external", &external, &present)) {
        return false;
      }
      std::string_view uri;
      bool has_uri = false;
      if (present && !String(external, "uri", "commit.record.embed.external.uri", &uri, &has_uri)) {
        return false;
      }
      if (has_uri && !uri.empty()) {
        bool seen = false;
        for (const std::string& u : post->urls) seen = seen || u == uri;
        if (!seen) post->urls.emplace_back(uri);
      }
      return true;
    } else {
      return true;
    }
    std::string_view uri, quoted_did;
    if (!AtUriField(record, "uri", "commit.record.embed.record.uri", &uri, &quoted_did,
                    /*required=*/true)) {
      return false;
    }
    // Embedded feed generators, lists and starter packs are not quotes of a post.
    if (AtUriCollection(uri) != kPost) return true;
    post->kind = model::PostKind::kQuote;
    post->parent = PostId(StableHash64(uri));
    post->parent_author = UserId(StableHash64(quoted_did));
    return true;
  }

  bool DecodeRepost(std::string_view did, UserId user, std::string_view rkey, dom::object record,
                    std::vector<Event>* out) {
    std::string_view subject_uri, subject_did, via_uri, via_did;
    bool present = false;
    if (!StrongRef(record, "subject", "commit.record.subject", &subject_uri, &subject_did,
                   &present)) {
      return false;
    }
    if (!present) return Missing("commit.record.subject");
    bool has_via = false;
    if (!StrongRef(record, "via", "commit.record.via", &via_uri, &via_did, &has_via)) return false;
    model::Post post;
    post.id = PostId(StableHash64(AtUri(did, kRepost, rkey)));
    post.platform = model::Platform::kBluesky;
    post.kind = model::PostKind::kReshare;
    post.author = user;
    post.time = time_;
    post.parent = PostId(StableHash64(has_via ? via_uri : subject_uri));
    post.parent_author = UserId(StableHash64(has_via ? via_did : subject_did));
    post.parent_exact = has_via;
    out->emplace_back(std::move(post));
    return true;
  }

  bool DecodeLike(UserId user, dom::object record, std::vector<Event>* out) {
    std::string_view uri, subject_did;
    bool present = false;
    if (!StrongRef(record, "subject", "commit.record.subject", &uri, &subject_did, &present)) {
      return false;
    }
    if (!present) return Missing("commit.record.subject");
    if (AtUriCollection(uri) != kPost) {
      result_ = DecodeResult::Control("other_collection");
      return true;
    }
    model::Like like;
    like.user = user;
    like.post = PostId(StableHash64(uri));
    like.post_author = UserId(StableHash64(subject_did));
    like.time = time_;
    like.platform = model::Platform::kBluesky;
    out->emplace_back(like);
    return true;
  }

  bool DecodeFollow(UserId user, dom::object record, std::vector<Event>* out) {
    std::string_view subject;
    if (!RequiredString(record, "subject", "commit.record.subject", &subject)) return false;
    if (subject.substr(0, 4) != "did:") return WrongType("commit.record.subject", "a DID");
    model::Follow follow;
    follow.follower = user;
    follow.followee = UserId(StableHash64(subject));
    follow.follow = true;
    follow.time = time_;
    follow.platform = model::Platform::kBluesky;
    out->emplace_back(follow);
    return true;
  }

  bool DecodeProfile(UserId user, dom::object record, std::vector<Event>* out) {
    model::UserSnapshot snapshot;
    snapshot.id = user;
    snapshot.platform = model::Platform::kBluesky;
    snapshot.observed = time_;
    std::string_view name;
    bool present = false;
    if (!String(record, "displayName", "commit.record.displayName", &name, &present)) {
      return false;
    }
    if (present) snapshot.name.assign(name);
    out->emplace_back(std::move(snapshot));
    return true;
  }

  dom::parser parser_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  EventTime time_;
  DecodeResult result_;
  RejectReason reason_ = RejectReason::kMalformedJson;
  std::string detail_;
};

JetstreamDecoder::JetstreamDecoder() : impl_(std::make_unique<Impl>()) {}
JetstreamDecoder::~JetstreamDecoder() = default;

DecodeResult JetstreamDecoder::Decode(std::string_view record, std::vector<model::Event>* out) {
  return impl_->Decode(record, out);
}

}  // namespace reach::ingest
