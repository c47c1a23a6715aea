#include "store/engine_state.h"

#include <fmt/format.h>

#include "absl/strings/numbers.h"

namespace reach::store {
namespace {

// One integer-valued key: where it lives in the decoded state.
struct IntKey {
  const char* key;
  int64_t* (*field)(StoredEngineState&);
};

constexpr IntKey kStatsKeys[] = {
    {"stats.events_applied", [](StoredEngineState& s) { return &s.stats.events_applied; }},
    {"stats.posts", [](StoredEngineState& s) { return &s.stats.posts; }},
    {"stats.users", [](StoredEngineState& s) { return &s.stats.users; }},
    {"stats.duplicates", [](StoredEngineState& s) { return &s.stats.duplicates; }},
    {"stats.deletes_applied", [](StoredEngineState& s) { return &s.stats.deletes_applied; }},
    {"stats.deletes_pending", [](StoredEngineState& s) { return &s.stats.deletes_pending; }},
    {"stats.cascades", [](StoredEngineState& s) { return &s.stats.cascades; }},
    {"stats.watermark_us", [](StoredEngineState& s) { return &s.stats.watermark.micros; }},
    {"as_of_us", [](StoredEngineState& s) { return &s.as_of.micros; }},
    {"flushed_at_us", [](StoredEngineState& s) { return &s.flushed_at.micros; }},
    {"scores.as_of_us", [](StoredEngineState& s) { return &s.scores_as_of.micros; }},
    {"scores.published_us", [](StoredEngineState& s) { return &s.scores_published.micros; }},
};

struct DoubleKey {
  const char* key;
  double* (*field)(StoredEngineState&);
};

constexpr DoubleKey kWeightKeys[] = {
    {"weights.reshares", [](StoredEngineState& s) { return &s.weights.reshares; }},
    {"weights.likes", [](StoredEngineState& s) { return &s.weights.likes; }},
    {"weights.followers", [](StoredEngineState& s) { return &s.weights.followers; }},
    {"weights.depth", [](StoredEngineState& s) { return &s.weights.depth; }},
    {"weights.pagerank", [](StoredEngineState& s) { return &s.weights.pagerank; }},
    {"weights.audience", [](StoredEngineState& s) { return &s.weights.audience; }},
};

constexpr const char* kScoresSequence = "scores.sequence";

}  // namespace

std::vector<StateEntry> EncodeEngineState(const engine::StoreBatch& batch) {
  const engine::EngineStats& st = batch.stats;
  std::vector<StateEntry> out = {
      {"as_of_us", fmt::format("{}", batch.as_of.micros)},
      {"flushed_at_us", fmt::format("{}", batch.flushed_at.micros)},
      {"stats.events_applied", fmt::format("{}", st.events_applied)},
      {"stats.posts", fmt::format("{}", st.posts)},
      {"stats.users", fmt::format("{}", st.users)},
      {"stats.duplicates", fmt::format("{}", st.duplicates)},
      {"stats.deletes_applied", fmt::format("{}", st.deletes_applied)},
      {"stats.deletes_pending", fmt::format("{}", st.deletes_pending)},
      {"stats.cascades", fmt::format("{}", st.cascades)},
      {"stats.watermark_us", fmt::format("{}", st.watermark.micros)},
  };
  if (batch.scores != nullptr) {
    const engine::Snapshot& snap = *batch.scores;
    out.push_back({"scores.as_of_us", fmt::format("{}", snap.as_of.micros)});
    out.push_back({"scores.published_us", fmt::format("{}", snap.published.micros)});
    out.push_back({kScoresSequence, fmt::format("{}", snap.sequence)});
    out.push_back({"weights.reshares", fmt::format("{}", snap.weights.reshares)});
    out.push_back({"weights.likes", fmt::format("{}", snap.weights.likes)});
    out.push_back({"weights.followers", fmt::format("{}", snap.weights.followers)});
    out.push_back({"weights.depth", fmt::format("{}", snap.weights.depth)});
    out.push_back({"weights.pagerank", fmt::format("{}", snap.weights.pagerank)});
    out.push_back({"weights.audience", fmt::format("{}", snap.weights.audience)});
  }
  return out;
}

StoredEngineState DecodeEngineState(const std::vector<StateEntry>& rows) {
  StoredEngineState state;
  for (const StateEntry& row : rows) {
    if (row.key == "scores.as_of_us") state.has_scores = true;
    bool matched = false;
    for (const IntKey& k : kStatsKeys) {
      if (row.key != k.key) continue;
      int64_t v = 0;
      if (absl::SimpleAtoi(row.value, &v)) *k.field(state) = v;
      matched = true;
      break;
    }
    if (matched) continue;
    for (const DoubleKey& k : kWeightKeys) {
      if (row.key != k.key) continue;
      double v = 0;
      if (absl::SimpleAtod(row.value, &v)) *k.field(state) = v;
      matched = true;
      break;
    }
    if (matched) continue;
    if (row.key == kScoresSequence) {
      uint64_t v = 0;
      if (absl::SimpleAtoi(row.value, &v)) state.scores_sequence = v;
    }
  }
  return state;
}

}  // namespace reach::store
