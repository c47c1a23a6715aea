#include "ingest/decoder.h"

#include "ingest/twitter_v1_decoder.h"

namespace reach::ingest {

absl::StatusOr<std::unique_ptr<Decoder>> MakeDecoder(std::string_view format) {
  if (format == TwitterV1Decoder::kFormat || format == "v1") {
    return std::unique_ptr<Decoder>(new TwitterV1Decoder());
  }
  return absl::InvalidArgumentError("unknown input format \"" + std::string(format) +
                                    "\"; known formats: twitter-v1 (alias v1)");
}

}  // namespace reach::ingest
