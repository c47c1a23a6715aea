// AlertWebhook: POSTs each topic spike alert as JSON to a configured http:// URL, from its own
// thread, so a slow or absent receiver never holds up the engine. Alerts wait in a bounded queue
// (256); when it is full the newest alert is dropped and counted. A failed POST is logged and
// counted, not retried (alerts stay available at GET /api/alerts).
//
// Thread safety: Send may be called from any thread. Errors: Create returns InvalidArgument for a
// URL that is not http://host[:port][/path].
#ifndef REACH_CLI_ALERT_WEBHOOK_H_
#define REACH_CLI_ALERT_WEBHOOK_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "common/bounded_queue.h"
#include "common/status.h"

namespace reach::cli {

class AlertWebhook {
 public:
  static absl::StatusOr<std::unique_ptr<AlertWebhook>> Create(const std::string& url);
  ~AlertWebhook();

  // Queues one JSON body for delivery; false (and counted as dropped) when the queue is full.
  bool Send(std::string json);
  [[nodiscard]] uint64_t delivered() const { return delivered_.load(); }
  [[nodiscard]] uint64_t failed() const { return failed_.load(); }
  [[nodiscard]] uint64_t dropped() const { return dropped_.load(); }

 private:
  AlertWebhook(std::string host, std::string port, std::string path);
  void Loop();

  std::string host_, port_, path_;
  BoundedQueue<std::string> queue_{256};
  std::atomic<uint64_t> delivered_{0}, failed_{0}, dropped_{0};
  std::thread thread_;
};

}  // namespace reach::cli

#endif  // REACH_CLI_ALERT_WEBHOOK_H_
