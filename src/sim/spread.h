// The cascade model shared by the event generator and the ground truth, and ExpectedSpread, the
// Monte Carlo estimate of each user's expected spread under it.
//
// Model: the independent cascade model (Kempe, Kleinberg and Tardos, KDD 2003). Each original post
// draws an appeal a (log-normal with mean 1 before capping, the given sigma, capped at max_appeal);
// every account that
// adopts the post (its author, then each resharer or quoter) gives each of its followers one chance
// to adopt it, succeeding with probability min(1, reshare_prob * a). An account adopts a post at
// most once. A user's expected spread is the expected number of accounts other than the user
// that adopt a post the user writes.
//
// ExpectedSpread costs O(runs * users * (mean spread + 1)) time, one visit stamp per user of
// memory, and is deterministic for a given seed. Thread-safe (no shared mutable state).
#ifndef REACH_SIM_SPREAD_H_
#define REACH_SIM_SPREAD_H_

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/random.h"
#include "sim/world.h"

namespace reach::sim {

//
// A cascade's reproduction number is about reshare_prob * a * (mean follower count); above 1 a
// cascade reaches a sizable share of the whole graph, so max_appeal bounds how viral a post can be.
struct CascadeModel {
  double reshare_prob = 0.01;
  double appeal_sigma = 0.7;
  double max_appeal = 3.0;

  [[nodiscard]] double SampleAppeal(Rng& rng) const {
    if (appeal_sigma <= 0) return 1.0;
    const double a = std::exp(appeal_sigma * rng.Normal() - 0.5 * appeal_sigma * appeal_sigma);
    return std::min(a, max_appeal);
  }
  [[nodiscard]] double AdoptProbability(double appeal) const {
    return std::min(1.0, reshare_prob * appeal);
  }
};

// Per user u, the mean over `runs` simulated cascades started by u of the number of other
// accounts that adopt. Returns an empty vector when runs == 0 or when *stop becomes true.
std::vector<double> ExpectedSpread(const World& world, const CascadeModel& model, uint64_t runs,
                                   uint64_t seed, const std::atomic<bool>* stop = nullptr);

// One simulated cascade from `user` with the given appeal: the number of adopters other than the
// user. `stamp` must hold world.size() entries and `*epoch` a value not yet used in it.
uint64_t SimulateSpread(const World& world, const CascadeModel& model, uint32_t user, double appeal,
                        Rng& rng, std::vector<uint32_t>& stamp, uint32_t* epoch,
                        std::vector<uint32_t>& frontier);

}  // namespace reach::sim

#endif  // REACH_SIM_SPREAD_H_
