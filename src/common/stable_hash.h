// A 64-bit hash that is the same on every run, build and host (FNV-1a with a final avalanche mix),
// for deriving ids from text (Bluesky DIDs, at:// URIs) and for partitioning. Not for hash tables:
// use absl::Hash there. Not cryptographic.
#ifndef REACH_COMMON_STABLE_HASH_H_
#define REACH_COMMON_STABLE_HASH_H_

#include <cstdint>
#include <string_view>

namespace reach {

constexpr uint64_t StableHash64(std::string_view s) {
  uint64_t h = 14695981039346656037ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  // splitmix64 finaliser spreads the low-entropy FNV output over all bits.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h == 0 ? 1 : h;  // 0 is reserved for "unknown"
}

}  // namespace reach

#endif  // REACH_COMMON_STABLE_HASH_H_
