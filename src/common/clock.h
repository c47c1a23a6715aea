// An injectable source of "now", so that windows, flush intervals and freshness can be tested
// without waiting. SystemClock reads the wall clock; ManualClock is set by the test.
//
// Thread safety: Now() may be called from any thread on both implementations.
#ifndef REACH_COMMON_CLOCK_H_
#define REACH_COMMON_CLOCK_H_

#include <atomic>

#include "common/time.h"

namespace reach {

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual EventTime Now() const = 0;
};

// Wall-clock time (CLOCK_REALTIME).
class SystemClock final : public Clock {
 public:
  [[nodiscard]] EventTime Now() const override;
  // A process-wide instance.
  static SystemClock& Get();
};

// A clock that only moves when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(EventTime start = EventTime::FromSeconds(1'600'000'000))
      : now_(start.micros) {}
  [[nodiscard]] EventTime Now() const override { return EventTime{now_.load()}; }
  void Set(EventTime t) { now_.store(t.micros); }
  void Advance(Duration d) { now_.fetch_add(d.micros); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace reach

#endif  // REACH_COMMON_CLOCK_H_
