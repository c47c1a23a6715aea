#include "common/clock.h"

#include <chrono>

namespace reach {

EventTime SystemClock::Now() const {
  auto since = std::chrono::system_clock::now().time_since_epoch();
  return EventTime{std::chrono::duration_cast<std::chrono::microseconds>(since).count()};
}

SystemClock& SystemClock::Get() {
  static SystemClock clock;
  return clock;
}

}  // namespace reach
