#include "engine/engine.h"

#include <algorithm>
#include <cassert>

#include "analytics/louvain.h"
#include "common/log.h"
#include "engine/score.h"

namespace reach::engine {
namespace {

bool InCascade(model::PostKind k) {
  return k == model::PostKind::kReshare || k == model::PostKind::kQuote;
}

}  // namespace

Engine::Engine(EngineOptions options, const Clock& wall_clock)
    : options_(options), wall_clock_(wall_clock), snapshot_(std::make_shared<Snapshot>()) {}

void Engine::Apply(const model::Event& event) {
  ++stats_.events_applied;
  std::visit(
      [this](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, model::Post>) {
          ApplyPost(e);
        } else if constexpr (std::is_same_v<T, model::UserSnapshot>) {
          ApplyUser(e);
        } else if constexpr (std::is_same_v<T, model::Like>) {
          ApplyLike(e);
        } else if constexpr (std::is_same_v<T, model::Delete>) {
          ApplyDelete(e);
        } else if constexpr (std::is_same_v<T, model::Withheld>) {
          ApplyWithheld(e);
        } else if constexpr (std::is_same_v<T, model::ScrubGeo>) {
          ApplyScrubGeo(e);
        } else {
          static_assert(std::is_same_v<T, model::Follow>);
          // Follow edges feed parent inference (for the reshares placed from now on).
          if (e.follow) {
            follows_.Follow(e.follower, e.followee);
          } else {
            follows_.Unfollow(e.follower, e.followee);
          }
          if (e.time.known()) AdvanceTo(e.time);
        }
      },
      event);
}

void Engine::AdvanceTo(EventTime now) {
  counters_.AdvanceTo(now);
  conversation_.AdvanceTo(now);
}

PostFacts Engine::Facts(const PostState& p) {
  PostFacts f;
  f.id = p.record.id;
  f.author = p.record.author;
  f.time = p.record.time;
  f.country = p.country;
  f.has_sentiment = p.has_sentiment;
  f.sentiment = p.sentiment;
  f.topics = &p.topics;
  f.terms = &p.terms;
  return f;
}

void Engine::ReplyEngagement(PostState& reply, int sign) {
  if ((sign > 0) == reply.conv_replied || !reply.reply_credit) return;
  PostFacts target;
  target.author = reply.reply_credit->user;
  target.id = reply.record.in_reply_to;
  conversation_.AddEngagement(Facts(reply), target, /*with_sentiment=*/true, sign);
  auto replied = posts_.find(target.id);
  audience_sets_.Add(Facts(reply), replied == posts_.end() ? target : Facts(replied->second), sign);
  reply.conv_replied = sign > 0;
}

void Engine::Credit(std::vector<Contribution>& journal, Contribution c) {
  if (!c.user.valid()) return;
  counters_.Apply(c, +1);
  if (c.from.valid()) GraphEdge(c.from, c.user, +1);
  journal.push_back(c);
}

void Engine::Reverse(std::vector<Contribution>& journal) {
  for (const Contribution& c : journal) {
    counters_.Apply(c, -1);
    if (c.from.valid()) GraphEdge(c.from, c.user, -1);
  }
  journal.clear();
}

void Engine::GraphEdge(UserId from, UserId to, int sign) {
  if (!from.valid() || !to.valid() || from == to) return;
  auto a = nodes_.GetOrAdd(from.value);
  auto b = nodes_.GetOrAdd(to.value);
  if (!a.ok() || !b.ok()) return;
  absl::Status st = graph_.EnsureNodes(static_cast<uint32_t>(nodes_.size()));
  if (st.ok()) st = sign > 0 ? graph_.AddEdge(*a, *b, 1.0) : graph_.DecrementEdge(*a, *b, 1.0);
  if (!st.ok()) {
    log::error("engagement graph: {}", st.message());
    return;
  }
  graph_dirty_ = true;
}

bool Engine::RankDue(EventTime now) const {
  return graph_dirty_ && (!ranked_ || now - last_rank_ >= options_.pagerank_refresh);
}

bool Engine::CommunitiesDue(EventTime now) const {
  return communities_stale_ && now - last_communities_ >= options_.community_refresh;
}

bool Engine::AnalysesDue(EventTime now) const {
  return RankDue(now) || CommunitiesDue(now) || AudienceRebuildDue(now);
}

