// Rng: the simulator's only source of randomness, a xoshiro256** generator seeded through
// splitmix64 (Blackman and Vigna, "Scrambled linear pseudorandom number generators", 2021), with
// its own uniform, exponential, normal, Pareto and geometric samplers. The standard library's
// distributions are not used: their output differs between library versions, and the simulator
// promises the same bytes for the same seed.
//
//   Rng rng(DeriveSeed(seed, kStreamFollow, user));
//   double x = rng.Uniform();          // [0, 1)
//   uint64_t k = rng.Below(10);        // 0..9
//
// AliasTable samples an index in proportion to fixed weights in O(1) (Vose's alias method).
//
// Value types; not thread-safe (give each thread its own Rng). No allocation after construction.
#ifndef REACH_SIM_RANDOM_H_
#define REACH_SIM_RANDOM_H_

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace reach::sim {

// The high 64 bits of a * b (GCC/Clang 128-bit arithmetic; __extension__ keeps -Wpedantic quiet).
__extension__ typedef unsigned __int128 Uint128;
constexpr uint64_t MulHigh(uint64_t a, uint64_t b) {
  return static_cast<uint64_t>((static_cast<Uint128>(a) * b) >> 64);
}

// One step of splitmix64: a good 64-bit mixer for seeding and hashing.
constexpr uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A seed for an independent stream, from the run's seed, a stream tag and an index (a user, a
// post). Streams keyed this way do not depend on the order in which they are used.
constexpr uint64_t DeriveSeed(uint64_t seed, uint64_t stream, uint64_t index = 0) {
  return SplitMix64(SplitMix64(SplitMix64(seed) ^ stream) + index);
}

// Stream tags for DeriveSeed: one per independent use of randomness.
enum Stream : uint64_t {
  kStreamUser = 1,    // a user's attributes
  kStreamWorld,       // popularity, activity, homes, topics
  kStreamFollow,      // a user's follow edges
  kStreamDid,         // a user's DID
  kStreamEvents,      // the event stream
  kStreamText,        // a post's text
  kStreamMonteCarlo,  // expected-spread estimation, per user
};

class Rng {
 public:
  explicit Rng(uint64_t seed) { Seed(seed); }

  void Seed(uint64_t seed) {
    for (int i = 0; i < 4; ++i) s_[i] = SplitMix64(seed + 0x9e3779b97f4a7c15ULL * i);
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;
  }

  // 64 uniformly random bits.
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 bits of precision.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe to take the logarithm of.
  double UniformOpen() { return static_cast<double>((Next() >> 11) + 1) * 0x1.0p-53; }
  // Uniform integer in [0, n); n > 0. Lemire's multiply-shift (bias below 2^-64 * n).
  uint64_t Below(uint64_t n) { return MulHigh(Next(), n); }
  bool Bernoulli(double p) { return Uniform() < p; }
  // Exponential with the given mean.
  double Exponential(double mean) { return -mean * std::log(UniformOpen()); }
  // Standard normal (Box-Muller; one value per call, the pair's second value is dropped).
  double Normal() {
    const double r = std::sqrt(-2.0 * std::log(UniformOpen()));
    return r * std::cos(6.283185307179586 * Uniform());
  }
  // Pareto (type I) with minimum x_min and tail exponent alpha: P(X > x) = (x_min / x)^alpha.
  double Pareto(double x_min, double alpha) {
    return x_min * std::pow(UniformOpen(), -1.0 / alpha);
  }
  // Number of failures before the first success of Bernoulli(p) trials; p in (0, 1].
  // Used to skip over the followers that do not react, in O(reactions) instead of O(followers).
  uint64_t GeometricSkip(double p) {
    if (p >= 1.0) return 0;
    const double k = std::floor(std::log(UniformOpen()) / std::log1p(-p));
    return k >= 1.8e19 ? UINT64_MAX : static_cast<uint64_t>(k);
  }

 private:
  static constexpr uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Samples i with probability weights[i] / sum(weights) in O(1). Weights must be finite and >= 0
// with a positive sum (asserted). Memory: 8 bytes per weight.
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(std::span<const double> weights);

  [[nodiscard]] uint32_t Sample(Rng& rng) const {
    const uint64_t r = rng.Next();
    const auto i = static_cast<uint32_t>(MulHigh(r, size()));
    // The low 32 bits are independent enough of the high bits used for i.
    return static_cast<uint32_t>(r & 0xffffffffu) < threshold_[i] ? i : alias_[i];
  }
  [[nodiscard]] uint32_t size() const { return static_cast<uint32_t>(threshold_.size()); }
  [[nodiscard]] bool empty() const { return threshold_.empty(); }

 private:
  std::vector<uint32_t> threshold_;  // keep i when the low 32 random bits are below this
  std::vector<uint32_t> alias_;
};

}  // namespace reach::sim

#endif  // REACH_SIM_RANDOM_H_
