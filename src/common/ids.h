// Strong identifier types: a UserId cannot be passed where a PostId is expected.
//
// Ids are 64-bit. Platforms with numeric ids (Twitter/X, Mastodon per instance) use the number;
// others (Bluesky DIDs and at:// URIs) use StableHash64 of the text, which is the same on every run
// and host. Value types, freely copyable, safe to share between threads.
#ifndef REACH_COMMON_IDS_H_
#define REACH_COMMON_IDS_H_

#include <compare>
#include <cstdint>
#include <functional>

namespace reach {

template <class Tag>
struct StrongId {
  uint64_t value = 0;

  constexpr StrongId() = default;
  constexpr explicit StrongId(uint64_t v) : value(v) {}
  [[nodiscard]] constexpr bool valid() const { return value != 0; }
  friend constexpr auto operator<=>(StrongId, StrongId) = default;
  template <class H>
  friend H AbslHashValue(H h, StrongId id) {
    return H::combine(std::move(h), id.value);
  }
};

struct UserIdTag {};
struct PostIdTag {};

// An account on any platform. 0 means "unknown".
using UserId = StrongId<UserIdTag>;
// A post (original, reshare, quote or reply) on any platform. 0 means "unknown".
using PostId = StrongId<PostIdTag>;

}  // namespace reach

template <class Tag>
struct std::hash<reach::StrongId<Tag>> {
  size_t operator()(reach::StrongId<Tag> id) const noexcept {
    return std::hash<uint64_t>{}(id.value);
  }
};

#endif  // REACH_COMMON_IDS_H_
