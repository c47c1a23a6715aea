// World: the simulated population — users with a home place, a profile location, a topic of
// interest, a language, a verified flag and an account age — and the follow graph between them.
//
// The graph is a Chung-Lu style random graph with communities: every user follows about
// `follow_degree` accounts (1 + an exponential number), each chosen in proportion to a Pareto
// distributed popularity, from the user's home place with probability `geo_affinity`, from the
// users sharing the user's topic with probability `topic_affinity`, else from everyone. Follower
// counts are therefore heavy-tailed (power-law tail with exponent `popularity_exponent`) and the
// graph has geographic and topical communities. It is stored once, compactly, as followers per
// user (CSR, uint32 ids, each list sorted ascending): about 4 bytes per edge plus ~40 bytes per
// user, so 1M users with 30M edges take ~170 MB. Building it costs O(users + edges) time.
//
// Users are indices 0..size()-1. Names, handles and DIDs are derived from (seed, index) on demand.
// Immutable after Build(); every const method is safe to call from any thread.
#ifndef REACH_SIM_WORLD_H_
#define REACH_SIM_WORLD_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/ids.h"
#include "common/status.h"
#include "common/time.h"
#include "sim/random.h"
#include "sim/vocabulary.h"

namespace reach::sim {

struct WorldOptions {
  uint64_t seed = 1;
  uint64_t users = 10'000;
  double follow_degree = 30;         // mean number of accounts a user follows (before dedup)
  double popularity_exponent = 1.3;  // tail exponent of the Pareto popularity
  double geo_affinity = 0.35;        // share of follows chosen within the user's home place
  double topic_affinity = 0.35;      // share of follows chosen within the user's topic
  double empty_location_share = 0.2;
  double joke_location_share = 0.05;
  int64_t start_time_s = 1'672'531'200;  // accounts are created before this time
};

// A small fixed buffer for names computed on demand.
struct NameBuffer {
  char data[96];
};

class World {
 public:
  // User index u has the Twitter-style numeric id kUserIdBase + u.
  static constexpr uint64_t kUserIdBase = 1'000'000;

  // Fails with InvalidArgument naming the option when users is outside [2, 2^31), follow_degree
  // outside [1, 100000], popularity_exponent outside [0.5, 10] or a share outside [0, 1].
  static absl::StatusOr<std::unique_ptr<World>> Build(const WorldOptions& options);

  [[nodiscard]] uint32_t size() const { return static_cast<uint32_t>(topic_.size()); }
  [[nodiscard]] uint64_t edge_count() const { return follower_ids_.size(); }
  [[nodiscard]] uint64_t seed() const { return options_.seed; }
  [[nodiscard]] const WorldOptions& options() const { return options_; }

  // The users who follow u, ascending.
  [[nodiscard]] std::span<const uint32_t> Followers(uint32_t u) const {
    return {follower_ids_.data() + follower_offsets_[u],
            follower_ids_.data() + follower_offsets_[u + 1]};
  }
  [[nodiscard]] uint32_t FollowerCount(uint32_t u) const {
    return static_cast<uint32_t>(follower_offsets_[u + 1] - follower_offsets_[u]);
  }
  [[nodiscard]] uint32_t FollowingCount(uint32_t u) const { return following_count_[u]; }
  // True when `follower` follows `followee` (binary search, O(log followers)).
  [[nodiscard]] bool Follows(uint32_t follower, uint32_t followee) const;

  [[nodiscard]] UserId TwitterId(uint32_t u) const { return UserId(kUserIdBase + u); }
  [[nodiscard]] uint8_t Topic(uint32_t u) const { return topic_[u]; }
  // The user's real home place (index into Locations()); every user has one.
  [[nodiscard]] const Location& Home(uint32_t u) const { return Locations()[home_[u]]; }
  [[nodiscard]] uint16_t HomeIndex(uint32_t u) const { return home_[u]; }
  // What the profile says: the home place's text, a joke, or empty.
  [[nodiscard]] std::string_view ProfileLocation(uint32_t u) const;
  // True when the profile location names the home place (place and coordinates may be shown).
  [[nodiscard]] bool LocatesHome(uint32_t u) const { return (flags_[u] & kFlagShowsHome) != 0; }
  [[nodiscard]] std::string_view Lang(uint32_t u) const;
  [[nodiscard]] bool Verified(uint32_t u) const { return (flags_[u] & kFlagVerified) != 0; }
  [[nodiscard]] EventTime Created(uint32_t u) const;
  // Posts made before the simulation starts (statuses_count before the first simulated post).
  [[nodiscard]] uint32_t PriorPosts(uint32_t u) const;

  // "Maria Silva"
  std::string_view DisplayName(uint32_t u, NameBuffer& buf) const;
  // "maria_silva3f2": unique, ASCII, [a-z0-9_].
  std::string_view ScreenName(uint32_t u, NameBuffer& buf) const;
  // "did:plc:" followed by 24 base32 characters; unique per user.
  std::string_view Did(uint32_t u, NameBuffer& buf) const;

  // A user chosen in proportion to posting activity (Pareto distributed).
  [[nodiscard]] uint32_t SampleAuthor(Rng& rng) const { return activity_.Sample(rng); }
  // A user chosen in proportion to popularity (who gets mentioned).
  [[nodiscard]] uint32_t SamplePopular(Rng& rng) const { return popularity_.Sample(rng); }

 private:
  static constexpr uint8_t kFlagVerified = 1;
  static constexpr uint8_t kFlagShowsHome = 2;
  static constexpr uint8_t kFlagJoke = 4;

  explicit World(const WorldOptions& options) : options_(options) {}
  [[nodiscard]] uint64_t UserHash(uint32_t u) const;

  WorldOptions options_;
  std::vector<uint8_t> topic_;
  std::vector<uint16_t> home_;
  std::vector<uint8_t> flags_;
  std::vector<uint32_t> following_count_;
  std::vector<uint64_t> follower_offsets_;  // size() + 1
  std::vector<uint32_t> follower_ids_;
  AliasTable activity_;
  AliasTable popularity_;
};

}  // namespace reach::sim

#endif  // REACH_SIM_WORLD_H_
