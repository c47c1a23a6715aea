#include "analytics/space_saving.h"

#include <algorithm>
#include <utility>

namespace reach::analytics {
namespace {

// Highest count first, then key ascending: a total order, so Top() is deterministic.
bool RankBefore(const SpaceSaving::Entry& a, const SpaceSaving::Entry& b) {
  if (a.count != b.count) return a.count > b.count;
  return a.key < b.key;
}

// Debian's Abseil has its own string_view type; its string-keyed maps look up by that type.
absl::string_view AsKey(std::string_view s) { return absl::string_view(s.data(), s.size()); }

}  // namespace

absl::StatusOr<SpaceSaving> SpaceSaving::Create(std::size_t capacity) {
  if (capacity == 0) return absl::InvalidArgumentError("SpaceSaving capacity must be positive");
  if (capacity > UINT32_MAX) {
    return absl::InvalidArgumentError("SpaceSaving capacity must fit in 32 bits");
  }
  return SpaceSaving(capacity);
}

bool SpaceSaving::Less(uint32_t a, uint32_t b) const {
  return entries_[a].count < entries_[b].count;
}

void SpaceSaving::Swap(std::size_t a, std::size_t b) {
  std::swap(heap_[a], heap_[b]);
  heap_pos_[heap_[a]] = static_cast<uint32_t>(a);
  heap_pos_[heap_[b]] = static_cast<uint32_t>(b);
}

void SpaceSaving::SiftUp(std::size_t pos) {
  while (pos > 0) {
    const std::size_t parent = (pos - 1) / 2;
    if (!Less(heap_[pos], heap_[parent])) break;
    Swap(pos, parent);
    pos = parent;
  }
}

void SpaceSaving::SiftDown(std::size_t pos) {
  const std::size_t n = heap_.size();
  for (;;) {
    std::size_t smallest = pos;
    const std::size_t left = 2 * pos + 1;
    const std::size_t right = left + 1;
    if (left < n && Less(heap_[left], heap_[smallest])) smallest = left;
    if (right < n && Less(heap_[right], heap_[smallest])) smallest = right;
    if (smallest == pos) return;
    Swap(pos, smallest);
    pos = smallest;
  }
}

void SpaceSaving::Offer(std::string_view key, int64_t weight, std::optional<double> value) {
  if (weight <= 0) return;
  total_ += weight;
  if (auto it = index_.find(AsKey(key)); it != index_.end()) {
    Entry& e = entries_[it->second];
    e.count += weight;
    if (value.has_value()) {
      e.value_sum += *value * static_cast<double>(weight);
      e.value_weight += weight;
    }
    SiftDown(heap_pos_[it->second]);
    return;
  }
  Entry fresh;
  fresh.key = std::string(key);
  fresh.count = weight;
  if (value.has_value()) {
    fresh.value_sum = *value * static_cast<double>(weight);
    fresh.value_weight = weight;
  }
  if (entries_.size() < capacity_) {
    const auto slot = static_cast<uint32_t>(entries_.size());
    entries_.push_back(std::move(fresh));
    heap_pos_.push_back(static_cast<uint32_t>(heap_.size()));
    heap_.push_back(slot);
    index_.emplace(entries_[slot].key, slot);
    SiftUp(heap_.size() - 1);
    return;
  }
  // Replace the minimum: the newcomer inherits its count as error.
  const uint32_t slot = heap_[0];
  Entry& victim = entries_[slot];
  index_.erase(victim.key);
  ++evictions_;
  fresh.error = victim.count;
  fresh.count += victim.count;
  victim = std::move(fresh);
  index_.emplace(victim.key, slot);
  SiftDown(0);
}

void SpaceSaving::EraseSlot(uint32_t slot) {
  // Remove from the heap: move the last heap element into its place and restore order.
  const std::size_t pos = heap_pos_[slot];
  const std::size_t last_pos = heap_.size() - 1;
  if (pos != last_pos) {
    Swap(pos, last_pos);
  }
  heap_.pop_back();
  if (pos < heap_.size()) {
    SiftDown(pos);
    SiftUp(pos);
  }
  // Remove from the slots: move the last slot into `slot`.
  index_.erase(entries_[slot].key);
  const auto last_slot = static_cast<uint32_t>(entries_.size() - 1);
  if (slot != last_slot) {
    entries_[slot] = std::move(entries_[last_slot]);
    heap_pos_[slot] = heap_pos_[last_slot];
    heap_[heap_pos_[slot]] = slot;
    index_[entries_[slot].key] = slot;
  }
  entries_.pop_back();
  heap_pos_.pop_back();
}

absl::Status SpaceSaving::Remove(std::string_view key, int64_t weight,
                                 std::optional<double> value) {
  if (weight <= 0) return absl::InvalidArgumentError("SpaceSaving::Remove weight must be positive");
  total_ = std::max<int64_t>(0, total_ - weight);
  auto it = index_.find(AsKey(key));
  if (it == index_.end()) {
    return absl::NotFoundError("key is not monitored");
  }
  const uint32_t slot = it->second;
  Entry& e = entries_[slot];
  e.count -= weight;
  if (e.count <= 0) {
    EraseSlot(slot);
    return absl::OkStatus();
  }
  e.error = std::min(e.error, e.count);
  if (value.has_value()) {
    e.value_weight -= weight;
    e.value_sum -= *value * static_cast<double>(weight);
    if (e.value_weight <= 0) {
      e.value_weight = 0;
      e.value_sum = 0.0;
    }
  }
  SiftUp(heap_pos_[slot]);
  return absl::OkStatus();
}

std::vector<SpaceSaving::Entry> SpaceSaving::Top(std::size_t n) const {
  std::vector<const Entry*> order;
  order.reserve(entries_.size());
  for (const Entry& e : entries_) order.push_back(&e);
  n = std::min(n, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
                    [](const Entry* a, const Entry* b) { return RankBefore(*a, *b); });
  std::vector<Entry> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(*order[i]);
  return out;
}

const SpaceSaving::Entry* SpaceSaving::Find(std::string_view key) const {
  auto it = index_.find(AsKey(key));
  return it == index_.end() ? nullptr : &entries_[it->second];
}

int64_t SpaceSaving::min_count() const {
  if (!full() || heap_.empty()) return 0;
  return entries_[heap_[0]].count;
}

int64_t SpaceSaving::unmonitored_bound() const {
  if (evictions_ == 0 || heap_.empty()) return 0;
  return entries_[heap_[0]].count;
}

void SpaceSaving::Clear() {
  total_ = 0;
  evictions_ = 0;
  entries_.clear();
  heap_.clear();
  heap_pos_.clear();
  index_.clear();
}

}  // namespace reach::analytics
