#include "ingest/decoder.h"

#include "ingest/auto_decoder.h"
#include "ingest/edge_list_decoder.h"
#include "ingest/jetstream_decoder.h"
#include "ingest/mastodon_decoder.h"
#include "ingest/seismic_decoder.h"
#include "ingest/twitter_v1_decoder.h"
#include "ingest/twitter_v2_decoder.h"
#include "ingest/weibo_cascade_decoder.h"

namespace reach::ingest {

absl::StatusOr<std::unique_ptr<Decoder>> MakeDecoder(std::string_view format) {
  if (format == TwitterV1Decoder::kFormat || format == "v1") {
    return std::unique_ptr<Decoder>(new TwitterV1Decoder());
  }
  if (format == JetstreamDecoder::kFormat || format == "jetstream") {
    return std::unique_ptr<Decoder>(new JetstreamDecoder());
  }
  if (format == MastodonDecoder::kFormat) return std::unique_ptr<Decoder>(new MastodonDecoder());
  if (format.substr(0, 9) == "mastodon:") {  // mastodon:HOST names the serving instance
    return std::unique_ptr<Decoder>(
        new MastodonDecoder(MastodonOptions{.instance = std::string(format.substr(9))}));
  }
  if (format == TwitterV2Decoder::kFormat || format == "v2") {
    return std::unique_ptr<Decoder>(new TwitterV2Decoder());
  }
  if (format == EdgeListDecoder::kFormat) return std::unique_ptr<Decoder>(new EdgeListDecoder());
  if (format == WeiboCascadeDecoder::kFormat) {
    return std::unique_ptr<Decoder>(new WeiboCascadeDecoder());
  }
  if (format == SeismicDecoder::kFormat) return std::unique_ptr<Decoder>(new SeismicDecoder());
  if (format == AutoDecoder::kFormat) return std::unique_ptr<Decoder>(new AutoDecoder());
  return absl::InvalidArgumentError(
      "unknown input format \"" + std::string(format) +
      "\"; known formats: twitter-v1 (alias v1), "
      "bluesky-jetstream (alias jetstream), mastodon, mastodon:HOST, twitter-v2 (alias v2), "
      "snap-activity, weibo-cascades, seismic, auto");
}

}  // namespace reach::ingest
