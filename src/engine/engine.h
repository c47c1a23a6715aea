// Engine: the single-writer state machine that applies normalized events to the analytics state —
// users, posts, cascades and the windowed per-user counters — and publishes immutable snapshots.
//
// Threading: one writer thread calls Apply, AdvanceTo, Publish, StageChanges and TakeBatch. Any
// thread may call current() and read the Snapshot it returns (see snapshot.h); nothing else is
// shared.
//
// Semantics (docs/metrics.md has the full definitions):
// - Event time drives everything. The window end is the newest event time applied (or a later time
//   given to AdvanceTo); results do not depend on the order in which events arrive, so a replay
//   equals the live run.
// - A post id is counted once; a later copy (a retweet embedding an already seen original) only
//   updates the platform counters observed on it.
// - Cascades: a reshare or quote hangs under its parent; originals and replies are roots. The
//   parent is the post the data names when it is exact (a quote, a Bluesky repost `via`, a dataset
//   path: model::Post::parent_exact); else, when follow edges are known (Follow events,
//   AddFollowEdges), the most recent earlier reshare of the same post by an account the resharer
//   follows; else the named post (the original). Each edge records its ParentMethod. A parent not
//   yet seen is held as a placeholder until it arrives. An earlier reshare that arrives late takes
//   over the later reshares it is the better inferred parent of; follow edges apply to the
//   reshares placed after they are known.
// - A deleted post leaves every metric and table: its author's counts, the credit it gave, the
//   credit it received, and its reshares; quotes of it become roots of their own cascades.
//
// Cost: Apply is O(1) expected for an ordinary post; a reshare whose parent is inferred costs
// O(min(earlier reshares of the post, accounts the resharer follows) · log); a delete or a late
// parent is O(subtree).
// Publish is O(n log n) in the users active per window.
#ifndef REACH_ENGINE_ENGINE_H_
#define REACH_ENGINE_ENGINE_H_

#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "analytics/engagement_graph.h"
#include "analytics/node_index.h"
#include "analytics/pagerank.h"
#include "common/clock.h"
#include "engine/audience_sets.h"
#include "engine/cascade_tree.h"
#include "engine/conversation_state.h"
#include "engine/follow_graph.h"
#include "engine/metric.h"
#include "engine/snapshot.h"
#include "engine/store_batch.h"
#include "engine/store_batch_builder.h"
#include "engine/windowed_counters.h"
#include "model/event.h"

namespace reach::engine {

struct EngineOptions {
  ScoreWeights weights;
  // How often (wall clock) Publish re-ranks the engagement graph (incremental PageRank from the
  // previous vector) and recomputes its communities (Louvain).
  Duration pagerank_refresh = Duration::Seconds(2);
  Duration community_refresh = Duration::Seconds(30);
};

class Engine {
 public:
  // `wall_clock` stamps snapshots and batches; it does not move windows (AdvanceTo does).
  Engine(EngineOptions options, const Clock& wall_clock);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Writer thread only.
  void Apply(const model::Event& event);
  // Moves the window end forward to `now` (no effect when `now` is not later than the current end).
  void AdvanceTo(EventTime now);
  // Computes scores for every window and publishes a new snapshot.
  std::shared_ptr<const Snapshot> Publish();
  // Makes the next Publish recompute PageRank and communities from scratch and rebuild stale
  // audiences whatever their refresh intervals: the final snapshot of a run (which the store keeps)
  // then depends only on the events, not on wall-clock timing.
  void ForceRefresh() { force_refresh_ = true; }
  // Whether a Publish at wall time `now` would refresh an analysis (PageRank, communities, stale
  // audiences) that is behind the events applied: the runner publishes then even when no new
  // event came, so an idle source does not leave the last events unranked.
  [[nodiscard]] bool AnalysesDue(EventTime now) const;
  // Everything changed since the previous call, for the store. `scores` (may be null) is attached.
  // Costs the rows changed since the last StageChanges (or TakeBatch).
  StoreBatch TakeBatch(std::shared_ptr<const Snapshot> scores);
  // Copies the rows changed since the last call into the batch the next TakeBatch returns, so that
  // the flush itself costs only the last slice. Called at each publish when a store is attached
  // (without one, staged rows would only grow). The batch taken is the same, row for row, as
  // without staging.
  void StageChanges();
  [[nodiscard]] EngineStats stats() const;
  [[nodiscard]] EventTime watermark() const { return counters_.end(); }

  // Any thread: the newest published snapshot (never null; empty before the first Publish).
  [[nodiscard]] std::shared_ptr<const Snapshot> current() const;

