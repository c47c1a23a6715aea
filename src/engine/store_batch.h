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
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_STORE_BATCH_H_
