// LastOperationWins: the net effect of a sequence of upserts and deletes on one keyed table, in
// first-seen key order: per key only the last operation remains. Used to fold store batches
// (StoreBatch::Merge) and to stage changes between flushes (StoreBatchBuilder).
//
// Not thread-safe; one owner. Cost: one hash lookup per operation; memory proportional to the
// distinct keys seen (a superseded row leaves an empty slot until Take).
#ifndef REACH_ENGINE_LAST_OPERATION_WINS_H_
#define REACH_ENGINE_LAST_OPERATION_WINS_H_

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/ids.h"

namespace reach::engine {

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

  // Rows and keys live now (upserted or deleted).
  [[nodiscard]] size_t size() const { return upsert_at_.size() + delete_at_.size(); }

  // Moves the surviving upserts to *rows and deletes to *deleted (when not null), replacing their
  // contents, and leaves this empty.
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
    *this = LastOperationWins();
  }

 private:
  std::vector<std::optional<T>> upserts_;
  absl::flat_hash_map<uint64_t, size_t> upsert_at_;
  std::vector<std::optional<uint64_t>> deletes_;
  absl::flat_hash_map<uint64_t, size_t> delete_at_;
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_LAST_OPERATION_WINS_H_
