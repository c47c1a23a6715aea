// TwitterV1Decoder: decodes Twitter/X API v1.1 JSON (REST tweet objects and the statuses/filter
// stream, one object per line) into normalized events.
//
//   auto decoder = std::make_unique<TwitterV1Decoder>();
//   std::vector<model::Event> events;
//   DecodeResult r = decoder->Decode(line, &events);
//
// A tweet yields, in order: the events of the status it embeds (a retweet's retweeted_status, a
// quote's quoted_status; recursively), then the author's UserSnapshot, then the Post. Kinds:
// retweeted_status -> kReshare (parent = the retweeted status); else quoted_status(_id_str) ->
// kQuote (parent = the quoted status; in_reply_to is filled too when it also replies); else a
// non-null in_reply_to_status_id(_str) -> kReply; else kOriginal. A retweet's top-level copy of the
// quoted status is not decoded twice (the retweeted status already carries it). An embedded status
// without user or created_at (the search API trims quoted statuses) yields no events; its id still
// becomes the parent (parent_author stays unknown). Stream control messages (DecodeResult::control
// says which): "delete" yields a model::Delete, "scrub_geo" a model::ScrubGeo, "status_withheld"
// and "user_withheld" a model::Withheld (country codes upper-cased, distinct); "limit" yields no
// event but DecodeResult::undelivered (its "track" count); "disconnect" and "warning" yield
// nothing.
//
// Rejections: kMalformedJson (syntax, truncation, trailing content), kInvalidUtf8, kTooDeep
// (nesting deeper than 1024, or statuses embedded more than 32 deep), kWrongType (detail names the
// field, e.g. "id" given as a non-numeric string, or a country code that is not two letters),
// kMissingField (id, user, user.id, created_at; a control message's ids, withheld countries),
// kBadTimestamp (created_at or timestamp_ms that cannot be parsed), kUnknownFormat (valid JSON that
// is neither a tweet nor a control message). On rejection *out is unchanged.
//
// Uses the simdjson On-Demand API over a reusable padded copy of the record: fields are read in
// document order in one pass; the only allocations are the output strings and vectors. Values of
// fields the decoder does not read are skipped structurally (their scalars are not validated).
//
// Not thread-safe (owns its parser and buffer): one decoder per thread.
#ifndef REACH_INGEST_TWITTER_V1_DECODER_H_
#define REACH_INGEST_TWITTER_V1_DECODER_H_

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "ingest/decoder.h"

namespace reach::ingest {

class TwitterV1Decoder final : public Decoder {
 public:
  static constexpr std::string_view kFormat = "twitter-v1";

  TwitterV1Decoder();
  ~TwitterV1Decoder() override;
  TwitterV1Decoder(const TwitterV1Decoder&) = delete;
  TwitterV1Decoder& operator=(const TwitterV1Decoder&) = delete;

  [[nodiscard]] std::string_view format() const override { return kFormat; }
  DecodeResult Decode(std::string_view record, std::vector<model::Event>* out) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses the v1.1 time format "Thu Nov 08 02:31:41 +0000 2012" to microseconds since the epoch.
std::optional<int64_t> ParseTwitterTime(std::string_view text);

}  // namespace reach::ingest

#endif  // REACH_INGEST_TWITTER_V1_DECODER_H_
