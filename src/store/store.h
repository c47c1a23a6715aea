// Store: where the engine's results live between runs and for other readers (reach serve, BI
// tools). One interface, two backends: SQLite (default, a local file) and PostgreSQL (for teams and
// the scaled-out mode), with the same schema through the same numbered migrations.
//
// Thread safety: a Store is used by one writer thread (the flusher). Readers use their own
// connection through OpenReadModel. Errors: Unavailable when the database cannot be reached,
// Internal for SQL errors (with the statement's message), FailedPrecondition for a database written
// by a newer schema version.
#ifndef REACH_STORE_STORE_H_
#define REACH_STORE_STORE_H_

#include <memory>
#include <string>

#include "common/status.h"
#include "engine/read_model.h"
#include "engine/store_batch.h"

namespace reach::store {

struct StoreStats {
  int64_t flushes = 0;
  int64_t rows_written = 0;
  int64_t failures = 0;
  EventTime last_flush;  // wall clock
};

class Store {
 public:
  virtual ~Store() = default;
  // Writes one batch in a single transaction; on failure nothing of it is applied.
  [[nodiscard]] virtual absl::Status Write(const engine::StoreBatch& batch) = 0;
  [[nodiscard]] virtual StoreStats stats() const = 0;
  // A description for logs and /healthz ("sqlite:reach.db").
  [[nodiscard]] virtual std::string description() const = 0;
};

// Opens a store from a location: a file path or "sqlite:PATH" for SQLite (creates the file), or a
// "postgres://" / "postgresql://" URL for PostgreSQL (the database must exist). Applies pending
// migrations.
absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& location);

// Opens a read model over a store written by OpenStore (for `reach serve`).
absl::StatusOr<std::unique_ptr<engine::ReadModel>> OpenReadModel(const std::string& location);

}  // namespace reach::store

#endif  // REACH_STORE_STORE_H_
