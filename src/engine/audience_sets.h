// AudienceSets: who engaged with each author — the people behind every reshare, quote, reply and
// like the engine credits — kept per author as the most recent `per_author` engagements, each with
// its time, the engager's country and the engaged post's topics and sentiment. It is the observed
// audience the budget planner (src/planner) draws on: who an influencer's posts reach, from where,
// on which topics.
//
// The engine calls Add from its single writer thread with the same facts it gives
// ConversationState::AddEngagement (sign -1 when a delete withdraws an engagement, which removes
// the matching entry if it is still kept). Entries are ordered by event time, so which ones are
// kept does not depend on arrival order as long as no author overflows its bound.
//
// Thread safety: none; owned by the engine's writer thread and read there (QueryChannel questions).
// Memory: at most per_author entries (about 48 bytes each) per author with engagements.
// Cost: Add is O(1) amortized for in-order events, O(per_author) for a late or withdrawn one.
#ifndef REACH_ENGINE_AUDIENCE_SETS_H_
#define REACH_ENGINE_AUDIENCE_SETS_H_

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/ids.h"
#include "common/time.h"
#include "engine/conversation_state.h"

namespace reach::engine {

class AudienceSets {
 public:
  static constexpr size_t kDefaultPerAuthor = 512;
  static constexpr size_t kTopicsPerEntry = 4;  // the engaged post's first hashtags

  struct Entry {
    UserId engager;
    EventTime time;
    PostId target;               // the engaged post (0 when unknown)
    CountryKey country = 0;      // the engager's (its post's, else its profile's); 0 unknown
    bool has_sentiment = false;  // of the engaged post
    float sentiment = 0;
    std::array<uint32_t, kTopicsPerEntry> topics{};  // TopicId + 1 of the engaged post; 0 = none
  };

  explicit AudienceSets(size_t per_author = kDefaultPerAuthor) : per_author_(per_author) {}

  // An engagement by engager.author with target.author (sign +1), or its withdrawal (-1).
  void Add(const PostFacts& engager, const PostFacts& target, int sign);

  // The kept engagements with `author`, oldest first; null when none.
  [[nodiscard]] const std::deque<Entry>* Of(UserId author) const;
  // The id of a case-folded topic as stored in Entry::topics (already +1); nullopt if never seen.
  [[nodiscard]] std::optional<uint32_t> Topic(std::string_view topic) const;
  [[nodiscard]] size_t authors() const { return by_author_.size(); }
  [[nodiscard]] size_t entries() const { return entries_; }

 private:
  size_t per_author_;
  size_t entries_ = 0;
  absl::flat_hash_map<UserId, std::deque<Entry>> by_author_;
  absl::flat_hash_map<std::string, uint32_t> topic_ids_;  // topic -> id + 1
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_AUDIENCE_SETS_H_
