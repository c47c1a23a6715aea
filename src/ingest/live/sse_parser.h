// SseParser: an incremental parser of the Server-Sent Events wire format (WHATWG HTML, "Server-sent
// events", 9.2.6 "Interpreting an event stream"), as used by the Mastodon streaming API:
//
//   event: update
//   data: {"id":"1", ...}
//
//   :thump                  <- a comment (Mastodon's heartbeat)
//
// Bytes are fed as they arrive, in chunks of any size; lines end with CRLF, LF or CR (a CRLF split
// between two chunks is one line end). A blank line dispatches the event gathered so far (type
// "message" when no `event:` field was seen; several `data:` lines joined with '\n'); an event
// without data is not dispatched. `id:` and `retry:` are remembered; unknown fields are ignored.
// What was not yet dispatched when the connection ends is discarded with Reset() — an event cut
// off by a drop is never delivered half.
//
// An event whose data exceeds max_event_bytes is not buffered whole: its first max_event_bytes
// bytes are kept and it is dispatched with `truncated` set and its full `length`, like an
// over-long line of a file; counted in oversized().
//
//   SseParser parser;
//   parser.Feed(chunk, [&](const SseEvent& e) { ... e.type, e.data ... });
//
// Not thread-safe. Memory: about twice max_event_bytes.
#ifndef REACH_INGEST_LIVE_SSE_PARSER_H_
#define REACH_INGEST_LIVE_SSE_PARSER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace reach::ingest {

struct SseEvent {
  std::string_view type;   // "message" unless an event: field said otherwise
  std::string_view data;   // the data: lines joined with '\n'
  std::string_view id;     // the last id: seen on this stream ("" when none)
  bool truncated = false;  // data holds only the first max_event_bytes bytes
  uint64_t length = 0;     // full length of the data in bytes (even when truncated)
};

class SseParser {
 public:
  using Handler = std::function<void(const SseEvent&)>;

  explicit SseParser(size_t max_event_bytes = 8 << 20) : max_event_bytes_(max_event_bytes) {}

  void Feed(std::string_view bytes, const Handler& on_event);
  // Forgets a partly received event (call when a connection ends); keeps the last id.
  void Reset();

  [[nodiscard]] uint64_t comments() const { return comments_; }
  [[nodiscard]] uint64_t oversized() const { return oversized_; }
  // The last retry: value in milliseconds, or -1 when none was sent.
  [[nodiscard]] int64_t retry_ms() const { return retry_ms_; }
  [[nodiscard]] const std::string& last_id() const { return last_id_; }

 private:
  void Line(std::string_view line, const Handler& on_event);
  void AppendData(std::string_view value);

  size_t max_event_bytes_;
  std::string line_;
  std::string type_;
  std::string data_;
  std::string last_id_;
  bool has_data_ = false;
  bool truncated_ = false;     // the event's data exceeded max_event_bytes
  uint64_t data_bytes_ = 0;    // full size of the event's data, '\n' after each line included
  bool discard_line_ = false;  // the rest of an over-long line is being dropped
  bool after_cr_ = false;      // the previous chunk ended with '\r'
  uint64_t comments_ = 0;
  uint64_t oversized_ = 0;
  int64_t retry_ms_ = -1;
};

}  // namespace reach::ingest

#endif  // REACH_INGEST_LIVE_SSE_PARSER_H_
