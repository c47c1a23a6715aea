// Why an input record was not accepted. Every rejection is counted by reason (/metrics), logged,
// and written with its source position to the dead-letter file; the pipeline goes on.
#ifndef REACH_INGEST_REJECT_REASON_H_
#define REACH_INGEST_REJECT_REASON_H_

#include <cstdint>
#include <string_view>

namespace reach::ingest {

enum class RejectReason : uint8_t {
  kMalformedJson = 0,  // not parseable JSON (truncated, bad syntax)
  kInvalidUtf8,        // bytes that are not UTF-8
  kTooLarge,           // record longer than the configured limit
  kTooDeep,            // nesting deeper than the parser allows
  kWrongType,      // a field has the wrong JSON type (e.g. "id": "abc" where a number is needed)
  kMissingField,   // a required field (id, user, created_at ...) is absent
  kBadTimestamp,   // a time field that cannot be parsed
  kUnknownFormat,  // valid JSON, but not a message this decoder knows
  kCount,          // number of reasons, not a reason
};

inline constexpr int kRejectReasonCount = static_cast<int>(RejectReason::kCount);

// Stable snake_case names used in /metrics labels, logs and dead-letter records:
// malformed_json, invalid_utf8, too_large, too_deep, wrong_type, missing_field, bad_timestamp,
// unknown_format.
std::string_view RejectReasonName(RejectReason r);

}  // namespace reach::ingest

#endif  // REACH_INGEST_REJECT_REASON_H_