  // Writer thread, for tests and the store: the live post / cascade.
  [[nodiscard]] std::optional<PostRecord> FindPost(PostId id) const;
  // Writer thread: the countries the platform withholds the post in; null when it is not.
  [[nodiscard]] const std::vector<std::string>* WithheldIn(PostId id) const;
  [[nodiscard]] std::optional<CascadeSummary> FindCascade(PostId root) const;
  [[nodiscard]] UserMetrics Metrics(UserId user, Window w) const { return counters_.Get(user, w); }
  // Writer thread (QueryChannel questions): each author's recent engagers, for the planner.
  [[nodiscard]] const AudienceSets& audience_sets() const { return audience_sets_; }
  // Writer thread (e.g. through a QueryChannel): engagements per author on posts carrying `topic`
  // in the window (ConversationState::TopicEngagement).
  [[nodiscard]] std::optional<std::vector<std::pair<UserId, int64_t>>> TopicEngagement(
      std::string_view topic, Window w) const {
    return conversation_.TopicEngagement(topic, w);
  }

  // Writer thread: merges bulk follow edges (follower, followee), e.g. a follower edge list, used
  // to infer the parents of reshares placed from now on.
  void AddFollowEdges(std::vector<std::pair<UserId, UserId>> edges);
  [[nodiscard]] size_t follow_edges() const { return follows_.size(); }
  // Writer thread (through the QueryChannel): the cascade `post` belongs to, with at most
  // node_limit nodes; NotFound when the post is unknown or in no cascade. O(cascade size).
  [[nodiscard]] absl::StatusOr<CascadeReport> Cascade(PostId post, size_t node_limit) const;
  // Writer thread: the user's largest and deepest cascades among those whose root was posted in
  // the window (nodes left empty). O(user's cascades + limit · their sizes).
  [[nodiscard]] UserCascades UserCascadesOf(UserId user, Window w, int limit) const;
  // Writer thread: whether the user was seen (a profile, a post or any credit).
  [[nodiscard]] bool KnowsUser(UserId user) const;

 private:
  struct PostState {
    PostRecord record;
    UserId parent_author;       // as the event said (used when the parent is a placeholder)
    PostId declared_parent;     // the reshared or quoted post the event names
    bool parent_exact = false;  // the event's parent is the very post (never inferred over)
    UserId in_reply_to_user;
    bool placeholder = false;              // known only as the parent of something
    bool attached = false;                 // part of a cascade (roots are attached to their own)
    std::vector<Contribution> own;         // the author's post count
    std::vector<Contribution> engagement;  // credit given: reshare/quote, mentions, depth
    std::optional<Contribution> reply_credit;
    std::vector<std::pair<EventTime, int64_t>> like_steps;  // platform like counter, increasing
    // Conversation facts (derived on ingest) and what of them was counted.
    std::vector<std::string> topics;  // case-folded hashtags, distinct
    std::vector<std::string> terms;   // words of the text, for trending terms
    CountryKey country = 0;
    float sentiment = 0;
    bool has_sentiment = false;
    bool conv_engaged = false;  // counted as an engagement with its cascade parent ...
    UserId conv_target;         // ... whose author was this
    bool conv_replied = false;  // counted as an engagement with the post it replies to
  };

  struct CascadeState {
    UserId author;
    std::vector<int64_t> level_counts;  // nodes per depth level; [0] is the root
    int64_t size = 0;
    EventTime started;
    EventTime last_activity;
  };

  void ApplyPost(const model::Post& post);
  void ApplyUser(const model::UserSnapshot& user);
  void ApplyLike(const model::Like& like);
  void ApplyDelete(const model::Delete& del);
  void ApplyWithheld(const model::Withheld& w);
  void ApplyScrubGeo(const model::ScrubGeo& s);
  // Moves the post to `country`: withdraws what it counted under its old country (its own post,
  // its engagement with its cascade parent, its reply) and counts it again.
  void Relocate(PostState& p, CountryKey country);
  // The engagement of a reshare or quote with its cascade parent, counted (+1) or withdrawn (-1)
  // in the conversation state and the audience sets.
  void CascadeEngagement(PostState& p, int sign);

  void Credit(std::vector<Contribution>& journal, Contribution c);
  // Adds (+1) or removes (-1) one engagement from -> to in the engagement graph.
  void GraphEdge(UserId from, UserId to, int sign);
  // Re-ranks the graph and, when due, its communities (writer thread, from Publish).
  void RefreshGraph(EventTime now);
  [[nodiscard]] bool RankDue(EventTime now) const;
  [[nodiscard]] bool CommunitiesDue(EventTime now) const;
  [[nodiscard]] bool AudienceRebuildDue(EventTime now) const;
  // Rebuilds the audience sketches a withdrawn engagement made stale, from the live engagements
  // (engine_audience.cc); at most every 2 s, or 4 times the last rebuild's duration.
  void RefreshAudience(EventTime now);
  void Reverse(std::vector<Contribution>& journal);
  void ObserveLikes(PostState& post, EventTime observed, int64_t likes);

