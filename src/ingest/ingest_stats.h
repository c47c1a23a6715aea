// IngestStats: counters of the ingest path, written by the ingest thread and read by any thread
// (/metrics, progress). Relaxed atomics: each counter is exact, a reader may see them at slightly
// different moments.
#ifndef REACH_INGEST_INGEST_STATS_H_
#define REACH_INGEST_INGEST_STATS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

#include "ingest/reject_reason.h"

namespace reach::ingest {

// Control messages of the Twitter v1.1 stream and their counterparts; then Bluesky Jetstream
// "identity" / "account" events, commits of collections that carry no post, like or follow
// ("other_collection"), Jetstream un-likes (no event: the model has no like ids, "unlike"),
// Mastodon edits ("status_update") and other Mastodon streaming events ("other_event"); then X API
// v2 pages with only errors ("v2_error"), tweet counts ("v2_counts") or no data ("v2_empty"), and
// comment lines of edge lists ("comment").
inline constexpr std::array<std::string_view, 17> kControlKinds = {
    "delete",      "limit",    "scrub_geo", "status_withheld",  "user_withheld", "disconnect",
    "warning",     "identity", "account",   "other_collection", "unlike",        "status_update",
    "other_event", "v2_error", "v2_counts", "v2_empty",         "comment"};

struct IngestStats {
  std::atomic<uint64_t> records{0};   // records read (lines)
  std::atomic<uint64_t> accepted{0};  // records decoded
  std::atomic<uint64_t> events{0};    // normalized events produced
  std::atomic<uint64_t> bytes{0};     // bytes of records read
  std::array<std::atomic<uint64_t>, kRejectReasonCount> rejected{};
  std::array<std::atomic<uint64_t>, kControlKinds.size()> control{};
  std::atomic<int64_t> last_event_time_us{0};  // event time of the newest event read
  std::atomic<int64_t> last_arrival_us{0};     // wall clock when the newest record was read
  // Accepted records found already in the record log (re-read after a restart; events dropped).
  std::atomic<uint64_t> already_logged{0};
  // The source's bytes consumed so far (compressed bytes for compressed files) and its size when
  // known (0 otherwise): the progress line of `reach replay`.
  std::atomic<uint64_t> source_bytes_read{0};
  std::atomic<uint64_t> source_bytes_total{0};
  // Coverage gap: posts the platform said it did not deliver (Twitter v1.1 "limit" notices, whose
  // count is cumulative per connection; a count lower than the last one starts a new connection).
  std::atomic<uint64_t> undelivered{0};
  std::atomic<uint64_t> last_limit_track{0};

  void CountRejected(RejectReason r) {
    rejected[static_cast<int>(r)].fetch_add(1, std::memory_order_relaxed);
  }
  void CountControl(std::string_view kind);
  // A limit notice with its cumulative count `track`; adds what is new to `undelivered`. Called by
  // the ingest thread only.
  void CountLimit(uint64_t track);
  [[nodiscard]] uint64_t total_rejected() const;
};

}  // namespace reach::ingest

#endif  // REACH_INGEST_INGEST_STATS_H_
