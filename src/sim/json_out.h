// Small, allocation-free appenders of JSON pieces to an fmt::memory_buffer, used by the simulator's
// writers in their per-event hot path: literals, integers, escaped strings, and the two date
// formats the wire formats use. Stateless; thread-safe.
#ifndef REACH_SIM_JSON_OUT_H_
#define REACH_SIM_JSON_OUT_H_

#include <cstdint>
#include <string_view>

#include "fmt/format.h"

namespace reach::sim {

using Buffer = fmt::memory_buffer;

inline void Put(Buffer& b, std::string_view s) { b.append(s.data(), s.data() + s.size()); }
inline void PutChar(Buffer& b, char c) { b.push_back(c); }
inline void PutUint(Buffer& b, uint64_t v) {
  const fmt::format_int f(v);
  b.append(f.data(), f.data() + f.size());
}
inline void PutInt(Buffer& b, int64_t v) {
  const fmt::format_int f(v);
  b.append(f.data(), f.data() + f.size());
}
// A quoted JSON string. The simulator's strings are valid UTF-8; only '"', '\\' and control
// characters need escaping.
void PutString(Buffer& b, std::string_view s);
// A quoted decimal string of v ("id_str").
void PutUintString(Buffer& b, uint64_t v);
// A fixed-point number with 6 decimals (coordinates).
void PutCoordinate(Buffer& b, double v);
// Twitter's created_at, unquoted: "Thu Nov 08 02:31:41 +0000 2012".
void PutTwitterDate(Buffer& b, int64_t unix_seconds);
// RFC 3339 UTC with milliseconds, unquoted: "2023-01-01T00:00:00.000Z".
void PutIsoTime(Buffer& b, int64_t unix_micros);

}  // namespace reach::sim

#endif  // REACH_SIM_JSON_OUT_H_
