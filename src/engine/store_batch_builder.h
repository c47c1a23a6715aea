// StoreBatchBuilder: the rows the engine changed since the last flush, gathered a slice at a time
// (at each publish) so that cutting a StoreBatch at the flush costs only the last slice instead of
// every row changed in the whole flush interval.
//
// Adding slices in order and taking the batch leaves a store exactly as writing each slice as its
// own batch would (StoreBatch::Merge's rule: per key the last operation wins). Within one slice the
// operations must be added in the order a store applies one batch: post upserts, post deletes
// (which also delete the cascade rooted at the post), cascade upserts, cascade deletes.
//
// Example:
//   StoreBatchBuilder staged;
//   staged.UpsertPost(post);               // slice 1
//   staged.DeletePost(post.id);            // slice 2: the post is gone
//   StoreBatch b = staged.Take();          // b.deleted_posts == {post.id}, b.posts empty
//
// Threading: owned by the engine's writer thread. Cost: one hash lookup per row added; memory
// proportional to the distinct rows changed since the last Take.
#ifndef REACH_ENGINE_STORE_BATCH_BUILDER_H_
#define REACH_ENGINE_STORE_BATCH_BUILDER_H_

#include <cstddef>

#include "engine/last_operation_wins.h"
#include "engine/snapshot.h"
#include "engine/store_batch.h"

namespace reach::engine {

class StoreBatchBuilder {
 public:
  void UpsertUser(UserInfo user) { users_.Upsert(user.user.value, std::move(user)); }
  void UpsertPost(PostRecord post) { posts_.Upsert(post.id.value, std::move(post)); }
  void DeletePost(PostId id) {
    posts_.Delete(id.value);
    cascades_.Delete(id.value);
  }
  void UpsertCascade(CascadeSummary cascade) {
    cascades_.Upsert(cascade.root.value, std::move(cascade));
  }
  void DeleteCascade(PostId root) { cascades_.Delete(root.value); }

  // Rows staged (upserts and deletes of every table).
  [[nodiscard]] size_t size() const { return users_.size() + posts_.size() + cascades_.size(); }

  // The staged rows as a batch (as_of, flushed_at, scores and stats left for the caller); leaves
  // the builder empty.
  [[nodiscard]] StoreBatch Take();

 private:
  LastOperationWins<UserInfo> users_;
  LastOperationWins<PostRecord> posts_;
  LastOperationWins<CascadeSummary> cascades_;
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_STORE_BATCH_BUILDER_H_