void Engine::RefreshGraph(EventTime now) {
  // A forced refresh ranks from scratch, so that a run's final scores do not depend on when the
  // incremental refreshes happened to fall.
  const bool force = force_refresh_ && (graph_dirty_ || ranked_);
  if (!force && !RankDue(now) && !CommunitiesDue(now)) return;
  analytics::CsrGraph csr = graph_.BuildCsr();
  std::vector<analytics::EdgeChange> changes = graph_.TakeChanges();
  absl::Status st = ranked_ && !force ? pagerank_.Update(csr, changes) : pagerank_.Run(csr);
  if (!st.ok()) {
    log::error("pagerank: {}", st.message());
    st = pagerank_.Run(csr);
    if (!st.ok()) return;
  }
  ranked_ = true;
  graph_dirty_ = false;
  last_rank_ = now;
  auto view = std::make_shared<GraphView>();
  view->nodes = csr.num_nodes;
  view->edges = csr.num_edges();
  view->ranked_at = now;
  const std::vector<double> scores = pagerank_.Scores();
  // The accounts with the highest PageRank, and the edges among them (for drawing).
  std::vector<uint32_t> order(scores.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  const size_t top_n = std::min<size_t>(500, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top_n), order.end(),
                    [&](uint32_t a, uint32_t b) {
                      return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
                    });
  order.resize(top_n);
  absl::flat_hash_set<uint32_t> in_top(order.begin(), order.end());
  for (uint32_t node : order) {
    view->top.push_back(UserId{nodes_.IdOf(node)});
    for (uint32_t e = csr.out_offsets[node]; e < csr.out_offsets[node + 1]; ++e) {
      if (in_top.contains(csr.out_targets[e])) {
        view->top_edges.push_back(NetworkEdge{UserId{nodes_.IdOf(node)},
                                              UserId{nodes_.IdOf(csr.out_targets[e])},
                                              static_cast<double>(csr.out_weights[e])});
      }
    }
  }
  if (force || community_.empty() || now - last_communities_ >= options_.community_refresh) {
    auto result = analytics::Louvain().Run(csr, scores);
    if (result.ok()) {
      community_ = std::move(result->community);
      last_communities_ = now;
      communities_stale_ = false;
      view->modularity = result->modularity;
      for (const analytics::Community& c : result->communities) {
        if (view->communities.size() >= 200) break;
        CommunityView cv{c.id, c.size, c.density, c.internal_edges, {}};
        for (uint32_t node : c.leading) cv.leading.push_back(UserId{nodes_.IdOf(node)});
        view->communities.push_back(std::move(cv));
      }
    }
  } else if (graph_view_) {
    communities_stale_ = true;  // caught up by a later publish even if no event comes
    view->modularity = graph_view_->modularity;
    view->communities = graph_view_->communities;
  }
  for (uint32_t node : order) {
    if (node < community_.size()) view->community_of[UserId{nodes_.IdOf(node)}] = community_[node];
  }
  graph_view_ = std::move(view);
}

void Engine::ApplyUser(const model::UserSnapshot& u) {
  if (!u.id.valid()) return;
  EventTime observed = TimeOrNow(u.observed);
  if (observed > counters_.end()) AdvanceTo(observed);
  auto it = users_.find(u.id);
  if (it != users_.end()) {
    const UserInfo& old = *it->second;
    // The newest observation wins; at equal times the larger follower count, so that the outcome
    // does not depend on arrival order.
    if (old.observed > observed) return;
    if (old.observed == observed && old.followers >= u.followers) return;
  }
  auto info = std::make_shared<UserInfo>();
  info->user = u.id;
  info->handle = u.handle;
  info->name = u.name;
  info->location = u.location;
  info->followers = u.followers;
  info->following = u.following;
  info->posts_reported = u.posts;
  info->verified = u.verified;
  info->created = u.created;
  info->observed = observed;
  info->country = u.country;
  if (auto w = withheld_users_.find(u.id); w != withheld_users_.end())
    info->withheld_in = w->second;
  if (it == users_.end()) {
    users_.emplace(u.id, std::move(info));
  } else {
    it->second = std::move(info);
  }
  dirty_users_.insert(u.id);
}