  // Places a post in its cascade and gives the credit its position implies; then its children.
  void AttachSubtree(PostId id);
  // Undoes AttachSubtree for the post and its descendants.
  void DetachSubtree(PostId id);
  void Attach(PostState& post);
  void Detach(PostState& post);
  void RemoveChild(PostId parent, PostId child);

  static PostFacts Facts(const PostState& p);
  // Counts (sign +1) or withdraws (-1) a reply's engagement with the account it answers.
  void ReplyEngagement(PostState& reply, int sign);

  PostState& GetOrCreatePlaceholder(PostId id, UserId author, EventTime time);

  // Parent inference (engine_cascades.cc). Chooses the cascade parent of a reshare or quote and
  // records it in its record and in cascade_children_.
  void PlaceInCascade(PostState& p);
  // The best parent for `p` among the post it names and that post's earlier reshares.
  std::pair<PostId, ParentMethod> ChooseParent(const PostState& p) const;
  void AddAdopter(const PostState& p);
  void RemoveAdopter(const PostState& p);
  // After `p` arrived: moves later reshares of the same post for which it is now the best inferred
  // parent under it.
  void AdoptLaterReshares(const PostState& p);
  // Re-chooses the parent of the children of a deleted post whose parent was inferred.
  void ReplaceInferredParent(PostId child);
  EventTime TimeOrNow(EventTime t) const { return t.known() ? t : counters_.end(); }

  EngineOptions options_;
  const Clock& wall_clock_;

  absl::flat_hash_map<UserId, std::shared_ptr<const UserInfo>> users_;
  // node_hash_map: PostState references stay valid while placeholders are inserted.
  absl::node_hash_map<PostId, PostState> posts_;
  absl::flat_hash_map<PostId, std::vector<PostId>> cascade_children_;
  absl::flat_hash_map<PostId, std::vector<PostId>> reply_children_;
  absl::flat_hash_map<PostId, CascadeState> cascades_;
  // Reshares of each post (by the post they name), by (time, id): the candidates for inference.
  absl::flat_hash_map<PostId, std::vector<std::pair<EventTime, PostId>>> adopters_;
  // The same by (post reshared, resharer), for inference over the resharer's followees.
  absl::flat_hash_map<std::pair<PostId, UserId>, std::vector<std::pair<EventTime, PostId>>>
      adopters_by_user_;
  // Cascade roots by their author, for UserCascadesOf.
  absl::flat_hash_map<UserId, absl::flat_hash_set<PostId>> user_roots_;
  FollowGraph follows_;
  absl::flat_hash_map<PostId, std::vector<Contribution>> received_likes_;
  absl::flat_hash_set<std::pair<UserId, PostId>> likes_seen_;
  absl::flat_hash_set<PostId> tombstones_;
  // Posts located by their place or coordinates, by author: what a scrub_geo relocates.
  absl::flat_hash_map<UserId, std::vector<PostId>> geo_posts_;
  // The highest post id each scrub_geo named per account: a located post at or below it that
  // arrives later is relocated on arrival.
  absl::flat_hash_map<UserId, PostId> scrubbed_up_to_;
  // Withheld posts and accounts, by the countries they are withheld in.
  absl::flat_hash_map<PostId, std::vector<std::string>> withheld_posts_;
  absl::flat_hash_map<UserId, std::vector<std::string>> withheld_users_;
  WindowedCounters counters_;
  ConversationState conversation_;
  AudienceSets audience_sets_;

  // Changes since the last StageChanges or TakeBatch, and the rows staged since the last
  // TakeBatch.
  absl::flat_hash_set<UserId> dirty_users_;
  absl::flat_hash_set<PostId> dirty_posts_;
  absl::flat_hash_set<PostId> dirty_cascades_;
  std::vector<PostId> deleted_posts_;
  std::vector<PostId> deleted_cascades_;
  StoreBatchBuilder staged_;

  // The all-time engagement graph (engager -> author, weight = engagements) and its analyses.
  analytics::NodeIndex nodes_;
  analytics::EngagementGraph graph_{analytics::EngagementGraph::Options{.record_changes = true}};
  analytics::PageRank pagerank_;
  bool ranked_ = false;
  bool graph_dirty_ = false;
  EventTime last_rank_;
  EventTime last_communities_;
  std::vector<uint32_t> community_;  // per node, from the last Louvain run
  std::shared_ptr<const GraphView> graph_view_;
  bool force_refresh_ = false;
  bool communities_stale_ = false;  // ranked since the last Louvain run
  EventTime audience_rebuilt_;      // wall clock of the last audience rebuild
  Duration audience_rebuild_cost_;

  EngineStats stats_;
  uint64_t sequence_ = 0;

  mutable std::mutex snapshot_mu_;
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_ENGINE_H_
