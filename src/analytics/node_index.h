// NodeIndex: maps sparse 64-bit account ids (UserId values) to dense uint32 node indices 0..n-1,
// the node numbering used by EngagementGraph, CsrGraph, PageRank and Louvain.
//
//   NodeIndex index;
//   uint32_t author = index.GetOrAdd(author_id.value);   // 0
//   uint32_t fan = index.GetOrAdd(fan_id.value);         // 1
//   index.IdOf(fan) == fan_id.value;
//
// Indices are assigned in order of first appearance and never reused or removed, so a vector
// indexed by node stays valid as the index grows.
// Thread safety: none; one writer. Concurrent const calls are safe when nobody writes.
// Errors: GetOrAdd fails (ResourceExhausted) once 2^32 - 1 nodes exist.
// Cost: O(1) expected per call; about 28 bytes per node (hash slot + reverse vector).
#ifndef REACH_ANALYTICS_NODE_INDEX_H_
#define REACH_ANALYTICS_NODE_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/status.h"

namespace reach::analytics {

class NodeIndex {
 public:
  // Returns the node of `id`, adding it with the next free index if unseen.
  [[nodiscard]] absl::StatusOr<uint32_t> GetOrAdd(uint64_t id);
  // Returns the node of `id`, or nullopt if it was never added.
  [[nodiscard]] std::optional<uint32_t> Find(uint64_t id) const;
  // The id of `node`; node < size() is a precondition.
  [[nodiscard]] uint64_t IdOf(uint32_t node) const { return ids_[node]; }

  [[nodiscard]] size_t size() const { return ids_.size(); }
  [[nodiscard]] const std::vector<uint64_t>& ids() const { return ids_; }
  // Heap bytes held by the index.
  [[nodiscard]] size_t BytesUsed() const;

 private:
  absl::flat_hash_map<uint64_t, uint32_t> node_of_;
  std::vector<uint64_t> ids_;
};

}  // namespace reach::analytics

#endif  // REACH_ANALYTICS_NODE_INDEX_H_
