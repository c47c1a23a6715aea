// Generator: the simulated event stream, in event-time order — original posts, and the reshares,
// quotes, replies and likes they draw as they spread along follow edges.
//
// Originals arrive as a Poisson process (`root_rate` per simulated second), each by an author
// chosen in proportion to activity. Spread follows the cascade model of sim/spread.h in
// continuous time: when an account adopts a post at time t, each follower reacts independently —
// adopts (a reshare, or a quote with probability `quote_share`) with the model's probability,
// else replies with probability `reply_prob`, else likes with probability `like_prob` — after an
// exponential delay (mean `reaction_delay_s`, at least one second). An adoption by an account that
// has already adopted the post is dropped. The true parent of each reshare or quote is the adopter
// whose exposure fired; its author is followed by the resharer by construction.
//
// What a format shows as the parent (the "subject") differs from the true parent: a reshare shows
// the original (or quote) it ultimately repeats, as Twitter's retweeted_status does; a quote shows
// the quoted original; a reply shows the post replied to.
//
// The stream ends after `posts` posts of all kinds (the cascades still open are cut there).
// Memory is bounded by the open cascades (their adopters and pending reactions), not by the stream
// length. Deterministic: the same World and options give the same events.
//
// Not thread-safe; one Generator per thread. The World must outlive it.
#ifndef REACH_SIM_GENERATOR_H_
#define REACH_SIM_GENERATOR_H_

#include <cstdint>
#include <queue>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "model/event.h"
#include "sim/random.h"
#include "sim/spread.h"
#include "sim/world.h"

namespace reach::sim {

struct StreamOptions {
  uint64_t seed = 1;
  uint64_t posts = 100'000;  // posts of every kind; the stream ends there
  CascadeModel model;
  double quote_share = 0.1;   // share of adoptions that are quotes
  double reply_prob = 0.002;  // per exposure
  double like_prob = 0.02;    // per exposure
  double root_rate = 20;      // originals per simulated second
  double reaction_delay_s = 300;
  int64_t start_time_s = 1'672'531'200;  // 2023-01-01T00:00:00Z
};

// A post as it is shown at some moment: enough to name it and to regenerate its text.
struct PostRef {
  uint64_t seq = 0;  // order of creation over all posts, from 0; unique
  int64_t time_us = 0;
  uint64_t text_seed = 0;
  uint32_t author = 0;
  uint32_t depth = 0;  // 0 for originals
  model::PostKind kind = model::PostKind::kOriginal;
  uint8_t topic = 0;
  int8_t sentiment = 0;  // -1, 0, +1
  // Quotes: the quoted post's identity (its Twitter id and at:// URI derive from these).
  bool has_quoted = false;
  uint32_t quoted_author = 0;
  uint64_t quoted_seq = 0;
  int64_t quoted_time_us = 0;
  // The post's counters when shown (zero on the event that creates it).
  uint32_t reshares = 0;
  uint32_t quotes = 0;
  uint32_t replies = 0;
  uint32_t likes = 0;
};

// Twitter-style id of a post: a snowflake of its time in ms and its sequence number, so ids grow
// with time like the platform's.
uint64_t TwitterPostId(const PostRef& post);
uint64_t TwitterPostId(uint64_t seq, int64_t time_us);

struct SimPost {
  PostRef post;
  PostRef parent;          // the true parent (reshares, quotes, replies)
  PostRef subject;         // what the data shows as the parent (see the file comment)
  PostRef subject_quoted;  // when subject is a quote: the post it quotes
  PostRef root;            // the cascade's original
  bool has_parent = false;
  bool has_subject_quoted = false;
};

struct SimLike {
  uint64_t seq = 0;  // order of creation over all likes, from 0
  int64_t time_us = 0;
  uint32_t user = 0;
  PostRef post;  // the liked post: an original or a quote
  PostRef via;   // the reshare through which the user saw it, when has_via
  bool has_via = false;
};

struct SimEvent {
  enum class Type : uint8_t { kPost, kLike };
  Type type = Type::kPost;
  SimPost post;
  SimLike like;
};

struct GeneratorStats {
  uint64_t originals = 0;
  uint64_t reshares = 0;
  uint64_t quotes = 0;
  uint64_t replies = 0;
  uint64_t likes = 0;
  uint64_t dropped_adoptions = 0;  // exposures that fired on an account that had already adopted
  uint32_t max_depth = 0;
  uint64_t peak_pending = 0;  // most reactions waiting at once
  uint64_t peak_open_cascades = 0;
  [[nodiscard]] uint64_t posts() const { return originals + reshares + quotes + replies; }
};

class Generator {
 public:
  Generator(const World& world, const StreamOptions& options);

  // The next event; false once `posts` posts have been produced.
  bool Next(SimEvent* event);

  [[nodiscard]] const GeneratorStats& stats() const { return stats_; }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;

  struct Node {
    PostRef ref;
    uint32_t parent = kNone;   // node index in the cascade
    uint32_t subject = kNone;  // the content node it shows (itself for originals and quotes)
    uint32_t quoted = kNone;   // quotes: the content node quoted
  };
  struct Cascade {
    std::vector<Node> nodes;  // nodes[0] is the original
    absl::flat_hash_set<uint32_t> adopted;
    uint32_t pending = 0;
    double appeal = 1;
  };
  enum class Action : uint8_t { kAdopt, kReply, kLike };
  struct Pending {
    int64_t time_us;
    uint64_t order;  // tie-break: creation order
    uint32_t cascade;
    uint32_t node;  // the exposing node
    uint32_t user;  // who reacts
    Action action;
  };
  struct Later {
    bool operator()(const Pending& a, const Pending& b) const {
      return a.time_us != b.time_us ? a.time_us > b.time_us : a.order > b.order;
    }
  };

  void StartCascade(int64_t time_us, SimEvent* event);
  void React(const Pending& p, SimEvent* event, bool* emitted);
  void Expose(uint32_t cascade, uint32_t node);
  PostRef NewPost(int64_t time_us, uint32_t author, model::PostKind kind, uint32_t depth,
                  uint8_t topic, int8_t sentiment);
  int8_t SampleSentiment(uint32_t author);
  void Release(uint32_t cascade);

  const World& world_;
  StreamOptions options_;
  Rng rng_;
  GeneratorStats stats_;
  uint64_t next_seq_ = 0;
  uint64_t next_like_seq_ = 0;
  uint64_t next_order_ = 0;
  int64_t next_root_us_;
  std::vector<Cascade> cascades_;
  std::vector<uint32_t> free_cascades_;
  uint64_t open_cascades_ = 0;
  std::priority_queue<Pending, std::vector<Pending>, Later> pending_;
};

}  // namespace reach::sim

#endif  // REACH_SIM_GENERATOR_H_
