#include "ingest/reject_reason.h"

namespace reach::ingest {

std::string_view RejectReasonName(RejectReason r) {
  switch (r) {
    case RejectReason::kMalformedJson:
      return "malformed_json";
    case RejectReason::kInvalidUtf8:
      return "invalid_utf8";
    case RejectReason::kTooLarge:
      return "too_large";
    case RejectReason::kTooDeep:
      return "too_deep";
    case RejectReason::kWrongType:
      return "wrong_type";
    case RejectReason::kMissingField:
      return "missing_field";
    case RejectReason::kBadTimestamp:
      return "bad_timestamp";
    case RejectReason::kUnknownFormat:
      return "unknown_format";
    case RejectReason::kCount:
      break;
  }
  return "unknown";
}

}  // namespace reach::ingest
