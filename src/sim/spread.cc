#include "sim/spread.h"

namespace reach::sim {

uint64_t SimulateSpread(const World& world, const CascadeModel& model, uint32_t user, double appeal,
                        Rng& rng, std::vector<uint32_t>& stamp, uint32_t* epoch,
                        std::vector<uint32_t>& frontier) {
  if (++*epoch == 0) {  // wrapped: start the stamps over
    std::fill(stamp.begin(), stamp.end(), 0);
    *epoch = 1;
  }
  const uint32_t mark = *epoch;
  const double p = model.AdoptProbability(appeal);
  if (p <= 0) return 0;
  frontier.clear();
  frontier.push_back(user);
  stamp[user] = mark;
  uint64_t adopted = 0;
  while (!frontier.empty()) {
    const uint32_t a = frontier.back();
    frontier.pop_back();
    const auto followers = world.Followers(a);
    for (uint64_t i = rng.GeometricSkip(p); i < followers.size(); i += 1 + rng.GeometricSkip(p)) {
      const uint32_t v = followers[i];
      if (stamp[v] == mark) continue;
      stamp[v] = mark;
      ++adopted;
      frontier.push_back(v);
    }
  }
  return adopted;
}

std::vector<double> ExpectedSpread(const World& world, const CascadeModel& model, uint64_t runs,
                                   uint64_t seed, const std::atomic<bool>* stop) {
  std::vector<double> spread;
  if (runs == 0) return spread;
  const uint32_t n = world.size();
  spread.resize(n);
  std::vector<uint32_t> stamp(n, 0);
  std::vector<uint32_t> frontier;
  uint32_t epoch = 0;
  for (uint32_t u = 0; u < n; ++u) {
    if (stop != nullptr && stop->load(std::memory_order_relaxed)) return {};
    Rng rng(DeriveSeed(seed, kStreamMonteCarlo, u));
    uint64_t total = 0;
    for (uint64_t r = 0; r < runs; ++r) {
      total +=
          SimulateSpread(world, model, u, model.SampleAppeal(rng), rng, stamp, &epoch, frontier);
    }
    spread[u] = static_cast<double>(total) / static_cast<double>(runs);
  }
  return spread;
}

}  // namespace reach::sim
