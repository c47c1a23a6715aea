// Small pieces every JSON and text decoder needs: the rejection reason for a simdjson error, and
// strict number and date parsing. Pure functions; thread-safe.
#ifndef REACH_INGEST_DECODE_UTIL_H_
#define REACH_INGEST_DECODE_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "ingest/reject_reason.h"

namespace reach::ingest {

// UTF8_ERROR -> invalid_utf8, DEPTH_ERROR -> too_deep, INCORRECT_TYPE / NUMBER_OUT_OF_RANGE ->
// wrong_type, anything else -> malformed_json.
RejectReason ReasonFor(simdjson::error_code e);

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);

// The `n` decimal digits at s[pos..pos+n) as a number; false when out of range or not digits.
bool Digits(std::string_view s, size_t pos, size_t n, int* out);

// The whole of `s` as an unsigned decimal; false for empty, signs, other characters or overflow.
bool ParseUint(std::string_view s, uint64_t* out);

// Adds a two-letter country code ("de", "DE") upper-cased to *countries unless it is there
// already; false (and nothing added) when `code` is not two ASCII letters.
bool AddCountryCode(std::string_view code, std::vector<std::string>* countries);

}  // namespace reach::ingest

#endif  // REACH_INGEST_DECODE_UTIL_H_
