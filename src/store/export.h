// ExportView: writes one of the store's BI views (migration 2, docs/operations.md) as CSV or
// NDJSON, for `reach export --view V --format csv|ndjson` and for tools that prefer files to SQL.
//
//   REACH_RETURN_IF_ERROR(ExportView("reach.db", "v_influencers", "csv", stdout));
//
// The rows come in a fixed order per view (see ExportableViews) and every value is written the same
// way whichever backend holds it: integers in decimal, doubles in shortest round-trip form, text as
// is. Columns ending in "_id" hold unsigned 64-bit ids (stored as BIGINT bits): they are written as
// unsigned decimals, and as JSON strings in NDJSON (like the HTTP API), so that no JSON reader
// rounds them. NULL is an empty CSV field or JSON null.
// CSV follows RFC 4180: a header line of column names, CRLF line ends, a field quoted (with inner
// quotes doubled) when it holds a comma, a quote, CR or LF. NDJSON: one JSON object per row, keys
// in column order, LF line ends.
//
// Errors: InvalidArgument for an unknown view or format (the message names the known ones);
// Unavailable when the store cannot be opened; FailedPrecondition when its schema predates the
// views (open it with `reach run` first) or is newer than this program; Internal for SQL errors;
// DataLoss when writing to `out` fails. Rows already written stay written.
// Thread safety: opens its own read-only connection; may be called from any thread. Cost: one
// query streaming the rows (SQLite) or one result held in memory (PostgreSQL).
#ifndef REACH_STORE_EXPORT_H_
#define REACH_STORE_EXPORT_H_

#include <cstdio>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace reach::store {

struct ExportableView {
  std::string_view name;
  std::string_view order_by;  // the fixed row order of the export
  std::string_view description;
};

// The views ExportView accepts.
std::span<const ExportableView> ExportableViews();

// The formats ExportView accepts: "csv" and "ndjson".
std::span<const std::string_view> ExportFormats();

absl::Status ExportView(const std::string& location, std::string_view view, std::string_view format,
                        std::FILE* out);

}  // namespace reach::store

#endif  // REACH_STORE_EXPORT_H_
