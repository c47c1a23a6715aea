// JetstreamResume: the cursor of a Jetstream connection and the filter that makes a resume
// deliver every event exactly once.
//
// Jetstream (github.com/bluesky-social/jetstream, README "Consuming Jetstream") replays from a
// `cursor=` query parameter, a time_us in microseconds; events are only roughly ordered by time_us
// and replay at the exact boundary is not guaranteed gapless. So a reconnect asks for
// ResumeCursor() = newest time_us handed on minus `rewind` (5 s by default), and Accept() drops the
// events of that overlap that were handed on before: it remembers (time_us, did) of every event
// newer than newest - rewind. An event older than that cannot be part of the replay and is
// always accepted (a late, out-of-order event).
//
//   JetstreamResume resume(/*initial_cursor=*/0);
//   if (resume.Accept(message)) hand_on(message);   // else a replay, counted by the caller
//   url = endpoint.Target(resume.ResumeCursor());
//
// A message without a readable time_us is accepted as is (the decoder rejects it with a reason).
// Not thread-safe. Memory: one entry per event of the last `rewind` of stream time.
#ifndef REACH_INGEST_LIVE_JETSTREAM_RESUME_H_
#define REACH_INGEST_LIVE_JETSTREAM_RESUME_H_

#include <cstdint>
#include <memory>
#include <set>
#include <string_view>
#include <utility>

namespace reach::ingest {

class JetstreamResume {
 public:
  explicit JetstreamResume(int64_t initial_cursor, int64_t rewind_us = 5'000'000);
  ~JetstreamResume();
  JetstreamResume(const JetstreamResume&) = delete;
  JetstreamResume& operator=(const JetstreamResume&) = delete;

  // False when `message` repeats an event already accepted (drop it); true otherwise.
  bool Accept(std::string_view message);
  // The newest time_us accepted (or the initial cursor), 0 when none.
  [[nodiscard]] int64_t cursor() const { return newest_; }
  // The cursor to reconnect with: 0 (live tail) before any event, else cursor() - rewind.
  [[nodiscard]] int64_t ResumeCursor() const;
  [[nodiscard]] size_t remembered() const { return recent_.size(); }

 private:
  struct Parser;
  int64_t newest_;
  int64_t rewind_us_;
  std::set<std::pair<int64_t, uint64_t>> recent_;  // (time_us, hash of did)
  std::unique_ptr<Parser> parser_;
};

}  // namespace reach::ingest

#endif  // REACH_INGEST_LIVE_JETSTREAM_RESUME_H_
