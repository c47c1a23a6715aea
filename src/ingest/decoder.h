// Decoder: turns one input record (one NDJSON line) of a given wire format into normalized events.
//
// A decoder is not thread-safe (it owns a reusable parser); use one per thread. Decode never throws
// and never aborts on input: a bad record yields a Rejection with its reason and a short detail.
#ifndef REACH_INGEST_DECODER_H_
#define REACH_INGEST_DECODER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/reject_reason.h"
#include "model/event.h"

namespace reach::ingest {

struct DecodeResult {
  bool accepted = false;
  RejectReason reason = RejectReason::kUnknownFormat;  // when !accepted
  // When !accepted: what was wrong, for humans. When accepted: the text of a "disconnect" or
  // "warning" notice ("code: reason"), empty otherwise.
  std::string detail;
  // When accepted: non-empty for a stream control message that carries no post ("limit",
  // "scrub_geo", "status_withheld", "user_withheld", "disconnect", "warning"); "delete" yields a
  // model::Delete event and also sets control = "delete"; likewise "scrub_geo" a model::ScrubGeo
  // and "status_withheld" / "user_withheld" a model::Withheld.
  std::string_view control;
  // For "limit": the posts the platform has not delivered since the connection opened (cumulative
  // per connection, as Twitter reports it); IngestStats turns it into a coverage gap.
  uint64_t undelivered = 0;

  static DecodeResult Accept() { return DecodeResult{true}; }
  static DecodeResult Control(std::string_view kind) {
    DecodeResult r{true};
    r.control = kind;
    return r;
  }
  static DecodeResult Reject(RejectReason reason, std::string detail) {
    return DecodeResult{false, reason, std::move(detail)};
  }
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  // The format's name as given to --format ("twitter-v1", ...).
  [[nodiscard]] virtual std::string_view format() const = 0;
  // Decodes one record, appending the events it carries to *out (in causal order: users, then the
  // posts a post refers to, then the post itself). On rejection *out is left as it was.
  // `record` need not be padded; the decoder copies into its own padded buffer when needed.
  virtual DecodeResult Decode(std::string_view record, std::vector<model::Event>* out) = 0;
};

// Creates the decoder for a format name; InvalidArgument naming the known formats otherwise.
absl::StatusOr<std::unique_ptr<Decoder>> MakeDecoder(std::string_view format);

}  // namespace reach::ingest

#endif  // REACH_INGEST_DECODER_H_
