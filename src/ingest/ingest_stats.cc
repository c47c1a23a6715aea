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

uint64_t IngestStats::total_rejected() const {
  uint64_t total = 0;
  for (const auto& r : rejected) total += r.load(std::memory_order_relaxed);
  return total;
}

}  // namespace reach::ingest
