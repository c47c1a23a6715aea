// The engine_state table's key/value encoding, shared by every backend: what a flush records about
// the engine (its counters, watermark, the scores' as-of time and weights) and how a reader gets it
// back. Values are decimal text (integers, or doubles in shortest round-trip form), so a BI tool
// can read them too.
//
// Keys written on every flush:
//   as_of_us, flushed_at_us, stats.events_applied, stats.posts, stats.users, stats.duplicates,
//   stats.deletes_applied, stats.deletes_pending, stats.cascades, stats.watermark_us
// and, when the flush carries scores:
//   scores.as_of_us, scores.published_us, scores.sequence, weights.reshares, weights.likes,
//   weights.followers, weights.depth, weights.pagerank, weights.audience
//
// Pure functions over values; thread-safe. Decoding never fails: unknown keys are ignored and a
// malformed value leaves its field at the default.
#ifndef REACH_STORE_ENGINE_STATE_H_
#define REACH_STORE_ENGINE_STATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/time.h"
#include "engine/snapshot.h"
#include "engine/store_batch.h"

namespace reach::store {

struct StateEntry {
  std::string key;
  std::string value;

  friend bool operator==(const StateEntry&, const StateEntry&) = default;
};

// What a reader can learn from engine_state.
struct StoredEngineState {
  engine::EngineStats stats;
  EventTime as_of;       // engine watermark at the newest flush
  EventTime flushed_at;  // wall clock of the newest flush
  bool has_scores = false;
  EventTime scores_as_of;  // watermark of the snapshot the scores table holds
  EventTime scores_published;
  uint64_t scores_sequence = 0;
  engine::ScoreWeights weights;
};

// The rows to upsert for one batch (see the key list above).
std::vector<StateEntry> EncodeEngineState(const engine::StoreBatch& batch);

// Reads rows back; missing keys keep their defaults.
StoredEngineState DecodeEngineState(const std::vector<StateEntry>& rows);

}  // namespace reach::store

#endif  // REACH_STORE_ENGINE_STATE_H_