Engine::PostState& Engine::GetOrCreatePlaceholder(PostId id, UserId author, EventTime time) {
  auto [it, inserted] = posts_.try_emplace(id);
  PostState& p = it->second;
  if (inserted) {
    p.placeholder = true;
    p.record.id = id;
    p.record.author = author;
    p.record.time = time;
    p.record.root = id;
    Attach(p);  // the root of whatever hangs under it until the real post arrives
  } else if (p.placeholder && !p.record.author.valid() && author.valid()) {
    p.record.author = author;
  }
  return p;
}

void Engine::ApplyPost(const model::Post& in) {
  if (!in.id.valid()) return;
  const EventTime time = TimeOrNow(in.time);
  const EventTime observed = in.observed.known() ? in.observed : time;
  if (tombstones_.contains(in.id)) {
    ++stats_.duplicates;  // a deleted post seen again (or its delete came first)
    return;
  }
  auto it = posts_.find(in.id);
  if (it != posts_.end() && !it->second.placeholder) {
    // Seen before: count once, keep the newest platform counters.
    PostState& p = it->second;
    if (!in.observed.known() || in.observed == in.time) ++stats_.duplicates;
    if (in.counters.likes >= 0) ObserveLikes(p, observed, in.counters.likes);
    if (in.counters.reshares > p.record.reported_reshares) {
      p.record.reported_reshares = in.counters.reshares;
      dirty_posts_.insert(in.id);
    }
    return;
  }

  const bool was_placeholder = it != posts_.end();
  if (was_placeholder) DetachSubtree(in.id);
  PostState& p = was_placeholder ? it->second : posts_.try_emplace(in.id).first->second;
  p.placeholder = false;
  PostRecord& r = p.record;
  r.id = in.id;
  r.platform = in.platform;
  r.kind = in.kind;
  r.author = in.author;
  r.time = time;
  r.text = in.text;
  r.lang = in.lang;
  r.parent = InCascade(in.kind) ? in.parent : PostId{};
  r.in_reply_to = in.in_reply_to;
  r.country_code = in.place ? in.place->country_code : std::string();
  r.reported_reshares = in.counters.reshares;
  p.parent_author = in.parent_author;
  p.declared_parent = r.parent;
  p.parent_exact = in.parent_exact || in.kind == model::PostKind::kQuote;
  r.parent_method = ParentMethod::kNone;
  p.in_reply_to_user = in.in_reply_to_user;
  p.country = MakeCountryKey(in.country);
  if (in.country_source == model::GeoSource::kPlace ||
      in.country_source == model::GeoSource::kCoordinates) {
    auto scrubbed = scrubbed_up_to_.find(in.author);
    if (scrubbed != scrubbed_up_to_.end() && in.id <= scrubbed->second) {
      // Its location was scrubbed before it arrived: only the profile may locate it.
      auto u = users_.find(in.author);
      p.country = u == users_.end() ? CountryKey{0} : MakeCountryKey(u->second->country);
      r.country_code.clear();
      ++stats_.geo_scrubbed_posts;
    } else {
      geo_posts_[in.author].push_back(in.id);
    }
  }
  p.has_sentiment = in.has_sentiment;
  p.sentiment = in.sentiment;
  p.terms = in.terms;
  p.topics.clear();
  for (const std::string& tag : in.hashtags) {
    std::string topic = tag;
    for (char& c : topic) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (!topic.empty() && std::find(p.topics.begin(), p.topics.end(), topic) == p.topics.end()) {
      p.topics.push_back(std::move(topic));
    }
  }

  Credit(p.own, Contribution{in.author, Metric::kPosts, time, 1});
  conversation_.AddPost(Facts(p), +1);
  if (in.counters.likes >= 0) ObserveLikes(p, observed, in.counters.likes);

  // Mentions: not for reshares (their text is the original's), and not the user a reply answers
  // (the platform prefixes that handle; the reply itself is credited).
  if (in.kind != model::PostKind::kReshare) {
    absl::flat_hash_set<UserId> mentioned;
    for (const model::Mention& m : in.mentions) {
      if (!m.user.valid() || m.user == in.author || m.user == in.in_reply_to_user) continue;
      if (mentioned.insert(m.user).second) {
        Credit(p.engagement, Contribution{m.user, Metric::kMentions, time, 1, 0, in.author});
      }
    }
  }
  if (in.in_reply_to.valid() && in.in_reply_to_user.valid() && in.in_reply_to_user != in.author) {
    Contribution c{in.in_reply_to_user, Metric::kReplies, time, 1, 0, in.author};
    counters_.Apply(c, +1);
    GraphEdge(c.from, c.user, +1);
    p.reply_credit = c;
    ReplyEngagement(p, +1);
    reply_children_[in.in_reply_to].push_back(in.id);
  }
  if (InCascade(in.kind) && in.parent.valid()) {
    if (!tombstones_.contains(in.parent)) {
      GetOrCreatePlaceholder(in.parent, in.parent_author, time);
      // A post id reaches this point once (later copies return above), so no duplicate check.
      PlaceInCascade(p);
    }
  }
  if (!was_placeholder) ++stats_.posts;
  AttachSubtree(in.id);
  if (r.parent_method != ParentMethod::kNone) AdoptLaterReshares(p);
  dirty_posts_.insert(in.id);
}

