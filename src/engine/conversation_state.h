// ConversationState: the engine's conversation and geography state — trending topics (hashtags) per
// window with Space-Saving heavy hitters, topic spikes, volume and sentiment series, posts and
// engagements per country, each influencer's audience geography, and the sentiment of and toward
// each account.
//
// The engine calls it from its single writer thread with each post it counts (and with -1 when a
// delete withdraws the post) and with each engagement (reshare, quote, reply, like) it credits; at
// publish it fills the conversation parts of the snapshot. Arrival-order independence follows the
// engine's: everything is keyed by event time.
//
// Thread safety: none; owned by the engine's writer thread.
// Cost: a post costs O(hashtags) map updates per window; Fill is O(keys in the windows).
#ifndef REACH_ENGINE_CONVERSATION_STATE_H_
#define REACH_ENGINE_CONVERSATION_STATE_H_

#include <array>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analytics/sliding_top_k.h"
#include "analytics/space_saving.h"
#include "analytics/spike_detector.h"
#include "engine/snapshot.h"
#include "engine/windowed_map.h"

namespace reach::engine {

// What the conversation state needs to know of a post.
struct PostFacts {
  PostId id;
  UserId author;
  EventTime time;
  CountryKey country = 0;
  bool has_sentiment = false;
  float sentiment = 0;
  const std::vector<std::string>* topics = nullptr;  // case-folded hashtags, distinct
  const std::vector<std::string>* terms = nullptr;   // words of the text (trending terms)
};

class ConversationState {
 public:
  ConversationState();

  // The post itself: topic volume, country, sentiment of its author, series. sign = -1 undoes.
  void AddPost(const PostFacts& post, int sign);
  // An engagement made by `engager` (its author, country, sentiment) with `target` (its author and
  // topics): audience geography, engagements per country, sentiment toward the target's author
  // (quotes and replies only: with_sentiment), topic influencers and top posts.
  void AddEngagement(const PostFacts& engager, const PostFacts& target, bool with_sentiment,
                     int sign);
  void AdvanceTo(EventTime t);

  // Fills every board's conversation, audience and row sentiment, and the alerts.
  void Fill(Snapshot& snapshot) const;

  [[nodiscard]] int64_t alerts_total() const { return alerts_total_; }

  // Engagements (reshares, quotes, replies) in the window on each author's posts carrying the
  // topic (case-folded, without '#'), for any topic ever seen, leading or not; nullopt for a topic
  // never engaged with. Cost: O(topic-author pairs in the window).
  [[nodiscard]] std::optional<std::vector<std::pair<UserId, int64_t>>> TopicEngagement(
      std::string_view topic, Window w) const;

 private:
  struct AudienceKey {
    UserId user;
    CountryKey country = 0;
    friend bool operator==(const AudienceKey&, const AudienceKey&) = default;
    template <class H>
    friend H AbslHashValue(H h, const AudienceKey& k) {
      return H::combine(std::move(h), k.user, k.country);
    }
  };
  struct TopicUserKey {
    uint32_t topic = 0;
    uint64_t id = 0;  // a user id or a post id
    friend bool operator==(const TopicUserKey&, const TopicUserKey&) = default;
    template <class H>
    friend H AbslHashValue(H h, const TopicUserKey& k) {
      return H::combine(std::move(h), k.topic, k.id);
    }
  };
  struct Count {
    int64_t n = 0;
    Count& operator+=(const Count& o) {
      n += o.n;
      return *this;
    }
    Count& operator-=(const Count& o) {
      n -= o.n;
      return *this;
    }
    [[nodiscard]] bool empty() const { return n == 0; }
  };
  struct GeoAgg {
    int64_t posts = 0;
    int64_t engagements = 0;
    CountSum sentiment;
    GeoAgg& operator+=(const GeoAgg& o) {
      posts += o.posts;
      engagements += o.engagements;
      sentiment += o.sentiment;
      return *this;
    }
    GeoAgg& operator-=(const GeoAgg& o) {
      posts -= o.posts;
      engagements -= o.engagements;
      sentiment -= o.sentiment;
      return *this;
    }
    [[nodiscard]] bool empty() const { return posts == 0 && engagements == 0 && sentiment.empty(); }
  };
  struct SeriesAcc {
    int64_t posts = 0;
    CountSum sentiment;
  };

  uint32_t TopicId(const std::string& topic);
  void AddSeries(EventTime t, const PostFacts& post, int sign);
  void FillConversation(Window w, WindowBoard& board, const Snapshot& snapshot) const;

  // Topics: exact sliding windows over Space-Saving buckets; all time: one Space-Saving summary.
  std::array<std::optional<analytics::SlidingTopK>, 3> topics_;
  std::optional<analytics::SpaceSaving> topics_all_;
  std::array<std::optional<analytics::SlidingTopK>, 3> terms_;
  std::optional<analytics::SpaceSaving> terms_all_;
  std::optional<analytics::SpikeDetector> spikes_;
  std::deque<TopicAlert> alerts_;
  int64_t alerts_total_ = 0;

  absl::flat_hash_map<std::string, uint32_t> topic_ids_;
  std::vector<std::string> topic_names_;

  WindowedMap<uint8_t, GeoAgg> overall_;  // one key: every post
  WindowedMap<CountryKey, GeoAgg> geo_;
  WindowedMap<AudienceKey, Count> audience_;
  WindowedMap<UserId, CountSum> sentiment_of_;
  WindowedMap<UserId, CountSum> sentiment_toward_;
  WindowedMap<TopicUserKey, Count> topic_users_;
  WindowedMap<TopicUserKey, Count> topic_posts_;
  // All-post series: by minute for the last 24 hours, by day for all time.
  std::map<int64_t, SeriesAcc> minutes_;
  std::map<int64_t, SeriesAcc> days_;
  EventTime end_;
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_CONVERSATION_STATE_H_
