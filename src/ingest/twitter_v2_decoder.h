// TwitterV2Decoder: decodes X (Twitter) API v2 JSON, one record per line, into normalized events.
//
//   auto decoder = std::make_unique<TwitterV2Decoder>();
//   std::vector<model::Event> events;
//   DecodeResult r = decoder->Decode(line, &events);
//
// Records understood:
// - A response page: {"data": [tweet, ...] or tweet, "includes": {"users", "tweets", "places"},
//   "errors": [...], "meta": {...}, "matching_rules": [...]} as returned by search, timelines,
//   lookups and the filtered stream (twarc2 adds "__twarc"; both are ignored, as is
//   "matching_rules"). Every tweet of `data` is decoded.
// - twarc's flattened form: one tweet object per line with "author", "referenced_tweets[]" (each
//   with the full referenced tweet and its "author"), "in_reply_to_user" and mention users
//   inlined. A bare v2 tweet object (no inlined parts) is decoded the same way.
// - A user page ({"data": [user, ...]}, a user lookup) or a bare user object: UserSnapshots,
//   observed at "__twarc.retrieved_at" when present (else unknown).
// - A tweet-counts page ({"data": [{"start","end","tweet_count"}, ...]}): control "v2_counts".
// - A page with no "data": control "v2_error" when it has "errors", else "v2_empty".
//   "errors" next to "data" (referenced tweets not found, ...) only note a partial result: the data
//   is decoded and each entry is counted in notes().error_entries.
//
// Mapping of a tweet: author_id -> author; referenced_tweets: "retweeted" -> kReshare (parent =
// the referenced id), else "quoted" -> kQuote (in_reply_to filled too when it also replies), else
// "replied_to" -> kReply (in_reply_to, in_reply_to_user = in_reply_to_user_id, else the author of
// the replied-to tweet); parent_author = author_id of the referenced tweet when the record carries
// it. public_metrics -> counters; entities.hashtags[].tag, entities.mentions[] (id, else the id of
// the includes.users entry with that username, and username), entities.urls[].expanded_url (else
// url); geo.place_id with includes.places (or the place fields twarc inlines into geo) -> place
// (country_code upper-cased, full_name); geo.coordinates [lon, lat] -> coordinates; created_at
// (ISO 8601) -> time; lang; text.
//
// Order of events within a record (causal): for each tweet of `data`, first the tweets it
// references that the record carries (includes.tweets or inlined; their own references one more
// level, at most kMaxReferenceDepth deep), each preceded by its author's snapshot, then the
// author's snapshot, then the tweet. Each post id and each user id yields at most one event per
// record: a tweet referenced by several tweets of the page (or also present in `data`) is emitted
// where it is first needed. Referenced tweets and their authors are observed at the time of the
// `data` tweet that led to them (Post::observed, UserSnapshot::observed). Users of includes.users
// (or inlined) that author no emitted post (mentioned and replied-to accounts) follow at the end,
// observed at the newest `data` tweet time. A referenced tweet without created_at or author_id
// (trimmed by the request's fields) yields no post; its id is still the parent.
//
// Edits: every version of an edited tweet lists the whole chain in edit_history_tweet_ids; all
// versions map to one PostId, the first id of that list (the original's id, which every version
// knows), so an edit never counts as a second post; references to any version are mapped the same
// way when the record carries that version. When a record holds several versions of one tweet,
// the newest (last id of the chain) is the one decoded. Each decoded tweet that was edited is
// counted in notes().edited_posts.
//
// Withheld tweets and users (a "withheld" object: hidden in some countries) are kept as ordinary
// posts and users, each followed by a model::Withheld with its country codes (upper-cased,
// distinct); withheld tweets are counted in notes().withheld_posts. A country code that is not two
// letters is kWrongType.
//
// Rejections (the whole record; *out unchanged): kMalformedJson, kInvalidUtf8, kTooDeep (nesting
// deeper than 1024), kWrongType (detail names the field, e.g. "data[2].id: expected a numeric id
// string"), kMissingField (a tweet's id, author_id or created_at, a user's id), kBadTimestamp,
// kUnknownFormat (valid JSON that is none of the records above, e.g. compliance records, list
// objects, or a non-object).
//
// Uses the simdjson DOM API over a reusable padded buffer (a page must be indexed by id, and keys
// may come in any order). Cost: linear in the record size plus hash lookups per reference.
//
// Not thread-safe (owns its parser and buffer): one decoder per thread.
#ifndef REACH_INGEST_TWITTER_V2_DECODER_H_
#define REACH_INGEST_TWITTER_V2_DECODER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "ingest/decoder.h"

namespace reach::ingest {

class TwitterV2Decoder final : public Decoder {
 public:
  static constexpr std::string_view kFormat = "twitter-v2";
  // How many levels of referenced tweets carried by a record are decoded (a retweet of a quote of
  // a reply: 3).
  static constexpr int kMaxReferenceDepth = 3;

  // Facts noted while decoding that carry no event of their own; cumulative since construction.
  struct Notes {
    uint64_t withheld_posts = 0;  // posts decoded that are withheld in some countries
    uint64_t edited_posts = 0;    // posts decoded whose edit history has more than one id
    uint64_t error_entries = 0;   // "errors" entries of pages that also had data
  };

  TwitterV2Decoder();
  ~TwitterV2Decoder() override;
  TwitterV2Decoder(const TwitterV2Decoder&) = delete;
  TwitterV2Decoder& operator=(const TwitterV2Decoder&) = delete;

  [[nodiscard]] std::string_view format() const override { return kFormat; }
  DecodeResult Decode(std::string_view record, std::vector<model::Event>* out) override;
  [[nodiscard]] const Notes& notes() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses the ISO 8601 / RFC 3339 times of API v2 ("2021-04-01T15:52:31.000Z", fraction optional,
// "Z" or a "+hh:mm" offset) to microseconds since the epoch.
std::optional<int64_t> ParseTwitterV2Time(std::string_view text);

}  // namespace reach::ingest

#endif  // REACH_INGEST_TWITTER_V2_DECODER_H_
