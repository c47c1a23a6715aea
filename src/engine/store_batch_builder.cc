#include "engine/store_batch_builder.h"

namespace reach::engine {

StoreBatch StoreBatchBuilder::Take() {
  StoreBatch b;
  users_.Take(&b.users, nullptr);
  posts_.Take(&b.posts, &b.deleted_posts);
  cascades_.Take(&b.cascades, &b.deleted_cascades);
  return b;
}

}  // namespace reach::engine