void Engine::ObserveLikes(PostState& p, EventTime observed, int64_t likes) {
  // The platform's like counter, observed at several times, is credited to the author as a
  // staircase: each observation above all earlier ones credits the increase at its time. Points
  // that do not raise the staircase are dropped; the result is the same in any arrival order.
  auto& steps = p.like_steps;
  auto pos = std::lower_bound(steps.begin(), steps.end(), observed,
                              [](const auto& s, EventTime t) { return s.first < t; });
  int64_t before = pos == steps.begin() ? 0 : std::prev(pos)->second;
  if (pos != steps.end() && pos->first == observed) before = std::max(before, pos->second);
  if (likes <= before) return;
  // Reverse the credit of the steps from pos on, change the staircase, credit them again.
  const UserId author = p.record.author;
  int64_t prev = pos == steps.begin() ? 0 : std::prev(pos)->second;
  for (auto s = pos; s != steps.end(); ++s) {
    counters_.Apply(Contribution{author, Metric::kLikes, s->first, s->second - prev}, -1);
    prev = s->second;
  }
  size_t index = static_cast<size_t>(pos - steps.begin());
  if (pos != steps.end() && pos->first == observed) {
    pos->second = likes;
  } else {
    steps.insert(pos, {observed, likes});
  }
  // Later points no higher than the new one no longer raise the staircase.
  auto keep_end = std::remove_if(steps.begin() + static_cast<std::ptrdiff_t>(index) + 1,
                                 steps.end(), [likes](const auto& s) { return s.second <= likes; });
  steps.erase(keep_end, steps.end());
  prev = index == 0 ? 0 : steps[index - 1].second;
  for (size_t i = index; i < steps.size(); ++i) {
    counters_.Apply(Contribution{author, Metric::kLikes, steps[i].first, steps[i].second - prev},
                    +1);
    prev = steps[i].second;
  }
  p.record.reported_likes = steps.back().second;
  dirty_posts_.insert(p.record.id);
}

