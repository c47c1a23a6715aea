// FollowGraph: who follows whom, for inferring the parent of a reshare whose platform names only
// the original (engine.h, "Cascades"). Edges come in bulk from a follower edge list
// (`reach run --follow-graph FILE`) and one at a time from Follow / unfollow events.
//
// Storage: the bulk edges as one sorted vector of (follower, followee) pairs (16 bytes per edge,
// binary search); edges added by events in a hash set, and bulk edges removed by unfollows in a
// second hash set. Not thread-safe: the engine's writer thread owns it.
#ifndef REACH_ENGINE_FOLLOW_GRAPH_H_
#define REACH_ENGINE_FOLLOW_GRAPH_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "common/ids.h"

namespace reach::engine {

class FollowGraph {
 public:
  // Merges bulk edges (follower, followee); duplicates and self-loops are dropped. O((n+m) log).
  void AddEdges(std::vector<std::pair<UserId, UserId>> edges);
  void Follow(UserId follower, UserId followee);
  void Unfollow(UserId follower, UserId followee);
  [[nodiscard]] bool Follows(UserId follower, UserId followee) const;
  // How many accounts `follower` follows (an upper bound: unfollowed bulk edges still count).
  // O(log E).
  [[nodiscard]] size_t FolloweeCount(UserId follower) const;
  // Calls fn(followee) for every account `follower` follows. O(log E + its followees).
  template <class Fn>
  void ForEachFollowee(UserId follower, Fn fn) const {
    auto [begin, end] = BulkRange(follower.value);
    for (auto it = begin; it != end; ++it) {
      if (removed_.empty() || !removed_.contains(*it)) fn(UserId{it->second});
    }
    if (auto a = added_out_.find(follower.value); a != added_out_.end()) {
      for (uint64_t followee : a->second) fn(UserId{followee});
    }
  }
  // Follows(follower, ·) for one follower, many times: binary search within the follower's own
  // bulk edges instead of all of them. Valid until the graph changes.
  class FolloweeView {
   public:
    [[nodiscard]] bool Contains(UserId followee) const;

   private:
    friend class FollowGraph;
    const FollowGraph* graph_ = nullptr;
    uint64_t follower_ = 0;
    std::vector<std::pair<uint64_t, uint64_t>>::const_iterator begin_, end_;
  };
  [[nodiscard]] FolloweeView Followees(UserId follower) const;

  // Edges currently present.
  [[nodiscard]] size_t size() const;
  [[nodiscard]] bool empty() const { return size() == 0; }

 private:
  using Edge = std::pair<uint64_t, uint64_t>;
  [[nodiscard]] bool InBulk(Edge e) const;
  [[nodiscard]] std::pair<std::vector<Edge>::const_iterator, std::vector<Edge>::const_iterator>
  BulkRange(uint64_t follower) const;

  std::vector<Edge> bulk_;  // sorted, distinct
  absl::flat_hash_set<Edge> added_;
  absl::flat_hash_map<uint64_t, std::vector<uint64_t>> added_out_;  // added_ by follower
  absl::flat_hash_set<Edge> removed_;                               // bulk edges unfollowed since
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_FOLLOW_GRAPH_H_
