// libFuzzer target for one wire-format decoder, chosen at build time (REACH_FUZZ_FORMAT, a name
// MakeDecoder knows: twitter-v1, twitter-v2, bluesky-jetstream, mastodon, snap-activity,
// weibo-cascades, seismic, auto).
//
// Record mode (the default): each input is one record. The decoder must neither crash nor leak,
// must leave the output untouched when it rejects, and must name a valid reason; accepted records
// are also decoded a second time to check that the decoder keeps no state between records.
//
// Stream mode (REACH_FUZZ_STREAM, for decoders that keep state between lines, e.g. seismic's
// header-then-rows files): each input is a run of lines fed to a fresh decoder, one record per
// line, with the same per-record checks; the whole run is then decoded again by another fresh
// decoder, which must accept and reject the same lines and give the same number of events.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "ingest/decoder.h"
#include "ingest/reject_reason.h"
#include "model/event.h"

namespace {

std::unique_ptr<reach::ingest::Decoder> NewDecoder() {
  auto d = reach::ingest::MakeDecoder(REACH_FUZZ_FORMAT);
  if (!d.ok()) std::abort();
  return std::move(*d);
}

// Decodes one record into *events (appending) and checks the rejection contract. Returns whether
// the record was accepted.
bool DecodeChecked(reach::ingest::Decoder& decoder, std::string_view record,
                   std::vector<reach::model::Event>* events) {
  const size_t before = events->size();
  reach::ingest::DecodeResult result = decoder.Decode(record, events);
  if (!result.accepted) {
    if (events->size() != before) std::abort();  // a rejection leaves the output as it was
    if (static_cast<int>(result.reason) >= reach::ingest::kRejectReasonCount) std::abort();
    if (reach::ingest::RejectReasonName(result.reason).empty()) std::abort();
  }
  return result.accepted;
}

#ifdef REACH_FUZZ_STREAM

// Feeds every line of `input` to a fresh decoder; returns the accept pattern, events in *events.
std::vector<bool> DecodeStream(std::string_view input, std::vector<reach::model::Event>* events) {
  std::unique_ptr<reach::ingest::Decoder> decoder = NewDecoder();
  std::vector<bool> accepted;
  while (!input.empty()) {
    const size_t nl = input.find('\n');
    const std::string_view line = input.substr(0, nl);
    accepted.push_back(DecodeChecked(*decoder, line, events));
    if (nl == std::string_view::npos) break;
    input.remove_prefix(nl + 1);
  }
  return accepted;
}

#else

reach::ingest::Decoder& TheDecoder() {
  static std::unique_ptr<reach::ingest::Decoder> decoder = NewDecoder();
  return *decoder;
}

#endif

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
#ifdef REACH_FUZZ_STREAM
  std::vector<reach::model::Event> events;
  const std::vector<bool> accepted = DecodeStream(input, &events);
  std::vector<reach::model::Event> again;
  if (DecodeStream(input, &again) != accepted || again.size() != events.size()) std::abort();
#else
  reach::ingest::Decoder& decoder = TheDecoder();
  std::vector<reach::model::Event> events;
  if (!DecodeChecked(decoder, input, &events)) return 0;
  std::vector<reach::model::Event> again;
  if (!DecodeChecked(decoder, input, &again) || again.size() != events.size()) std::abort();
#endif
  return 0;
}
