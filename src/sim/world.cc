#include "sim/world.h"

#include <algorithm>
#include <cmath>

#include "fmt/format.h"

namespace reach::sim {
namespace {

constexpr int64_t kEarliestAccount = 1'167'609'600;  // 2007-01-01
constexpr char kBase32[] = "abcdefghijklmnopqrstuvwxyz234567";
constexpr char kBase36[] = "0123456789abcdefghijklmnopqrstuvwxyz";

// Appends the lower-case ASCII letters of s, at most `max` of them.
char* AppendLower(char* out, std::string_view s, size_t max) {
  size_t n = 0;
  for (char c : s) {
    if (n == max) break;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c >= 'a' && c <= 'z') {
      *out++ = c;
      ++n;
    }
  }
  return out;
}

// Users grouped by a key (home place, topic) with a popularity sampler per group.
struct Groups {
  std::vector<uint32_t> members;  // users, grouped by key
  std::vector<uint32_t> offsets;  // key -> first index in members
  std::vector<AliasTable> samplers;

  template <class KeyFn>
  void Build(uint32_t n, uint32_t keys, KeyFn key, const std::vector<double>& weight) {
    offsets.assign(keys + 1, 0);
    for (uint32_t u = 0; u < n; ++u) ++offsets[key(u) + 1];
    for (uint32_t k = 0; k < keys; ++k) offsets[k + 1] += offsets[k];
    members.resize(n);
    std::vector<uint32_t> cursor(offsets.begin(), offsets.end() - 1);
    for (uint32_t u = 0; u < n; ++u) members[cursor[key(u)]++] = u;
    samplers.resize(keys);
    std::vector<double> w;
    for (uint32_t k = 0; k < keys; ++k) {
      if (offsets[k] == offsets[k + 1]) continue;
      w.clear();
      for (uint32_t i = offsets[k]; i < offsets[k + 1]; ++i) w.push_back(weight[members[i]]);
      samplers[k] = AliasTable(w);
    }
  }
  uint32_t Sample(uint32_t key, Rng& rng) const {
    return members[offsets[key] + samplers[key].Sample(rng)];
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<World>> World::Build(const WorldOptions& o) {
  if (o.users < 2 || o.users >= (1ULL << 31)) {
    return absl::InvalidArgumentError(
        fmt::format("users: must be between 2 and 2147483647 (got {})", o.users));
  }
  if (!(o.follow_degree >= 1 && o.follow_degree <= 100'000)) {
    return absl::InvalidArgumentError(
        fmt::format("follow_degree: must be between 1 and 100000 (got {})", o.follow_degree));
  }
  if (!(o.popularity_exponent >= 0.5 && o.popularity_exponent <= 10)) {
    return absl::InvalidArgumentError(fmt::format(
        "popularity_exponent: must be between 0.5 and 10 (got {})", o.popularity_exponent));
  }
  auto share = [](double v) { return v >= 0 && v <= 1; };
  if (!share(o.geo_affinity) || !share(o.topic_affinity) ||
      !share(o.geo_affinity + o.topic_affinity)) {
    return absl::InvalidArgumentError(fmt::format(
        "geo_affinity, topic_affinity: each and their sum must be in [0, 1] (got {} and {})",
        o.geo_affinity, o.topic_affinity));
  }
  if (!share(o.empty_location_share) || !share(o.joke_location_share) ||
      !share(o.empty_location_share + o.joke_location_share)) {
    return absl::InvalidArgumentError(
        "empty_location_share, joke_location_share: each and their sum must be in [0, 1]");
  }

  std::unique_ptr<World> world(new World(o));
  World& w = *world;
  const auto n = static_cast<uint32_t>(o.users);
  const auto locations = Locations();
  const auto topics = static_cast<uint32_t>(Topics().size());

  // Attributes and weights.
  std::vector<double> location_weight;
  for (const Location& l : locations) location_weight.push_back(l.weight);
  const AliasTable location_sampler(location_weight);
  std::vector<double> popularity(n);
  std::vector<double> activity(n);
  w.topic_.resize(n);
  w.home_.resize(n);
  w.flags_.assign(n, 0);
  Rng rng(DeriveSeed(o.seed, kStreamWorld));
  for (uint32_t u = 0; u < n; ++u) {
    w.home_[u] = static_cast<uint16_t>(location_sampler.Sample(rng));
    w.topic_[u] = static_cast<uint8_t>(rng.Below(topics));
    popularity[u] = std::min(rng.Pareto(1.0, o.popularity_exponent), 1e12);
    activity[u] = std::min(rng.Pareto(1.0, 1.8), 1000.0);
    const double r = rng.Uniform();
    if (r < o.joke_location_share) {
      w.flags_[u] |= kFlagJoke;
    } else if (r >= o.joke_location_share + o.empty_location_share) {
      w.flags_[u] |= kFlagShowsHome;
    }
  }
  w.activity_ = AliasTable(activity);
  w.popularity_ = AliasTable(popularity);
  Groups by_home;
  by_home.Build(
      n, static_cast<uint32_t>(locations.size()), [&](uint32_t u) { return w.home_[u]; },
      popularity);
  Groups by_topic;
  by_topic.Build(
      n, topics, [&](uint32_t u) { return w.topic_[u]; }, popularity);

  // The accounts u follows, sorted, without u and without repeats. Deterministic per (seed, u),
  // so the two passes below see the same lists.
  std::vector<uint32_t> targets;
  auto follows_of = [&](uint32_t u) {
    Rng r(DeriveSeed(o.seed, kStreamFollow, u));
    const double want = 1.0 + std::floor(r.Exponential(o.follow_degree - 1.0 + 1e-9));
    const uint64_t degree = static_cast<uint64_t>(std::min(want, static_cast<double>(n - 1)));
    targets.clear();
    // Repeats are dropped and topped up, a few rounds at most (small groups may run out).
    for (int round = 0; round < 4 && targets.size() < degree; ++round) {
      for (uint64_t i = targets.size(); i < degree; ++i) {
        const double mode = r.Uniform();
        uint32_t v;
        if (mode < o.geo_affinity) {
          v = by_home.Sample(w.home_[u], r);
        } else if (mode < o.geo_affinity + o.topic_affinity) {
          v = by_topic.Sample(w.topic_[u], r);
        } else {
          v = w.popularity_.Sample(r);
        }
        if (v != u) targets.push_back(v);
      }
      std::sort(targets.begin(), targets.end());
      targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
    }
  };

  w.following_count_.resize(n);
  w.follower_offsets_.assign(static_cast<size_t>(n) + 1, 0);
  for (uint32_t u = 0; u < n; ++u) {
    follows_of(u);
    w.following_count_[u] = static_cast<uint32_t>(targets.size());
    for (uint32_t v : targets) ++w.follower_offsets_[v + 1];
  }
  for (uint32_t v = 0; v < n; ++v) w.follower_offsets_[v + 1] += w.follower_offsets_[v];
  w.follower_ids_.resize(w.follower_offsets_[n]);
  {
    std::vector<uint64_t> cursor(w.follower_offsets_.begin(), w.follower_offsets_.end() - 1);
    // Followers are appended in increasing u, so every list comes out sorted.
    for (uint32_t u = 0; u < n; ++u) {
      follows_of(u);
      for (uint32_t v : targets) w.follower_ids_[cursor[v]++] = u;
    }
  }

  // Verified: the most-followed 0.1 % and a few others at random.
  std::vector<uint32_t> counts(n);
  for (uint32_t u = 0; u < n; ++u) counts[u] = w.FollowerCount(u);
  const size_t top = std::max<size_t>(1, n / 1000);
  std::nth_element(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(top - 1),
                   counts.end(), std::greater<>());
  const uint32_t threshold = std::max<uint32_t>(counts[top - 1], 1);
  for (uint32_t u = 0; u < n; ++u) {
    if (w.FollowerCount(u) >= threshold || ((w.UserHash(u) >> 40) & 0xfff) < 2) {
      w.flags_[u] |= kFlagVerified;
    }
  }
  return world;
}

bool World::Follows(uint32_t follower, uint32_t followee) const {
  const auto f = Followers(followee);
  return std::binary_search(f.begin(), f.end(), follower);
}

uint64_t World::UserHash(uint32_t u) const { return DeriveSeed(options_.seed, kStreamUser, u); }

std::string_view World::ProfileLocation(uint32_t u) const {
  if ((flags_[u] & kFlagShowsHome) != 0) return Home(u).text;
  if ((flags_[u] & kFlagJoke) != 0) {
    const auto jokes = JokeLocations();
    return jokes[(UserHash(u) >> 52) % jokes.size()];
  }
  return {};
}

std::string_view World::Lang(uint32_t u) const {
  const std::string_view home = Home(u).lang;
  return ((UserHash(u) >> 32) & 0xff) % 100 < 70 ? home : std::string_view("en");
}

EventTime World::Created(uint32_t u) const {
  const int64_t latest = options_.start_time_s - 86'400;
  const int64_t span = std::max<int64_t>(latest - kEarliestAccount, 1);
  const uint64_t h = SplitMix64(UserHash(u) ^ 0x5eedULL);
  return EventTime::FromSeconds(kEarliestAccount + static_cast<int64_t>(h % span));
}

uint32_t World::PriorPosts(uint32_t u) const {
  Rng r(UserHash(u) ^ 0x9057ULL);
  return static_cast<uint32_t>(std::min(r.Pareto(20.0, 1.1), 500'000.0));
}

std::string_view World::DisplayName(uint32_t u, NameBuffer& buf) const {
  const uint64_t h = UserHash(u);
  const auto first = FirstNames()[(h & 0xffff) % FirstNames().size()];
  const auto last = LastNames()[((h >> 16) & 0xffff) % LastNames().size()];
  char* p = buf.data;
  p = std::copy(first.begin(), first.end(), p);
  *p++ = ' ';
  p = std::copy(last.begin(), last.end(), p);
  return {buf.data, static_cast<size_t>(p - buf.data)};
}

std::string_view World::ScreenName(uint32_t u, NameBuffer& buf) const {
  const uint64_t h = UserHash(u);
  char* p = buf.data;
  p = AppendLower(p, FirstNames()[(h & 0xffff) % FirstNames().size()], 6);
  p = AppendLower(p, LastNames()[((h >> 16) & 0xffff) % LastNames().size()], 5);
  // The index in base 36 makes the name unique.
  char digits[16];
  int k = 0;
  uint32_t x = u;
  do {
    digits[k++] = kBase36[x % 36];
    x /= 36;
  } while (x != 0);
  while (k > 0) *p++ = digits[--k];
  return {buf.data, static_cast<size_t>(p - buf.data)};
}

std::string_view World::Did(uint32_t u, NameBuffer& buf) const {
  constexpr std::string_view kPrefix = "did:plc:";
  char* p = std::copy(kPrefix.begin(), kPrefix.end(), buf.data);
  uint64_t a = DeriveSeed(options_.seed, kStreamDid, u);
  uint64_t b = SplitMix64(a);
  for (int i = 0; i < 12; ++i, a >>= 5) *p++ = kBase32[a & 31];
  for (int i = 0; i < 12; ++i, b >>= 5) *p++ = kBase32[b & 31];
  return {buf.data, static_cast<size_t>(p - buf.data)};
}

}  // namespace reach::sim
