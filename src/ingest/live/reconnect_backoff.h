// ReconnectBackoff: how long a live client waits before its next connection attempt, following the
// schedule X documents for its streaming endpoints ("Handling disconnections",
// docs.x.com/x-api/fundamentals/handling-disconnections), used for every live source:
//
//   an established connection dropped   -> reconnect at once (0 ms);
//   a network error (DNS, TCP, TLS, a read error before the stream was established)
//                                       -> linear: 250 ms, 500 ms, ... up to 16 s;
//   an HTTP error status (not 429)      -> exponential: 5 s, 10 s, ... up to 320 s;
//   HTTP 429 (rate limited)             -> exponential: 60 s, 120 s, ... up to 960 s.
//
// Each kind keeps its own step; Connected() (a stream established: HTTP 200 / WebSocket upgrade)
// resets all of them. A drop right after another drop without a successful connection in between
// counts as a network error, so a server that accepts and hangs up at once is not hammered.
//
//   ReconnectBackoff b;
//   auto wait = b.Next(ReconnectBackoff::Failure::kNetwork);  // 250 ms
//
// Pure value type, not thread-safe.
#ifndef REACH_INGEST_LIVE_RECONNECT_BACKOFF_H_
#define REACH_INGEST_LIVE_RECONNECT_BACKOFF_H_

#include <chrono>

namespace reach::ingest {

class ReconnectBackoff {
 public:
  enum class Failure { kDropped, kNetwork, kHttp, kRateLimited };

  static constexpr std::chrono::milliseconds kNetworkStep{250};
  static constexpr std::chrono::milliseconds kNetworkMax{16'000};
  static constexpr std::chrono::milliseconds kHttpFirst{5'000};
  static constexpr std::chrono::milliseconds kHttpMax{320'000};
  static constexpr std::chrono::milliseconds kRateLimitFirst{60'000};
  static constexpr std::chrono::milliseconds kRateLimitMax{960'000};

  // The wait before the next attempt after a failure of this kind.
  std::chrono::milliseconds Next(Failure failure);
  // A stream was established: the next drop reconnects at once and every schedule restarts.
  void Connected();

 private:
  bool established_ = false;  // connected since the last failure
  std::chrono::milliseconds network_{0};
  std::chrono::milliseconds http_{0};
  std::chrono::milliseconds rate_{0};
};

}  // namespace reach::ingest

#endif  // REACH_INGEST_LIVE_RECONNECT_BACKOFF_H_
