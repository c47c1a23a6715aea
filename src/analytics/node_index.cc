#include "analytics/node_index.h"

#include <limits>
#include <utility>

namespace reach::analytics {

absl::StatusOr<uint32_t> NodeIndex::GetOrAdd(uint64_t id) {
  if (auto it = node_of_.find(id); it != node_of_.end()) return it->second;
  if (ids_.size() >= std::numeric_limits<uint32_t>::max()) {
    return absl::ResourceExhaustedError("NodeIndex: 2^32 - 1 nodes already indexed");
  }
  const auto node = static_cast<uint32_t>(ids_.size());
  node_of_.emplace(id, node);
  ids_.push_back(id);
  return node;
}

std::optional<uint32_t> NodeIndex::Find(uint64_t id) const {
  if (auto it = node_of_.find(id); it != node_of_.end()) return it->second;
  return std::nullopt;
}

size_t NodeIndex::BytesUsed() const {
  using Slot = std::pair<const uint64_t, uint32_t>;
  return node_of_.capacity() * (sizeof(Slot) + 1) + ids_.capacity() * sizeof(uint64_t);
}

}  // namespace reach::analytics
