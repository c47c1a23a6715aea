#include "sim/generator.h"

#include <algorithm>
#include <cmath>

namespace reach::sim {

namespace {
constexpr int64_t kTwitterEpochMs = 1'288'834'974'657;
}  // namespace

uint64_t TwitterPostId(uint64_t seq, int64_t time_us) {
  const auto ms = static_cast<uint64_t>(time_us / 1000 - kTwitterEpochMs);
  return (ms << 22) | (seq & 0x3fffff);
}

uint64_t TwitterPostId(const PostRef& post) { return TwitterPostId(post.seq, post.time_us); }

Generator::Generator(const World& world, const StreamOptions& options)
    : world_(world),
      options_(options),
      rng_(DeriveSeed(options.seed, kStreamEvents)),
      next_root_us_(options.start_time_s * 1'000'000) {}

PostRef Generator::NewPost(int64_t time_us, uint32_t author, model::PostKind kind, uint32_t depth,
                           uint8_t topic, int8_t sentiment) {
  PostRef ref;
  ref.seq = next_seq_++;
  ref.time_us = time_us;
  ref.text_seed = DeriveSeed(options_.seed, kStreamText, ref.seq);
  ref.author = author;
  ref.depth = depth;
  ref.kind = kind;
  ref.topic = topic;
  ref.sentiment = sentiment;
  stats_.max_depth = std::max(stats_.max_depth, depth);
  switch (kind) {
    case model::PostKind::kOriginal:
      ++stats_.originals;
      break;
    case model::PostKind::kReshare:
      ++stats_.reshares;
      break;
    case model::PostKind::kQuote:
      ++stats_.quotes;
      break;
    case model::PostKind::kReply:
      ++stats_.replies;
      break;
  }
  return ref;
}

int8_t Generator::SampleSentiment(uint32_t author) {
  // Each author leans a little positive or negative.
  const uint64_t h = DeriveSeed(options_.seed, kStreamUser, author);
  const double lean = static_cast<double>((h >> 24) % 31) / 100.0 - 0.15;
  const double r = rng_.Uniform();
  if (r < 0.35 + lean) return 1;
  if (r < 0.60 + lean / 2) return -1;
  return 0;
}

bool Generator::Next(SimEvent* event) {
  while (stats_.posts() < options_.posts) {
    if (pending_.empty() || next_root_us_ <= pending_.top().time_us) {
      const int64_t now = next_root_us_;
      const double gap_us = rng_.Exponential(1e6 / options_.root_rate);
      next_root_us_ += std::max<int64_t>(1, static_cast<int64_t>(gap_us));
      StartCascade(now, event);
      return true;
    }
    const Pending p = pending_.top();
    pending_.pop();
    bool emitted = false;
    React(p, event, &emitted);
    if (--cascades_[p.cascade].pending == 0) Release(p.cascade);
    if (emitted) return true;
  }
  return false;
}

void Generator::StartCascade(int64_t time_us, SimEvent* event) {
  uint32_t id;
  if (!free_cascades_.empty()) {
    id = free_cascades_.back();
    free_cascades_.pop_back();
  } else {
    id = static_cast<uint32_t>(cascades_.size());
    cascades_.emplace_back();
  }
  ++open_cascades_;
  stats_.peak_open_cascades = std::max(stats_.peak_open_cascades, open_cascades_);
  Cascade& c = cascades_[id];
  c.appeal = options_.model.SampleAppeal(rng_);
  const uint32_t author = world_.SampleAuthor(rng_);
  const uint8_t own_topic = world_.Topic(author);
  const auto topic =
      rng_.Bernoulli(0.75) ? own_topic : static_cast<uint8_t>(rng_.Below(Topics().size()));
  Node root;
  root.ref =
      NewPost(time_us, author, model::PostKind::kOriginal, 0, topic, SampleSentiment(author));
  root.subject = 0;
  c.nodes.push_back(root);
  c.adopted.insert(author);

  event->type = SimEvent::Type::kPost;
  SimPost& out = event->post;
  out.post = root.ref;
  out.root = root.ref;
  out.has_parent = false;
  out.has_subject_quoted = false;
  out.parent = PostRef();
  out.subject = PostRef();
  out.subject_quoted = PostRef();

  Expose(id, 0);
  if (c.pending == 0) Release(id);
}

void Generator::React(const Pending& p, SimEvent* event, bool* emitted) {
  Cascade& c = cascades_[p.cascade];
  const uint32_t subject = c.nodes[p.node].subject;
  switch (p.action) {
    case Action::kLike: {
      Node& s = c.nodes[subject];
      ++s.ref.likes;
      ++stats_.likes;
      event->type = SimEvent::Type::kLike;
      SimLike& like = event->like;
      like.seq = next_like_seq_++;
      like.time_us = p.time_us;
      like.user = p.user;
      like.post = s.ref;
      like.has_via = c.nodes[p.node].ref.kind == model::PostKind::kReshare;
      like.via = like.has_via ? c.nodes[p.node].ref : PostRef();
      *emitted = true;
      return;
    }
    case Action::kReply: {
      Node& s = c.nodes[subject];
      ++s.ref.replies;
      event->type = SimEvent::Type::kPost;
      SimPost& out = event->post;
      out.post = NewPost(p.time_us, p.user, model::PostKind::kReply, s.ref.depth + 1, s.ref.topic,
                         SampleSentiment(p.user));
      out.parent = s.ref;
      out.subject = s.ref;
      out.has_parent = true;
      out.has_subject_quoted = s.quoted != kNone;
      out.subject_quoted = out.has_subject_quoted ? c.nodes[s.quoted].ref : PostRef();
      out.root = c.nodes[0].ref;
      *emitted = true;
      return;
    }
    case Action::kAdopt:
      break;
  }
  if (!c.adopted.insert(p.user).second) {
    ++stats_.dropped_adoptions;
    return;
  }
  const bool quote = rng_.Bernoulli(options_.quote_share);
  Node n;
  n.parent = p.node;
  const auto index = static_cast<uint32_t>(c.nodes.size());
  const PostRef& from = c.nodes[p.node].ref;
  if (quote) {
    n.subject = index;
    n.quoted = subject;
    n.ref = NewPost(p.time_us, p.user, model::PostKind::kQuote, from.depth + 1,
                    c.nodes[subject].ref.topic, SampleSentiment(p.user));
    n.ref.has_quoted = true;
    n.ref.quoted_author = c.nodes[subject].ref.author;
    n.ref.quoted_seq = c.nodes[subject].ref.seq;
    n.ref.quoted_time_us = c.nodes[subject].ref.time_us;
    ++c.nodes[subject].ref.quotes;
  } else {
    n.subject = subject;
    const PostRef& s = c.nodes[subject].ref;
    n.ref =
        NewPost(p.time_us, p.user, model::PostKind::kReshare, from.depth + 1, s.topic, s.sentiment);
    ++c.nodes[subject].ref.reshares;
  }
  c.nodes.push_back(n);

  event->type = SimEvent::Type::kPost;
  SimPost& out = event->post;
  const Node& shown = c.nodes[subject];
  out.post = n.ref;
  out.parent = c.nodes[p.node].ref;
  out.subject = shown.ref;
  out.has_parent = true;
  out.has_subject_quoted = shown.quoted != kNone;
  out.subject_quoted = out.has_subject_quoted ? c.nodes[shown.quoted].ref : PostRef();
  out.root = c.nodes[0].ref;
  *emitted = true;
  Expose(p.cascade, index);
}

void Generator::Expose(uint32_t cascade, uint32_t node) {
  Cascade& c = cascades_[cascade];
  const PostRef& ref = c.nodes[node].ref;
  const double adopt = options_.model.AdoptProbability(c.appeal);
  const double reply = options_.reply_prob;
  const double like = options_.like_prob;
  const double sum = adopt + reply + like;
  const double q = std::min(1.0, sum);
  if (q <= 0) return;
  const auto followers = world_.Followers(ref.author);
  const double delay_mean_us = options_.reaction_delay_s * 1e6;
  for (uint64_t i = rng_.GeometricSkip(q); i < followers.size(); i += 1 + rng_.GeometricSkip(q)) {
    const uint32_t v = followers[i];
    // Given that something happens (probability q), which: adopt, reply or like.
    const double x = rng_.Uniform() * (sum <= 1.0 ? sum : 1.0);
    const Action action = x < adopt           ? Action::kAdopt
                          : x < adopt + reply ? Action::kReply
                                              : Action::kLike;
    if (action == Action::kAdopt && c.adopted.contains(v)) continue;
    const double delay = std::max(1e6, rng_.Exponential(delay_mean_us));
    pending_.push(Pending{ref.time_us + static_cast<int64_t>(delay), next_order_++, cascade, node,
                          v, action});
    ++c.pending;
  }
  stats_.peak_pending = std::max<uint64_t>(stats_.peak_pending, pending_.size());
}

void Generator::Release(uint32_t cascade) {
  Cascade& c = cascades_[cascade];
  c.nodes.clear();
  c.adopted.clear();
  c.pending = 0;
  free_cascades_.push_back(cascade);
  --open_cascades_;
}

}  // namespace reach::sim