void Engine::Attach(PostState& p) {
  PostRecord& r = p.record;
  // A placeholder is the root of what hangs under it until the real post arrives.
  if (!InCascade(r.kind) || p.placeholder) {
    r.root = r.id;
    r.depth = 0;
  } else {
    auto parent_it = posts_.find(r.parent);
    if (parent_it == posts_.end() || !parent_it->second.attached) {
      // The parent was deleted (or is itself outside any cascade): a quote has content of its own
      // and roots a new cascade; a reshare of deleted content counts nowhere.
      if (r.kind == model::PostKind::kQuote) {
        r.root = r.id;
        r.depth = 0;
      } else {
        r.root = PostId{};
        r.depth = 0;
        p.attached = false;
        return;
      }
    } else {
      const PostState& parent = parent_it->second;
      r.root = parent.record.root;
      r.depth = parent.record.depth + 1;
    }
  }
  p.attached = true;
  CascadeState& c = cascades_[r.root];
  if (r.root == r.id) {
    c.author = r.author;
    c.started = r.time;
    if (r.author.valid()) user_roots_[r.author].insert(r.id);
  }
  if (c.level_counts.size() <= static_cast<size_t>(r.depth)) c.level_counts.resize(r.depth + 1, 0);
  ++c.level_counts[r.depth];
  ++c.size;
  c.last_activity = std::max(c.last_activity, r.time);
  dirty_cascades_.insert(r.root);
  if (r.depth == 0) return;

  // Credit: the direct parent's author for the reshare or quote, the root's author for depth.
  auto parent_it = posts_.find(r.parent);
  UserId parent_author = parent_it->second.record.author;
  if (!parent_author.valid() && r.parent == p.declared_parent) parent_author = p.parent_author;
  if (parent_author != r.author) {
    Metric m = r.kind == model::PostKind::kReshare ? Metric::kReshares : Metric::kQuotes;
    Credit(p.engagement, Contribution{parent_author, m, r.time, 1, 0, r.author, r.parent});
    if (parent_author.valid()) {
      PostFacts target = Facts(parent_it->second);
      target.author = parent_author;
      conversation_.AddEngagement(Facts(p), target, r.kind == model::PostKind::kQuote, +1);
      audience_sets_.Add(Facts(p), target, +1);
      p.conv_engaged = true;
      p.conv_target = parent_author;
    }
  }
  if (c.author.valid()) {
    Credit(p.engagement, Contribution{c.author, Metric::kDepth, r.time, 1, r.depth});
  }
}

void Engine::Detach(PostState& p) {
  PostRecord& r = p.record;
  // Keep mention credit (it does not depend on the cascade); reverse the rest.
  std::vector<Contribution> keep;
  std::vector<Contribution> undo;
  for (const Contribution& c : p.engagement) {
    (c.metric == Metric::kMentions ? keep : undo).push_back(c);
  }
  Reverse(undo);
  p.engagement = std::move(keep);
  if (p.conv_engaged) {
    CascadeEngagement(p, -1);
    p.conv_engaged = false;
  }
  if (!p.attached) return;
  p.attached = false;
  auto it = cascades_.find(r.root);
  if (it != cascades_.end()) {
    CascadeState& c = it->second;
    --c.level_counts[r.depth];
    --c.size;
    while (!c.level_counts.empty() && c.level_counts.back() == 0) c.level_counts.pop_back();
    if (r.root == r.id || c.size == 0) {
      if (auto roots = user_roots_.find(c.author); roots != user_roots_.end()) {
        roots->second.erase(r.root);
        if (roots->second.empty()) user_roots_.erase(roots);
      }
      cascades_.erase(it);
      deleted_cascades_.push_back(r.root);
      dirty_cascades_.erase(r.root);
    } else {
      dirty_cascades_.insert(r.root);
    }
  }
  r.root = PostId{};
  dirty_posts_.insert(r.id);
}

void Engine::AttachSubtree(PostId id) {
  std::vector<PostId> stack{id};
  absl::flat_hash_set<PostId> seen;  // malformed data may name parents in a cycle
  while (!stack.empty()) {
    PostId cur = stack.back();
    stack.pop_back();
    if (!seen.insert(cur).second) continue;
    auto it = posts_.find(cur);
    if (it == posts_.end()) continue;
    Attach(it->second);
    dirty_posts_.insert(cur);
    if (auto ch = cascade_children_.find(cur); ch != cascade_children_.end()) {
      stack.insert(stack.end(), ch->second.begin(), ch->second.end());
    }
  }
}

void Engine::DetachSubtree(PostId id) {
  // Children first, so that a root's cascade entry goes last.
  std::vector<PostId> order{id};
  absl::flat_hash_set<PostId> seen{id};  // malformed data may name parents in a cycle
  for (size_t i = 0; i < order.size(); ++i) {
    if (auto ch = cascade_children_.find(order[i]); ch != cascade_children_.end()) {
      for (PostId c : ch->second) {
        if (seen.insert(c).second) order.push_back(c);
      }
    }
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    auto p = posts_.find(*it);
    if (p != posts_.end()) Detach(p->second);
  }
}

void Engine::RemoveChild(PostId parent, PostId child) {
  auto it = cascade_children_.find(parent);
  if (it == cascade_children_.end()) return;
  auto& v = it->second;
  v.erase(std::remove(v.begin(), v.end(), child), v.end());
  if (v.empty()) cascade_children_.erase(it);
}

