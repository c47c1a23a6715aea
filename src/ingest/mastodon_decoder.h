// MastodonDecoder: decodes Mastodon REST Status objects and streaming-API events into normalized
// events. A record (one line) is one of:
//   - a Status object: {"id":"..","created_at":"..","account":{..},"content":"<p>..</p>",..};
//   - a Status with the instance that served it: {"_source_host":"mastodon.social","status":{..}};
//   - a streaming event as sent over the WebSocket API, or an SSE "event:"/"data:" pair turned into
//     one object: {"event":"update"|"status.update"|"delete"|..,"payload":".."}; the payload is a
//     JSON string holding the Status (an object is accepted too); for "delete" it is the status id.
//
//   MastodonDecoder decoder(MastodonOptions{.instance = "mastodon.social"});
//   DecodeResult r = decoder.Decode(line, &events);
//
// Ids. Mastodon ids (status, account, in_reply_to_id, mentions) are local to the instance whose API
// served the JSON: the same remote status has a different id on every instance that knows it, and
// in_reply_to_id is the serving instance's id of the parent, whatever its origin. So ids are
// StableHash64("INSTANCE/ID") with INSTANCE the SERVING instance, which keeps a reply linked to its
// parent: `_source_host` when the record has it, else MastodonOptions::instance, else (when
// neither is known) the host of the status's `uri`; that last fallback is exact for statuses of
// local accounts and gives remote statuses ids that may not match their replies' in_reply_to.
// A "delete" event needs a known instance (_source_host or options): without one it yields no
// event, only Control("delete").
//
// A Status yields, in order: the events of the status it embeds (reblog, or quote.quoted_status;
// decoded recursively and observed at the outer status's time), the author's UserSnapshot (acct,
// display_name, followers/following/statuses counts, created_at; Mastodon has no location and no
// verified flag), then the Post: content HTML turned into text (MastodonHtmlToText), language,
// tags[].name -> hashtags, mentions[] -> mentions (handle = acct), links of the content that are
// not mentions or hashtags -> urls, created_at -> time, replies/reblogs/favourites/quotes_count ->
// counters. Kind: reblog != null -> kReshare (parent = the reblogged status); else an accepted
// quote (quote.quoted_status or quote.quoted_status_id, Mastodon 4.4+) -> kQuote; else a non-null
// in_reply_to_id -> kReply (in_reply_to_user from in_reply_to_account_id); else kOriginal.
// "update" -> Accept; "status.update" (an edit) -> the same events, Control("status_update"),
// Post::observed = edited_at; "delete" -> model::Delete (time unknown: 0), Control("delete"); other
// streaming events (notification, conversation, filters_changed, announcement ...) ->
// Control("other_event").
//
// Rejections: kMalformedJson (also for a payload string that is not JSON), kInvalidUtf8, kTooDeep
// (nesting deeper than 1024, statuses embedded more than 32 deep); kWrongType (e.g. "account" not
// an object, an id neither string nor integer); kMissingField (id, created_at, account, account.id,
// a status without uri/url when no instance is known, payload); kBadTimestamp (created_at,
// account.created_at, edited_at not ISO 8601); kUnknownFormat (JSON that is none of the above).
// On rejection *out is unchanged.
//
// Uses the simdjson DOM parser (two: the record and a payload string), reused across records.
// Not thread-safe: one decoder per thread.
#ifndef REACH_INGEST_MASTODON_DECODER_H_
#define REACH_INGEST_MASTODON_DECODER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/decoder.h"

namespace reach::ingest {

struct MastodonOptions {
  // Host of the instance that served the records ("mastodon.social"), used for the ids of records
  // that do not say (see the header comment). Empty: not known.
  std::string instance;
};

class MastodonDecoder final : public Decoder {
 public:
  static constexpr std::string_view kFormat = "mastodon";

  explicit MastodonDecoder(MastodonOptions options = {});
  ~MastodonDecoder() override;
  MastodonDecoder(const MastodonDecoder&) = delete;
  MastodonDecoder& operator=(const MastodonDecoder&) = delete;

  [[nodiscard]] std::string_view format() const override { return kFormat; }
  DecodeResult Decode(std::string_view record, std::vector<model::Event>* out) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// The id Mastodon objects get here: StableHash64(instance + "/" + local_id).
uint64_t MastodonId(std::string_view instance, std::string_view local_id);

// Parses an ISO 8601 / RFC 3339 time as Mastodon writes it ("2023-05-28T15:20:18.907Z"; any
// fraction, 'Z' or a +hh:mm / +hhmm offset; a date alone is midnight UTC) to microseconds since the
// epoch; nullopt when it is not one.
std::optional<int64_t> ParseMastodonTime(std::string_view text);

// Mastodon's status HTML as plain text: tags removed, <br> -> "\n", a new <p> -> "\n\n", character
// references decoded (&amp; &lt; &gt; &quot; &apos; &#39; &nbsp; and numeric ones). When `links` is
// not null it receives the href of every <a> whose class names neither "mention" nor "hashtag".
std::string MastodonHtmlToText(std::string_view html, std::vector<std::string>* links = nullptr);

}  // namespace reach::ingest

#endif  // REACH_INGEST_MASTODON_DECODER_H_
