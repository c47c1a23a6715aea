#include "engine/store_batch.h"

#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace reach::engine {
namespace {

// The net effect of a sequence of upserts and deletes on one table, in first-seen key order:
// per key only the last operation remains.
template <class T>
class LastOperationWins {
 public:
  void Upsert(uint64_t key, T row) {
    if (auto it = delete_at_.find(key); it != delete_at_.end()) {
      deletes_[it->second].reset();
      delete_at_.erase(it);
    }
    if (auto it = upsert_at_.find(key); it != upsert_at_.end()) {
      upserts_[it->second] = std::move(row);
      return;
    }
    upsert_at_[key] = upserts_.size();
    upserts_.emplace_back(std::move(row));
  }

  void Delete(uint64_t key) {
    if (auto it = upsert_at_.find(key); it != upsert_at_.end()) {
      upserts_[it->second].reset();
      upsert_at_.erase(it);
    }
    if (delete_at_.contains(key)) return;
    delete_at_[key] = deletes_.size();
    deletes_.emplace_back(key);
  }

  void Take(std::vector<T>* rows, std::vector<PostId>* deleted) {
    rows->clear();
    rows->reserve(upsert_at_.size());
    for (std::optional<T>& r : upserts_) {
      if (r.has_value()) rows->push_back(std::move(*r));
    }
    if (deleted != nullptr) {
      deleted->clear();
      deleted->reserve(delete_at_.size());
      for (const std::optional<uint64_t>& k : deletes_) {
        if (k.has_value()) deleted->push_back(PostId{*k});
      }
    }
  }

 private:
  std::vector<std::optional<T>> upserts_;
  absl::flat_hash_map<uint64_t, size_t> upsert_at_;
  std::vector<std::optional<uint64_t>> deletes_;
  absl::flat_hash_map<uint64_t, size_t> delete_at_;
};

}  // namespace

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