void Engine::ApplyLike(const model::Like& like) {
  if (!like.post.valid() || tombstones_.contains(like.post)) return;
  if (!likes_seen_.insert({like.user, like.post}).second) {
    ++stats_.duplicates;
    return;
  }
  UserId author = like.post_author;
  if (auto it = posts_.find(like.post); it != posts_.end() && it->second.record.author.valid()) {
    author = it->second.record.author;
  }
  if (author == like.user) return;
  Credit(received_likes_[like.post],
         Contribution{author, Metric::kLikes, TimeOrNow(like.time), 1, 0, like.user});
  if (auto post = posts_.find(like.post); post != posts_.end()) {  // the liker, for the planner
    PostFacts liker{.author = like.user, .time = TimeOrNow(like.time)};
    if (auto u = users_.find(like.user); u != users_.end()) {
      liker.country = MakeCountryKey(u->second->country);
    }
    PostFacts target = Facts(post->second);
    target.author = author;
    audience_sets_.Add(liker, target, +1);
  }
}

void Engine::ApplyDelete(const model::Delete& del) {
  if (!del.post.valid()) return;
  if (del.time.known()) AdvanceTo(del.time);
  if (!tombstones_.insert(del.post).second) return;  // deleted before
  withheld_posts_.erase(del.post);
  if (auto likes = received_likes_.find(del.post); likes != received_likes_.end()) {
    Reverse(likes->second);
    received_likes_.erase(likes);
  }
  if (auto replies = reply_children_.find(del.post); replies != reply_children_.end()) {
    for (PostId reply : replies->second) {
      auto r = posts_.find(reply);
      if (r != posts_.end() && r->second.reply_credit) {
        ReplyEngagement(r->second, -1);
        counters_.Apply(*r->second.reply_credit, -1);
        GraphEdge(r->second.reply_credit->from, r->second.reply_credit->user, -1);
        r->second.reply_credit.reset();
      }
    }
    reply_children_.erase(replies);
  }
  auto it = posts_.find(del.post);
  if (it == posts_.end()) {
    ++stats_.deletes_pending;
    return;
  }
  PostState& p = it->second;
  const bool was_real = !p.placeholder;
  DetachSubtree(del.post);
  Reverse(p.own);
  Reverse(p.engagement);  // the mention credit Detach keeps
  if (was_real) conversation_.AddPost(Facts(p), -1);
  if (p.reply_credit) {
    ReplyEngagement(p, -1);
    counters_.Apply(*p.reply_credit, -1);
    GraphEdge(p.reply_credit->from, p.reply_credit->user, -1);
    p.reply_credit.reset();
  }
  int64_t prev_likes = 0;
  for (const auto& [t, likes] : p.like_steps) {
    counters_.Apply(Contribution{p.record.author, Metric::kLikes, t, likes - prev_likes}, -1);
    prev_likes = likes;
  }
  if (p.record.parent.valid()) RemoveChild(p.record.parent, del.post);
  RemoveAdopter(p);
  adopters_.erase(del.post);
  if (p.record.in_reply_to.valid()) {
    if (auto rc = reply_children_.find(p.record.in_reply_to); rc != reply_children_.end()) {
      auto& v = rc->second;
      v.erase(std::remove(v.begin(), v.end(), del.post), v.end());
      if (v.empty()) reply_children_.erase(rc);
    }
  }
  // What hung under the deleted post is placed again: quotes become roots, reshares drop out.
  std::vector<PostId> children;
  if (auto ch = cascade_children_.find(del.post); ch != cascade_children_.end()) {
    children = std::move(ch->second);
    cascade_children_.erase(ch);
  }
  posts_.erase(it);
  // Earliest first, so that a child re-placed under an earlier sibling finds it attached.
  auto time_of = [this](PostId id) {
    auto found = posts_.find(id);
    return found == posts_.end() ? EventTime{} : found->second.record.time;
  };
  std::sort(children.begin(), children.end(), [&](PostId a, PostId b) {
    const EventTime ta = time_of(a);
    const EventTime tb = time_of(b);
    return ta != tb ? ta < tb : a < b;
  });
  for (PostId child : children) ReplaceInferredParent(child);
  if (!was_real) return;
  ++stats_.deletes_applied;
  --stats_.posts;
  deleted_posts_.push_back(del.post);
  dirty_posts_.erase(del.post);
}

