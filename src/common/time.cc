#include "common/time.h"

#include <ctime>

#include <fmt/format.h>

namespace reach {

std::string FormatIso8601(EventTime t) {
  int64_t secs = t.micros / 1000000;
  int64_t micros = t.micros % 1000000;
  if (micros < 0) {
    micros += 1000000;
    secs -= 1;
  }
  time_t tt = static_cast<time_t>(secs);
  struct tm tm {};
  gmtime_r(&tt, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros / 1000);
}

}  // namespace reach
