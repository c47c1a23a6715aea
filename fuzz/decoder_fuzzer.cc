// libFuzzer target for one wire-format decoder, chosen at build time (REACH_FUZZ_FORMAT, a name
// MakeDecoder knows: twitter-v1, twitter-v2, bluesky-jetstream, mastodon, snap-activity, auto).
// Each input is one record. The decoder must neither crash nor leak, must leave the output
// untouched when it rejects, and must name a valid reason; accepted records are also decoded a
// second time to check that the decoder keeps no state between records.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "ingest/decoder.h"
#include "ingest/reject_reason.h"
#include "model/event.h"

namespace {

reach::ingest::Decoder& TheDecoder() {
  static std::unique_ptr<reach::ingest::Decoder> decoder = [] {
    auto d = reach::ingest::MakeDecoder(REACH_FUZZ_FORMAT);
    if (!d.ok()) std::abort();
    return std::move(*d);
  }();
  return *decoder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view record(reinterpret_cast<const char*>(data), size);
  reach::ingest::Decoder& decoder = TheDecoder();
  std::vector<reach::model::Event> events;
  reach::ingest::DecodeResult first = decoder.Decode(record, &events);
  if (!first.accepted) {
    if (!events.empty()) std::abort();  // a rejection leaves the output as it was
    if (static_cast<int>(first.reason) >= reach::ingest::kRejectReasonCount) std::abort();
    if (reach::ingest::RejectReasonName(first.reason).empty()) std::abort();
    return 0;
  }
  std::vector<reach::model::Event> again;
  reach::ingest::DecodeResult second = decoder.Decode(record, &again);
  if (!second.accepted || again.size() != events.size()) std::abort();
  return 0;
}