void Engine::CascadeEngagement(PostState& p, int sign) {
  auto parent_it = posts_.find(p.record.parent);
  if (parent_it == posts_.end()) return;
  PostFacts target = Facts(parent_it->second);
  target.author = p.conv_target;
  conversation_.AddEngagement(Facts(p), target, p.record.kind == model::PostKind::kQuote, sign);
  audience_sets_.Add(Facts(p), target, sign);
}

void Engine::Relocate(PostState& p, CountryKey country) {
  if (p.country == country) return;
  const bool real = !p.placeholder;
  const bool engaged = p.conv_engaged;
  const bool replied = p.conv_replied;
  if (real) conversation_.AddPost(Facts(p), -1);
  if (engaged) CascadeEngagement(p, -1);
  if (replied) ReplyEngagement(p, -1);
  p.country = country;
  if (replied) ReplyEngagement(p, +1);
  if (engaged) CascadeEngagement(p, +1);
  if (real) conversation_.AddPost(Facts(p), +1);
}

void Engine::ApplyScrubGeo(const model::ScrubGeo& s) {
  if (!s.user.valid() || !s.up_to.valid()) return;
  if (s.time.known()) AdvanceTo(s.time);
  PostId& up_to = scrubbed_up_to_[s.user];
  up_to = std::max(up_to, s.up_to);
  auto list = geo_posts_.find(s.user);
  if (list == geo_posts_.end()) return;
  auto u = users_.find(s.user);
  const CountryKey profile = u == users_.end() ? CountryKey{0} : MakeCountryKey(u->second->country);
  std::vector<PostId>& ids = list->second;
  size_t kept = 0;
  for (PostId id : ids) {
    if (id > s.up_to) {
      ids[kept++] = id;
      continue;
    }
    auto it = posts_.find(id);
    if (it == posts_.end() || it->second.placeholder) continue;  // deleted since
    Relocate(it->second, profile);
    if (!it->second.record.country_code.empty()) {
      it->second.record.country_code.clear();
      dirty_posts_.insert(id);
    }
    ++stats_.geo_scrubbed_posts;
  }
  ids.resize(kept);
  if (ids.empty()) geo_posts_.erase(list);
}

void Engine::ApplyWithheld(const model::Withheld& w) {
  if (w.time.known()) AdvanceTo(w.time);
  if (w.post.valid()) {
    if (tombstones_.contains(w.post)) return;  // deleted: nothing left to withhold
    withheld_posts_[w.post] = w.countries;
    return;
  }
  if (!w.user.valid()) return;
  withheld_users_[w.user] = w.countries;
  if (auto u = users_.find(w.user); u != users_.end()) {
    auto info = std::make_shared<UserInfo>(*u->second);
    info->withheld_in = w.countries;
    u->second = std::move(info);
    dirty_users_.insert(w.user);
  }
}

const std::vector<std::string>* Engine::WithheldIn(PostId post) const {
  auto it = withheld_posts_.find(post);
  return it == withheld_posts_.end() ? nullptr : &it->second;
}

