// Space-Saving heavy hitters over string keys: the k most frequent keys of a stream in O(k) memory.
//
// Metwally, Agrawal and El Abbadi, "Efficient Computation of Frequent and Top-k Elements in Data
// Streams", ICDT 2005. The summary monitors at most `capacity` (k) keys, each with a count and an
// error. A monitored key is incremented; an unmonitored key replaces the key with the smallest
// count m and starts at m + weight with error m. Guarantees, for a stream of total weight N:
//   - count(x) - error(x) <= true(x) <= count(x) for every monitored key x;
//   - the smallest monitored count m is at most N / k, so every key with true(x) > N / k is
//     monitored, and an unmonitored key has true(x) <= m;
//   - while at most k distinct keys have been offered, nothing is evicted and every count is
//     exact (error 0).
// Remove() supports deletions (the engine undoes a deleted post): it lowers a monitored key's
// count, and its lower bound, by the weight, and drops the key at 0. While nothing has been
// evicted, Remove() exactly undoes Offer(). After evictions, a removed unmonitored key cannot be
// undone (its weight was folded into another key's count): Remove() reports NotFound, and the
// bounds are then relative to the stream including that weight.
//
// Each observation may carry a value (e.g. the sentiment of the post); the summary keeps, per
// monitored key, the weighted mean of the values observed since the key was last (re)admitted.
//
//   REACH_ASSIGN_OR_RETURN(auto top, SpaceSaving::Create(1000));
//   top.Offer("worldcup");
//   top.Offer("worldcup", 3, 0.6);
//   for (const auto& e : top.Top(20)) { /* e.key, e.count, e.error, e.value_mean() */ }
//
// Data structure: instead of the paper's stream-summary (a linked list of buckets of equal counts,
// O(1) per unit increment), a binary min-heap on count with a hash map from key to heap slot.
// The heap handles arbitrary weights and decrements, which the bucket list cannot do in O(1).
// Cost: Offer() and Remove() are O(log k) (one hash lookup, one sift); min_count() is O(1);
// Top(n) is O(k log n); memory is O(k) entries (key string + 40 bytes + hash slot).
//
// Thread safety: not thread-safe; one writer (the engine thread) owns an instance. Const methods
// may run concurrently with each other only. Ownership: the summary copies the keys it monitors.
// Errors: Create() returns InvalidArgument for capacity 0; Offer() ignores non-positive weights.
#ifndef REACH_ANALYTICS_SPACE_SAVING_H_
#define REACH_ANALYTICS_SPACE_SAVING_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/status.h"

namespace reach::analytics {

class SpaceSaving {
 public:
  struct Entry {
    std::string key;
    // Estimated count: an upper bound of the true count.
    int64_t count = 0;
    // Over-estimation bound: count - error is a lower bound of the true count.
    int64_t error = 0;
    // Sum of weight * value over the valued observations since admission, and their weight.
    double value_sum = 0.0;
    int64_t value_weight = 0;

    // Weighted mean of the observed values, or nullopt when no observation carried a value.
    [[nodiscard]] std::optional<double> value_mean() const {
      if (value_weight <= 0) return std::nullopt;
      return value_sum / static_cast<double>(value_weight);
    }
  };

  [[nodiscard]] static absl::StatusOr<SpaceSaving> Create(std::size_t capacity);

  // Adds `weight` (> 0; otherwise ignored) occurrences of `key`, with an optional value per
  // occurrence.
  void Offer(std::string_view key, int64_t weight = 1, std::optional<double> value = std::nullopt);

  // Subtracts `weight` (> 0) previously offered occurrences of `key` (and `value`, if it was
  // offered with one). A key whose count reaches 0 is dropped. Returns NotFound when the key is
  // not monitored, InvalidArgument for a non-positive weight.
  absl::Status Remove(std::string_view key, int64_t weight = 1,
                      std::optional<double> value = std::nullopt);

  // The `n` entries with the highest counts, highest first; ties by key, ascending.
  [[nodiscard]] std::vector<Entry> Top(std::size_t n) const;

  // The monitored entry for `key`, or nullptr. Valid until the next mutation.
  [[nodiscard]] const Entry* Find(std::string_view key) const;

  // All monitored entries, in no particular order. Valid until the next mutation.
  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }

  // Smallest monitored count (the bound m above) when the summary is full, else 0.
  [[nodiscard]] int64_t min_count() const;
  // Upper bound of the true count of a key that is not monitored: 0 while no key has been evicted
  // since creation or Clear() (the summary is then exact), else the smallest monitored count.
  [[nodiscard]] int64_t unmonitored_bound() const;
  // Number of keys evicted to admit another key since creation or Clear().
  [[nodiscard]] int64_t evictions() const { return evictions_; }
  [[nodiscard]] bool full() const { return entries_.size() == capacity_; }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  // Total weight offered minus weight removed (N).
  [[nodiscard]] int64_t total() const { return total_; }

  void Clear();

 private:
  explicit SpaceSaving(std::size_t capacity) : capacity_(capacity) {}

  bool Less(uint32_t a, uint32_t b) const;
  void SiftUp(std::size_t pos);
  void SiftDown(std::size_t pos);
  void Swap(std::size_t a, std::size_t b);
  void EraseSlot(uint32_t slot);

  std::size_t capacity_;
  int64_t total_ = 0;
  int64_t evictions_ = 0;
  // Entries live in slots; heap_ orders slots by count; heap_pos_[slot] is the slot's heap index.
  std::vector<Entry> entries_;
  std::vector<uint32_t> heap_;
  std::vector<uint32_t> heap_pos_;
  absl::flat_hash_map<std::string, uint32_t> index_;
};

}  // namespace reach::analytics

#endif  // REACH_ANALYTICS_SPACE_SAVING_H_
