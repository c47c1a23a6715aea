// WindowedMap<Key, Value>: per-key sums over the sliding event-time windows (15 min, 1 h, 24 h) and
// all time — the generic form of WindowedCounters for keyed aggregates such as posts per country,
// sentiment per topic, or an influencer's audience per country.
//
// Same bucket rings and the same arrival-order independence as WindowedCounters (see its header):
// a value lands in the bucket of its event time and in each window's totals; buckets leaving a
// window are subtracted. Value must be default-constructible and provide `+=`, `-=` and `empty()`.
//
// Thread safety: none; owned by the engine's writer thread.
// Cost: Add is O(1) expected per window; AdvanceTo is O(entries of the expired buckets).
#ifndef REACH_ENGINE_WINDOWED_MAP_H_
#define REACH_ENGINE_WINDOWED_MAP_H_

#include <array>
#include <cstdint>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "common/time.h"
#include "engine/window.h"

namespace reach::engine {

// A count with a running sum, e.g. posts and the sum of their sentiment.
struct CountSum {
  int64_t count = 0;
  double sum = 0;

  CountSum& operator+=(const CountSum& o) {
    count += o.count;
    sum += o.sum;
    return *this;
  }
  CountSum& operator-=(const CountSum& o) {
    count -= o.count;
    sum -= o.sum;
    return *this;
  }
  [[nodiscard]] bool empty() const { return count == 0; }
  [[nodiscard]] double mean() const { return count == 0 ? 0.0 : sum / static_cast<double>(count); }
};

template <class Key, class Value>
class WindowedMap {
 public:
  using Map = absl::flat_hash_map<Key, Value>;

  WindowedMap() {
    const int64_t widths[3] = {Duration::Seconds(15).micros, Duration::Minutes(1).micros,
                               Duration::Minutes(15).micros};
    const int64_t counts[3] = {60, 60, 96};
    for (int i = 0; i < 3; ++i) {
      sliding_[i].bucket_micros = widths[i];
      sliding_[i].bucket_count = counts[i];
    }
  }

  // Adds (sign = +1) or removes (sign = -1) `value` for `key` at event time `t`.
  void Add(const Key& key, EventTime t, const Value& value, int sign = 1) {
    ApplyTo(all_time_, key, value, sign);
    if (t > end_) AdvanceTo(t);
    for (Sliding& s : sliding_) {
      int64_t bucket = FloorDiv(t.micros, s.bucket_micros);
      if (bucket < FirstLive(s)) continue;
      ApplyTo(s.buckets[bucket], key, value, sign);
      ApplyTo(s.totals, key, value, sign);
    }
  }

  void AdvanceTo(EventTime end) {
    if (end <= end_) return;
    end_ = end;
    for (Sliding& s : sliding_) {
      const int64_t first = FirstLive(s);
      while (!s.buckets.empty() && s.buckets.begin()->first < first) {
        for (const auto& [key, value] : s.buckets.begin()->second)
          ApplyTo(s.totals, key, value, -1);
        s.buckets.erase(s.buckets.begin());
      }
    }
  }

  // Every key with a non-empty total in the window.
  [[nodiscard]] const Map& totals(Window w) const {
    return w == Window::kAll ? all_time_ : sliding_[static_cast<int>(w)].totals;
  }

  [[nodiscard]] Value Get(const Key& key, Window w) const {
    const Map& m = totals(w);
    auto it = m.find(key);
    return it == m.end() ? Value{} : it->second;
  }

 private:
  struct Sliding {
    int64_t bucket_micros = 0;
    int64_t bucket_count = 0;
    std::map<int64_t, Map> buckets;
    Map totals;
  };

  static int64_t FloorDiv(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
  }
  [[nodiscard]] int64_t FirstLive(const Sliding& s) const {
    return FloorDiv(end_.micros, s.bucket_micros) - s.bucket_count + 1;
  }
  static void ApplyTo(Map& m, const Key& key, const Value& value, int sign) {
    auto it = m.try_emplace(key).first;
    if (sign > 0) {
      it->second += value;
    } else {
      it->second -= value;
    }
    if (it->second.empty()) m.erase(it);
  }

  EventTime end_;
  std::array<Sliding, 3> sliding_;
  Map all_time_;
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_WINDOWED_MAP_H_
