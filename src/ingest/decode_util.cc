#include "ingest/decode_util.h"

#include <algorithm>
#include <charconv>

namespace reach::ingest {

RejectReason ReasonFor(simdjson::error_code e) {
  switch (e) {
    case simdjson::UTF8_ERROR:
      return RejectReason::kInvalidUtf8;
    case simdjson::DEPTH_ERROR:
      return RejectReason::kTooDeep;
    case simdjson::INCORRECT_TYPE:
    case simdjson::NUMBER_OUT_OF_RANGE:
      return RejectReason::kWrongType;
    default:
      return RejectReason::kMalformedJson;
  }
}

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

bool ParseUint(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool AddCountryCode(std::string_view code, std::vector<std::string>* countries) {
  if (code.size() != 2) return false;
  std::string upper(code);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return false;
  }
  if (std::find(countries->begin(), countries->end(), upper) == countries->end()) {
    countries->push_back(std::move(upper));
  }
  return true;
}

}  // namespace reach::ingest
