#include "engine/store_batch.h"

#include <utility>

#include "engine/last_operation_wins.h"

namespace reach::engine {

size_t StoreBatch::RowCount() const {
  size_t rows = users.size() + posts.size() + deleted_posts.size() + cascades.size() +
                deleted_cascades.size();
  if (scores != nullptr) {
    for (const WindowBoard& b : scores->boards) rows += b.rows.size();
  }
  return rows;
}

void StoreBatch::Merge(StoreBatch&& later) {
  // Users: upserts only.
  LastOperationWins<UserInfo> user_ops;
  for (UserInfo& u : users) user_ops.Upsert(u.user.value, std::move(u));
  for (UserInfo& u : later.users) user_ops.Upsert(u.user.value, std::move(u));
  user_ops.Take(&users, nullptr);

  // Posts and cascades, replayed in the order a store writes one batch: post upserts, post deletes
  // (which also delete the cascade rooted at the post), cascade upserts, cascade deletes.
  LastOperationWins<PostRecord> post_ops;
  LastOperationWins<CascadeSummary> cascade_ops;
  for (StoreBatch* b : {this, &later}) {
    for (PostRecord& p : b->posts) post_ops.Upsert(p.id.value, std::move(p));
    for (PostId id : b->deleted_posts) {
      post_ops.Delete(id.value);
      cascade_ops.Delete(id.value);
    }
    for (CascadeSummary& c : b->cascades) cascade_ops.Upsert(c.root.value, std::move(c));
    for (PostId id : b->deleted_cascades) cascade_ops.Delete(id.value);
  }
  post_ops.Take(&posts, &deleted_posts);
  cascade_ops.Take(&cascades, &deleted_cascades);

  if (later.scores != nullptr) scores = std::move(later.scores);
  as_of = later.as_of;
  flushed_at = later.flushed_at;
  stats = later.stats;
  later = StoreBatch();
}

}  // namespace reach::engine
