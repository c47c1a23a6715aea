#include "ingest/ingest_stats.h"

namespace reach::ingest {

void IngestStats::CountControl(std::string_view kind) {
  for (size_t i = 0; i < kControlKinds.size(); ++i) {
    if (kControlKinds[i] == kind) {
      control[i].fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
}

void IngestStats::CountLimit(uint64_t track) {
  const uint64_t last = last_limit_track.load(std::memory_order_relaxed);
  undelivered.fetch_add(track >= last ? track - last : track, std::memory_order_relaxed);
  last_limit_track.store(track, std::memory_order_relaxed);
}

uint64_t IngestStats::total_rejected() const {
  uint64_t total = 0;
  for (const auto& r : rejected) total += r.load(std::memory_order_relaxed);
  return total;
}

}  // namespace reach::ingest
