// StoreBatch: everything the engine changed since the previous flush, handed to a store (SQLite or
// PostgreSQL) to write in one transaction. Produced by the engine's writer thread, then owned by
// the store's writer thread; never shared.
#ifndef REACH_ENGINE_STORE_BATCH_H_
#define REACH_ENGINE_STORE_BATCH_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/ids.h"
#include "common/time.h"
#include "engine/snapshot.h"
#include "model/event.h"

namespace reach::engine {

struct PostRecord {
  PostId id;
  model::Platform platform = model::Platform::kUnknown;
  model::PostKind kind = model::PostKind::kOriginal;
  UserId author;
  EventTime time;
  std::string text;
  std::string lang;
  PostId parent;             // cascade parent (0 for roots and replies)
  PostId root;               // cascade root (the post itself for an original)
  PostId in_reply_to;        // conversation parent
  int32_t depth = 0;         // level in the cascade (root = 0)
  std::string country_code;  // from place, may be empty
  int64_t reported_likes = -1;
  int64_t reported_reshares = -1;
  // How `parent` was chosen (docs/metrics.md, "Cascades").
  ParentMethod parent_method = ParentMethod::kNone;
};

struct StoreBatch {
  EventTime as_of;                       // engine watermark
  EventTime flushed_at;                  // wall clock
  std::vector<UserInfo> users;           // new or changed users (upsert)
  std::vector<PostRecord> posts;         // new posts or posts whose fields changed (upsert)
  std::vector<PostId> deleted_posts;     // remove from posts (and cascades rooted there)
  std::vector<CascadeSummary> cascades;  // new or changed cascades (upsert)
  std::vector<PostId> deleted_cascades;
  // The current scores of every window: the store replaces its score table with these rows and
  // appends them to the history table stamped with as_of. Null when scores did not change.
  std::shared_ptr<const Snapshot> scores;
  EngineStats stats;

  [[nodiscard]] bool empty() const {
    return users.empty() && posts.empty() && deleted_posts.empty() && cascades.empty() &&
           deleted_cascades.empty() && scores == nullptr;
  }

  // Rows this batch holds: users, posts, cascades, both delete lists and the score rows of every
  // window (the memory a waiting batch costs is proportional to it).
  [[nodiscard]] size_t RowCount() const;

  // Folds `later` (the next batch from the same engine) into this one, so that writing the merged
  // batch leaves the store exactly as writing this batch and then `later` would, except that
  // score_history gets only the later snapshot (the intermediate snapshot is superseded). Used to
  // keep one batch, bounded by the number of distinct changed rows, while the store is down.
  // Per key the last operation wins: a user, post or cascade upserted again takes the later values;
  // a post deleted then upserted again is upserted, upserted then deleted is deleted (and the
  // cascades rooted at deleted posts follow the same rule). Scores, stats, as_of and flushed_at are
  // the later batch's when it has them. Cost: O(rows of both batches), hash lookups per key.
  void Merge(StoreBatch&& later);
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_STORE_BATCH_H_