std::shared_ptr<const Snapshot> Engine::Publish() {
  auto snap = std::make_shared<Snapshot>();
  snap->sequence = ++sequence_;
  snap->as_of = counters_.end();
  snap->published = wall_clock_.Now();
  snap->weights = options_.weights;
  RefreshGraph(snap->published);
  RefreshAudience(snap->published);
  force_refresh_ = false;
  snap->graph = graph_view_;
  const std::vector<double> ranks = ranked_ ? pagerank_.Scores() : std::vector<double>();
  const double rank_scale = static_cast<double>(ranks.size());
  for (Window w : kAllWindows) {
    WindowBoard& board = snap->boards[static_cast<int>(w)];
    board.window = w;
    board.rows.reserve(counters_.users_in(w));
    counters_.ForEach(w, [&](UserId user, const UserMetrics& m) {
      InfluencerRow row;
      row.user = user;
      row.metrics = m;
      if (auto node = nodes_.Find(user.value)) {
        if (*node < ranks.size()) row.pagerank = ranks[*node] * rank_scale;
        if (*node < community_.size()) row.community = community_[*node];
      }
      if (auto u = users_.find(user); u != users_.end()) {
        row.handle = u->second->handle;
        row.name = u->second->name;
        row.country = u->second->country;
        row.followers = u->second->followers;
        snap->users.try_emplace(user, u->second);
      } else {
        row.followers = -1;
      }
      board.rows.push_back(std::move(row));
    });
    // A missing follower count scores as zero but is reported as unknown (-1).
    std::vector<int64_t> reported(board.rows.size());
    for (size_t i = 0; i < board.rows.size(); ++i) {
      reported[i] = board.rows[i].followers;
      board.rows[i].followers = std::max<int64_t>(0, board.rows[i].followers);
    }
    absl::flat_hash_map<UserId, int64_t> unknown;
    for (size_t i = 0; i < board.rows.size(); ++i) {
      if (reported[i] < 0) unknown[board.rows[i].user] = reported[i];
    }
    ScoreAndRank(options_.weights, board.rows);
    board.index.reserve(board.rows.size());
    for (size_t i = 0; i < board.rows.size(); ++i) {
      if (unknown.contains(board.rows[i].user)) board.rows[i].followers = -1;
      board.index.emplace(board.rows[i].user, static_cast<uint32_t>(i));
    }
  }
  conversation_.Fill(*snap);
  snap->stats = stats();
  std::shared_ptr<const Snapshot> result = std::move(snap);
  {
    std::lock_guard<std::mutex> lock(snapshot_mu_);
    snapshot_ = result;
  }
  return result;
}

std::shared_ptr<const Snapshot> Engine::current() const {
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  return snapshot_;
}

EngineStats Engine::stats() const {
  EngineStats s = stats_;
  s.users = static_cast<int64_t>(users_.size());
  s.cascades = static_cast<int64_t>(cascades_.size());
  s.withheld_posts = static_cast<int64_t>(withheld_posts_.size());
  s.withheld_users = static_cast<int64_t>(withheld_users_.size());
  s.alerts = conversation_.alerts_total();
  s.watermark = counters_.end();
  return s;
}

std::optional<PostRecord> Engine::FindPost(PostId id) const {
  auto it = posts_.find(id);
  if (it == posts_.end() || it->second.placeholder) return std::nullopt;
  return it->second.record;
}

std::optional<CascadeSummary> Engine::FindCascade(PostId root) const {
  auto it = cascades_.find(root);
  if (it == cascades_.end()) return std::nullopt;
  const CascadeState& c = it->second;
  CascadeSummary s;
  s.root = root;
  s.author = c.author;
  s.size = c.size;
  s.depth = c.level_counts.empty() ? 0 : static_cast<int32_t>(c.level_counts.size()) - 1;
  s.max_breadth =
      c.level_counts.empty() ? 0 : *std::max_element(c.level_counts.begin(), c.level_counts.end());
  s.started = c.started;
  s.last_activity = c.last_activity;
  return s;
}

void Engine::StageChanges() {
  // In the order a store applies one batch (StoreBatchBuilder): post upserts, post deletes, cascade
  // upserts, cascade deletes.
  for (UserId id : dirty_users_) {
    if (auto it = users_.find(id); it != users_.end()) staged_.UpsertUser(*it->second);
  }
  for (PostId id : dirty_posts_) {
    if (auto p = FindPost(id)) staged_.UpsertPost(std::move(*p));
  }
  for (PostId id : deleted_posts_) staged_.DeletePost(id);
  for (PostId root : dirty_cascades_) {
    if (auto c = FindCascade(root)) staged_.UpsertCascade(*c);
  }
  // A cascade removed and rebuilt since the last slice (a placeholder root replaced by the real
  // post) is an update, not a delete.
  for (PostId root : deleted_cascades_) {
    if (!cascades_.contains(root)) staged_.DeleteCascade(root);
  }
  dirty_users_.clear();
  dirty_posts_.clear();
  dirty_cascades_.clear();
  deleted_posts_.clear();
  deleted_cascades_.clear();
}

StoreBatch Engine::TakeBatch(std::shared_ptr<const Snapshot> scores) {
  StageChanges();
  StoreBatch b = staged_.Take();
  b.as_of = counters_.end();
  b.flushed_at = wall_clock_.Now();
  b.scores = std::move(scores);
  b.stats = stats();
  return b;
}

}  // namespace reach::engine
