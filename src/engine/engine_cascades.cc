// The engine's cascade parents and cascade queries: parent inference over follow edges (engine.h,
// "Cascades") and the trees and summaries the API asks for through the QueryChannel.
#include <algorithm>
#include <deque>
#include <optional>

#include "engine/engine.h"

namespace reach::engine {
namespace {

// How many earlier reshares of a post one inference looks at (most recent first): bounds the cost
// of a reshare of a huge cascade; beyond it the parent falls back to the named post.
constexpr size_t kMaxInferenceScan = 100'000;

using Key = std::pair<EventTime, PostId>;

}  // namespace

void Engine::AddFollowEdges(std::vector<std::pair<UserId, UserId>> edges) {
  follows_.AddEdges(std::move(edges));
}

void Engine::AddAdopter(const PostState& p) {
  const Key key{p.record.time, p.record.id};
  for (auto* v :
       {&adopters_[p.declared_parent], &adopters_by_user_[{p.declared_parent, p.record.author}]}) {
    v->insert(std::upper_bound(v->begin(), v->end(), key), key);
  }
}

void Engine::RemoveAdopter(const PostState& p) {
  if (p.record.kind != model::PostKind::kReshare || !p.declared_parent.valid()) return;
  auto it = adopters_.find(p.declared_parent);
  if (it == adopters_.end()) return;
  auto& v = it->second;
  const Key key{p.record.time, p.record.id};
  auto pos = std::lower_bound(v.begin(), v.end(), key);
  if (pos != v.end() && *pos == key) v.erase(pos);
  if (v.empty()) adopters_.erase(it);
  if (auto u = adopters_by_user_.find({p.declared_parent, p.record.author});
      u != adopters_by_user_.end()) {
    auto& w = u->second;
    auto at = std::lower_bound(w.begin(), w.end(), key);
    if (at != w.end() && *at == key) w.erase(at);
    if (w.empty()) adopters_by_user_.erase(u);
  }
}

std::pair<PostId, ParentMethod> Engine::ChooseParent(const PostState& p) const {
  const PostId named = p.declared_parent;
  if (p.parent_exact || p.record.kind != model::PostKind::kReshare) {
    return {named, ParentMethod::kExact};
  }
  if (follows_.empty()) return {named, ParentMethod::kRoot};
  auto it = adopters_.find(named);
  if (it == adopters_.end()) return {named, ParentMethod::kRoot};
  const auto& v = it->second;
  const Key mine{p.record.time, p.record.id};
  auto pos = std::lower_bound(v.begin(), v.end(), mine);
  // Either walk the earlier adopters back from the newest, or look up the newest earlier adoption
  // of each account the resharer follows: whichever list is shorter. Both give the same parent.
  if (follows_.FolloweeCount(p.record.author) < static_cast<size_t>(pos - v.begin())) {
    std::optional<Key> best;
    follows_.ForEachFollowee(p.record.author, [&](UserId followee) {
      if (followee == p.record.author) return;
      auto a = adopters_by_user_.find({named, followee});
      if (a == adopters_by_user_.end()) return;
      auto at = std::lower_bound(a->second.begin(), a->second.end(), mine);
      if (at == a->second.begin()) return;
      --at;
      if (!best || *at > *best) best = *at;
    });
    if (best) return {best->second, ParentMethod::kInferredFollow};
    return {named, ParentMethod::kRoot};
  }
  const FollowGraph::FolloweeView followees = follows_.Followees(p.record.author);
  size_t scanned = 0;
  while (pos != v.begin() && scanned++ < kMaxInferenceScan) {
    --pos;
    auto cand = posts_.find(pos->second);
    if (cand == posts_.end()) continue;
    const UserId author = cand->second.record.author;
    if (!author.valid() || author == p.record.author) continue;
    if (followees.Contains(author)) {
      return {pos->second, ParentMethod::kInferredFollow};
    }
  }
  return {named, ParentMethod::kRoot};
}

void Engine::PlaceInCascade(PostState& p) {
  if (p.record.kind == model::PostKind::kReshare) AddAdopter(p);
  auto [parent, method] = ChooseParent(p);
  p.record.parent = parent;
  p.record.parent_method = method;
  cascade_children_[parent].push_back(p.record.id);
}

void Engine::AdoptLaterReshares(const PostState& p) {
  if (follows_.empty() || p.record.kind != model::PostKind::kReshare) return;
  auto it = adopters_.find(p.declared_parent);
  if (it == adopters_.end()) return;
  const Key mine{p.record.time, p.record.id};
  // Copy: re-placing changes the children lists, not this vector, but keep the loop simple.
  std::vector<Key> later(std::upper_bound(it->second.begin(), it->second.end(), mine),
                         it->second.end());
  if (later.size() > kMaxInferenceScan) later.resize(kMaxInferenceScan);
  for (const Key& k : later) {
    auto x_it = posts_.find(k.second);
    if (x_it == posts_.end()) continue;
    PostState& x = x_it->second;
    if (x.parent_exact || x.record.author == p.record.author) continue;
    if (!follows_.Follows(x.record.author, p.record.author)) continue;
    if (x.record.parent_method == ParentMethod::kInferredFollow) {
      auto cur = posts_.find(x.record.parent);
      if (cur != posts_.end() && Key{cur->second.record.time, x.record.parent} > mine) continue;
    }
    DetachSubtree(x.record.id);
    RemoveChild(x.record.parent, x.record.id);
    x.record.parent = p.record.id;
    x.record.parent_method = ParentMethod::kInferredFollow;
    cascade_children_[p.record.id].push_back(x.record.id);
    AttachSubtree(x.record.id);
  }
}

void Engine::ReplaceInferredParent(PostId child) {
  auto it = posts_.find(child);
  if (it == posts_.end()) return;
  PostState& x = it->second;
  if (x.record.parent_method == ParentMethod::kInferredFollow) {
    auto [parent, method] = ChooseParent(x);
    x.record.parent = parent;
    x.record.parent_method = method;
    cascade_children_[parent].push_back(child);
  }
  AttachSubtree(child);
}

absl::StatusOr<CascadeReport> Engine::Cascade(PostId post, size_t node_limit) const {
  auto it = posts_.find(post);
  if (it == posts_.end()) return absl::NotFoundError("no such post");
  if (!it->second.attached || !it->second.record.root.valid()) {
    return absl::NotFoundError("the post is in no cascade (what it reshared was deleted)");
  }
  const PostId root = it->second.record.root;
  auto root_it = posts_.find(root);
  if (root_it == posts_.end()) return absl::InternalError("cascade root missing");
  CascadeReport report;
  report.root = root;
  report.requested = post;
  report.author = root_it->second.record.author;
  report.root_known = !root_it->second.placeholder;
  if (auto u = users_.find(report.author); u != users_.end()) {
    report.handle = u->second->handle;
    report.followers = u->second->followers;
  }
  std::vector<int32_t> parent_index;
  std::vector<PostId> children;
  auto add = [&](const PostState& s, int32_t parent) {
    CascadeNode n;
    n.post = s.record.id;
    n.user = s.record.author;
    n.time = s.record.time;
    if (parent >= 0) {
      n.parent = s.record.parent;
      n.method = s.record.parent_method;
    }
    if (auto u = users_.find(n.user); u != users_.end()) {
      n.handle = u->second->handle;
      n.followers = u->second->followers;
    }
    if (const auto* withheld = WithheldIn(n.post)) n.withheld_in = *withheld;
    report.nodes.push_back(std::move(n));
    parent_index.push_back(parent);
  };
  add(root_it->second, -1);
  for (size_t i = 0; i < report.nodes.size(); ++i) {
    auto ch = cascade_children_.find(report.nodes[i].post);
    if (ch == cascade_children_.end()) continue;
    std::vector<const PostState*> kids;
    for (PostId c : ch->second) {
      auto k = posts_.find(c);
      if (k == posts_.end() || !k->second.attached || k->second.record.root != root) continue;
      kids.push_back(&k->second);
    }
    std::sort(kids.begin(), kids.end(), [](const PostState* a, const PostState* b) {
      return a->record.time != b->record.time ? a->record.time < b->record.time
                                              : a->record.id < b->record.id;
    });
    for (const PostState* k : kids) add(*k, static_cast<int32_t>(i));
  }
  REACH_RETURN_IF_ERROR(FinishCascadeReport(report, parent_index, node_limit));
  return report;
}

bool Engine::KnowsUser(UserId user) const {
  if (users_.contains(user) || user_roots_.contains(user)) return true;
  const UserMetrics m = counters_.Get(user, Window::kAll);
  return m.posts > 0 || m.reshares > 0 || m.quotes > 0 || m.replies > 0 || m.likes > 0 ||
         m.mentions > 0;
}

UserCascades Engine::UserCascadesOf(UserId user, Window w, int limit) const {
  UserCascades out;
  out.user = user;
  out.window = w;
  out.as_of = counters_.end();
  auto roots = user_roots_.find(user);
  if (roots == user_roots_.end() || limit <= 0) return out;
  struct Entry {
    PostId root;
    int64_t size;
    int32_t depth;
    EventTime started;
  };
  std::vector<Entry> entries;
  const bool all = w == Window::kAll;
  const EventTime since = all ? EventTime{} : counters_.end() - WindowLength(w);
  for (PostId root : roots->second) {
    auto c = cascades_.find(root);
    if (c == cascades_.end()) continue;
    if (!all && c->second.started < since) continue;
    const int32_t depth = static_cast<int32_t>(c->second.level_counts.size()) - 1;
    entries.push_back(Entry{root, c->second.size, std::max(depth, 0), c->second.started});
  }
  auto pick = [&](auto better) {
    std::vector<CascadeReport> reports;
    const size_t n = std::min(entries.size(), static_cast<size_t>(limit));
    std::partial_sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(n),
                      entries.end(), better);
    for (size_t i = 0; i < n; ++i) {
      absl::StatusOr<CascadeReport> r = Cascade(entries[i].root, 0);
      if (r.ok()) reports.push_back(*std::move(r));
    }
    return reports;
  };
  auto tie = [](const Entry& a, const Entry& b) {
    return a.started != b.started ? a.started > b.started : a.root < b.root;
  };
  out.largest = pick([&](const Entry& a, const Entry& b) {
    if (a.size != b.size) return a.size > b.size;
    if (a.depth != b.depth) return a.depth > b.depth;
    return tie(a, b);
  });
  out.deepest = pick([&](const Entry& a, const Entry& b) {
    if (a.depth != b.depth) return a.depth > b.depth;
    if (a.size != b.size) return a.size > b.size;
    return tie(a, b);
  });
  for (auto* list : {&out.largest, &out.deepest}) {
    for (CascadeReport& r : *list) r.truncated = false;
  }
  return out;
}

}  // namespace reach::engine
