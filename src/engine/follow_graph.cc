#include "engine/follow_graph.h"

#include <algorithm>
#include <tuple>

namespace reach::engine {

void FollowGraph::AddEdges(std::vector<std::pair<UserId, UserId>> edges) {
  std::vector<Edge> more;
  more.reserve(edges.size());
  for (const auto& [a, b] : edges) {
    if (a.valid() && b.valid() && a != b) more.emplace_back(a.value, b.value);
  }
  edges.clear();
  edges.shrink_to_fit();
  std::sort(more.begin(), more.end());
  more.erase(std::unique(more.begin(), more.end()), more.end());
  std::vector<Edge> merged;
  merged.reserve(bulk_.size() + more.size());
  std::set_union(bulk_.begin(), bulk_.end(), more.begin(), more.end(), std::back_inserter(merged));
  bulk_ = std::move(merged);
  for (const Edge& e : more) {
    removed_.erase(e);
    if (added_.erase(e) > 0) {
      auto& out = added_out_[e.first];
      out.erase(std::remove(out.begin(), out.end(), e.second), out.end());
      if (out.empty()) added_out_.erase(e.first);
    }
  }
}

std::pair<std::vector<FollowGraph::Edge>::const_iterator,
          std::vector<FollowGraph::Edge>::const_iterator>
FollowGraph::BulkRange(uint64_t follower) const {
  auto begin = std::lower_bound(bulk_.begin(), bulk_.end(), Edge{follower, 0});
  auto end = std::lower_bound(begin, bulk_.end(), Edge{follower + 1, 0});
  if (follower == UINT64_MAX) end = bulk_.end();
  return {begin, end};
}

FollowGraph::FolloweeView FollowGraph::Followees(UserId follower) const {
  FolloweeView v;
  v.graph_ = this;
  v.follower_ = follower.value;
  std::tie(v.begin_, v.end_) = BulkRange(follower.value);
  return v;
}

bool FollowGraph::FolloweeView::Contains(UserId followee) const {
  const Edge e{follower_, followee.value};
  if (!graph_->added_.empty() && graph_->added_.contains(e)) return true;
  if (!std::binary_search(begin_, end_, e)) return false;
  return graph_->removed_.empty() || !graph_->removed_.contains(e);
}

size_t FollowGraph::FolloweeCount(UserId follower) const {
  auto [begin, end] = BulkRange(follower.value);
  size_t n = static_cast<size_t>(end - begin);
  if (auto a = added_out_.find(follower.value); a != added_out_.end()) n += a->second.size();
  return n;
}

bool FollowGraph::InBulk(Edge e) const { return std::binary_search(bulk_.begin(), bulk_.end(), e); }

void FollowGraph::Follow(UserId follower, UserId followee) {
  if (!follower.valid() || !followee.valid() || follower == followee) return;
  const Edge e{follower.value, followee.value};
  if (InBulk(e)) {
    removed_.erase(e);
  } else if (added_.insert(e).second) {
    added_out_[e.first].push_back(e.second);
  }
}

void FollowGraph::Unfollow(UserId follower, UserId followee) {
  const Edge e{follower.value, followee.value};
  if (added_.erase(e) > 0) {
    auto& out = added_out_[e.first];
    out.erase(std::remove(out.begin(), out.end(), e.second), out.end());
    if (out.empty()) added_out_.erase(e.first);
  }
  if (InBulk(e)) removed_.insert(e);
}

bool FollowGraph::Follows(UserId follower, UserId followee) const {
  const Edge e{follower.value, followee.value};
  if (added_.contains(e)) return true;
  return InBulk(e) && !removed_.contains(e);
}

size_t FollowGraph::size() const { return bulk_.size() - removed_.size() + added_.size(); }

}  // namespace reach::engine
