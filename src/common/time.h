// Event time and durations as strong types (microseconds since the Unix epoch, UTC).
//
// EventTime is when something happened on the platform, as the data says; it drives every window.
// Duration is a signed span. Both are trivially copyable values.
#ifndef REACH_COMMON_TIME_H_
#define REACH_COMMON_TIME_H_

#include <compare>
#include <cstdint>
#include <string>

namespace reach {

struct Duration {
  int64_t micros = 0;

  static constexpr Duration Micros(int64_t v) { return Duration{v}; }
  static constexpr Duration Millis(int64_t v) { return Duration{v * 1000}; }
  static constexpr Duration Seconds(int64_t v) { return Duration{v * 1000000}; }
  static constexpr Duration Minutes(int64_t v) { return Seconds(v * 60); }
  static constexpr Duration Hours(int64_t v) { return Minutes(v * 60); }
  [[nodiscard]] constexpr double seconds() const { return static_cast<double>(micros) / 1e6; }
  friend constexpr auto operator<=>(Duration, Duration) = default;
  friend constexpr Duration operator+(Duration a, Duration b) {
    return Duration{a.micros + b.micros};
  }
  friend constexpr Duration operator-(Duration a, Duration b) {
    return Duration{a.micros - b.micros};
  }
  friend constexpr Duration operator*(Duration a, int64_t k) { return Duration{a.micros * k}; }
};

struct EventTime {
  int64_t micros = 0;  // 0 means "unknown"

  static constexpr EventTime FromMicros(int64_t v) { return EventTime{v}; }
  static constexpr EventTime FromSeconds(int64_t v) { return EventTime{v * 1000000}; }
  [[nodiscard]] constexpr int64_t seconds() const { return micros / 1000000; }
  [[nodiscard]] constexpr bool known() const { return micros != 0; }
  friend constexpr auto operator<=>(EventTime, EventTime) = default;
  friend constexpr EventTime operator+(EventTime t, Duration d) {
    return EventTime{t.micros + d.micros};
  }
  friend constexpr EventTime operator-(EventTime t, Duration d) {
    return EventTime{t.micros - d.micros};
  }
  friend constexpr Duration operator-(EventTime a, EventTime b) {
    return Duration{a.micros - b.micros};
  }
};

// RFC 3339 / ISO 8601 in UTC with millisecond precision, e.g. "2012-11-08T02:31:41.000Z".
std::string FormatIso8601(EventTime t);

}  // namespace reach

#endif  // REACH_COMMON_TIME_H_
