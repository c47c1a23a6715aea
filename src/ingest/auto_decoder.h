// AutoDecoder: the decoder for inputs that mix formats, or whose format is not known in advance.
// It sniffs the top-level keys of each record and hands the record to the decoder of that format:
//
//   did / time_us / kind                                  -> bluesky-jetstream
//   event + payload, _source_host, account, content, uri,
//   reblog, favourites_count, in_reply_to_account_id       -> mastodon
//   id_str, user, text, full_text, retweeted_status, timestamp_ms, delete, limit, scrub_geo,
//   status_withheld, user_withheld, disconnect, warning    -> twitter-v1
//   data, includes, matching_rules                          -> twitter-v2 (when that format is
//                                                             registered in MakeDecoder)
//
// A line that is not a JSON object is sniffed as text: `userA userB unix_time RT|MT|RE` (SNAP
// activity edge lists; a line starting with '#' is their comment) -> snap-activity, and
// `cascade_id<TAB>root_user<TAB>time<TAB>count<TAB>u0:0 ...` (Weibo cascade paths) ->
// weibo-cascades. SEISMIC files keep state across lines and must be named with --format seismic.
//
// Keys are read at the top level only (nested keys do not count), in document order; the first
// key that names a format decides, so a record pays for a short scan of its first keys. A record
// whose keys name no format is rejected with kUnknownFormat when it is valid JSON, else with the
// parser's reason (kMalformedJson, kInvalidUtf8, kTooDeep). The delegate's result is returned as
// is (its rejections keep their reason).
//
//   AutoDecoder decoder;
//   DecodeResult r = decoder.Decode(line, &events);
//   decoder.last_format();  // "bluesky-jetstream", ... or "" when no format was recognised
//
// Owns one decoder per format, made on first use through MakeDecoder. Not thread-safe: one
// AutoDecoder per thread.
#ifndef REACH_INGEST_AUTO_DECODER_H_
#define REACH_INGEST_AUTO_DECODER_H_

#include <array>
#include <memory>
#include <string_view>
#include <vector>

#include "ingest/decoder.h"

namespace reach::ingest {

class AutoDecoder final : public Decoder {
 public:
  static constexpr std::string_view kFormat = "auto";

  AutoDecoder();
  ~AutoDecoder() override;
  AutoDecoder(const AutoDecoder&) = delete;
  AutoDecoder& operator=(const AutoDecoder&) = delete;

  [[nodiscard]] std::string_view format() const override { return kFormat; }
  DecodeResult Decode(std::string_view record, std::vector<model::Event>* out) override;

  // The format of the last record decoded; empty when it was not recognised.
  [[nodiscard]] std::string_view last_format() const { return last_format_; }

  // The format the top-level keys of `record` name ("bluesky-jetstream", "mastodon",
  // "twitter-v1", "twitter-v2"), or for a text line its shape ("snap-activity",
  // "weibo-cascades"), or empty. Does not validate the record.
  static std::string_view Sniff(std::string_view record);

 private:
  static constexpr std::array<std::string_view, 6> kFormats = {
      "bluesky-jetstream", "mastodon",      "twitter-v1",
      "twitter-v2",        "snap-activity", "weibo-cascades"};
  std::array<std::unique_ptr<Decoder>, kFormats.size()> decoders_;
  std::string_view last_format_;
};

}  // namespace reach::ingest

#endif  // REACH_INGEST_AUTO_DECODER_H_
