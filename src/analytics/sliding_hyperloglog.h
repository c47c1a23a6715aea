// SlidingHyperLogLog: distinct items added since any time t (a sliding window of any length up to
// a horizon) and over all time, from one sketch.
//
// Chabchoub and Hébrail, "Sliding HyperLogLog: estimating cardinality in a data stream over a
// sliding window", ICDM Workshops 2010. Each HyperLogLog register (see hyperloglog.h) keeps,
// instead of one maximum, its "list of possible future maxima": the (time, rank) pairs that no
// later pair with a rank as high dominates. Times increase and ranks strictly decrease along a
// register's list, so the register's value over the window [t, now] is the rank of the first pair
// at or after t. The first pair of each list is also the register's all-time maximum and is kept
// when older pairs expire, so the same sketch answers "all time".
//
// Pairs may arrive in any time order (the list is a Pareto frontier, not a queue), so results do
// not depend on arrival order. Items cannot be removed (no HyperLogLog can forget one item).
//
// Storage is sparse: one 16-byte entry per kept pair, sorted by (register, time); registers never
// hit cost nothing. An account with n distinct engagers in the horizon keeps about
// min(n, 2^p) · (1 + ln(1 + n / 2^p)) entries, at most 2^p · (66 - p) (every rank kept once per
// register), so memory is bounded per active account whatever its traffic.
//
// Thread safety: none; const methods may run concurrently with each other.
// Cost: Add O(log e + e) for e kept entries (a sorted insert); Estimate O(e); Expire O(e).
#ifndef REACH_ANALYTICS_SLIDING_HYPERLOGLOG_H_
#define REACH_ANALYTICS_SLIDING_HYPERLOGLOG_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace reach::analytics {

class SlidingHyperLogLog {
 public:
  // `precision` as for HyperLogLog (clamped to 4..18).
  explicit SlidingHyperLogLog(int precision = 10);

  // Adds an item (its 64-bit hash, e.g. MixHash64(id)) seen at `time` (any monotone unit).
  void Add(uint64_t hash, int64_t time);
  // Drops the pairs older than `horizon` that no window starting at or after it needs; each
  // register's all-time maximum stays.
  void ExpireBefore(int64_t horizon);

  // Distinct items added at or after `since`; Estimate(min) is all time.
  [[nodiscard]] double Estimate(int64_t since) const;
  [[nodiscard]] double EstimateAll() const { return Estimate(std::numeric_limits<int64_t>::min()); }

  [[nodiscard]] bool empty() const { return entries_.empty(); }
  [[nodiscard]] size_t entries() const { return entries_.size(); }
  [[nodiscard]] size_t memory_bytes() const { return entries_.capacity() * sizeof(Entry); }
  [[nodiscard]] int precision() const { return p_; }

 private:
  struct Entry {
    int64_t time;
    uint32_t reg;
    uint8_t rank;
  };

  int p_;
  std::vector<Entry> entries_;  // sorted by (reg, time); per reg, rank strictly decreasing
};

}  // namespace reach::analytics

#endif  // REACH_ANALYTICS_SLIDING_HYPERLOGLOG_H_
