#include "sim/json_out.h"

#include <cmath>

namespace reach::sim {
namespace {

struct Civil {
  int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level
// Date Algorithms").
Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

void Put2(Buffer& b, unsigned v) {
  b.push_back(static_cast<char>('0' + v / 10 % 10));
  b.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

void PutString(Buffer& b, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  b.push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    b.append(s.data() + run, s.data() + i);
    run = i + 1;
    switch (c) {
      case '"':
        Put(b, "\\\"");
        break;
      case '\\':
        Put(b, "\\\\");
        break;
      case '\n':
        Put(b, "\\n");
        break;
      case '\t':
        Put(b, "\\t");
        break;
      default:
        Put(b, "\\u00");
        b.push_back(kHex[c >> 4]);
        b.push_back(kHex[c & 15]);
    }
  }
  b.append(s.data() + run, s.data() + s.size());
  b.push_back('"');
}

void PutUintString(Buffer& b, uint64_t v) {
  b.push_back('"');
  PutUint(b, v);
  b.push_back('"');
}

void PutCoordinate(Buffer& b, double v) {
  if (!std::isfinite(v)) v = 0;
  fmt::format_to(std::back_inserter(b), "{:.6f}", v);
}

void PutTwitterDate(Buffer& b, int64_t unix_seconds) {
  static constexpr std::string_view kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const int64_t days = FloorDiv(unix_seconds, 86400);
  const auto secs = static_cast<unsigned>(unix_seconds - days * 86400);
  const Civil c = CivilFromDays(days);
  Put(b, kDays[static_cast<size_t>(((days % 7) + 7) % 7)]);
  b.push_back(' ');
  Put(b, kMonths[c.month - 1]);
  b.push_back(' ');
  Put2(b, c.day);
  b.push_back(' ');
  Put2(b, secs / 3600);
  b.push_back(':');
  Put2(b, secs / 60 % 60);
  b.push_back(':');
  Put2(b, secs % 60);
  Put(b, " +0000 ");
  PutInt(b, c.year);
}

void PutIsoTime(Buffer& b, int64_t unix_micros) {
  const int64_t seconds = FloorDiv(unix_micros, 1'000'000);
  const auto millis = static_cast<unsigned>((unix_micros - seconds * 1'000'000) / 1000);
  const int64_t days = FloorDiv(seconds, 86400);
  const auto secs = static_cast<unsigned>(seconds - days * 86400);
  const Civil c = CivilFromDays(days);
  PutInt(b, c.year);
  b.push_back('-');
  Put2(b, c.month);
  b.push_back('-');
  Put2(b, c.day);
  b.push_back('T');
  Put2(b, secs / 3600);
  b.push_back(':');
  Put2(b, secs / 60 % 60);
  b.push_back(':');
  Put2(b, secs % 60);
  b.push_back('.');
  b.push_back(static_cast<char>('0' + millis / 100));
  Put2(b, millis % 100);
  b.push_back('Z');
}

}  // namespace reach::sim
