#include "analytics/sliding_hyperloglog.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <span>
#include <utility>

#include "analytics/hyperloglog.h"

namespace reach::analytics {

SlidingHyperLogLog::SlidingHyperLogLog(int precision)
    : p_(std::clamp(precision, HyperLogLog::kMinPrecision, HyperLogLog::kMaxPrecision)) {}

void SlidingHyperLogLog::Add(uint64_t hash, int64_t time) {
  const uint32_t reg = HyperLogLog::RegisterOf(hash, p_);
  const uint8_t rank = HyperLogLog::RankOf(hash, p_);
  auto by_key = [](const Entry& e, std::pair<uint32_t, int64_t> k) {
    return e.reg != k.first ? e.reg < k.first : e.time < k.second;
  };
  // The register's list is [begin, end); `pos` is its first pair at or after `time`.
  auto begin = std::lower_bound(entries_.begin(), entries_.end(),
                                std::pair<uint32_t, int64_t>{reg, INT64_MIN}, by_key);
  auto pos =
      std::lower_bound(begin, entries_.end(), std::pair<uint32_t, int64_t>{reg, time}, by_key);
  const bool in_reg = pos != entries_.end() && pos->reg == reg;
  // A pair at least as new with a rank at least as high dominates the new one. Ranks decrease
  // with time, so the first pair at or after `time` has the highest rank among them.
  if (in_reg && pos->rank >= rank) return;
  // The new pair dominates older pairs of no higher rank (a suffix of [begin, pos)) and a pair at
  // the same time with a lower rank.
  auto drop_from = pos;
  while (drop_from != begin && std::prev(drop_from)->rank <= rank) --drop_from;
  auto drop_to = pos;
  if (in_reg && pos->time == time) ++drop_to;
  if (drop_from != drop_to) {
    *drop_from = Entry{time, reg, rank};
    entries_.erase(drop_from + 1, drop_to);
  } else {
    entries_.insert(pos, Entry{time, reg, rank});
  }
}

void SlidingHyperLogLog::ExpireBefore(int64_t horizon) {
  // Keep the first pair of every register (the all-time maximum) and every pair from `horizon` on.
  size_t out = 0;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const bool first = i == 0 || entries_[i - 1].reg != entries_[i].reg;
    if (first || entries_[i].time >= horizon) entries_[out++] = entries_[i];
  }
  entries_.resize(out);
  if (entries_.capacity() > 2 * entries_.size() + 8) entries_.shrink_to_fit();
}

double SlidingHyperLogLog::Estimate(int64_t since) const {
  // On the stack: publishing estimates every active account's audience in every window.
  std::array<uint32_t, 66 - HyperLogLog::kMinPrecision> storage{};
  std::span<uint32_t> counts(storage.data(), static_cast<size_t>(66 - p_));
  uint32_t hit = 0;
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].time < since) continue;
    // The first pair at or after `since` is the register's maximum in the window; skip the rest.
    ++counts[entries_[i].rank];
    ++hit;
    const uint32_t reg = entries_[i].reg;
    while (i + 1 < entries_.size() && entries_[i + 1].reg == reg) ++i;
  }
  counts[0] = (uint32_t{1} << p_) - hit;
  return HyperLogLog::EstimateFromHistogram(counts, p_);
}

}  // namespace reach::analytics
