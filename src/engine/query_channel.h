// QueryChannel: questions that the published snapshot cannot answer (a cascade's whole tree, a
// plan over every engager of 2,000 accounts) asked of the live engine state on its writer thread.
//
// A reader calls Ask from any thread; the question waits in the channel until the writer thread
// calls Serve between two event batches (the runner does so at least every 25 ms), runs there with
// read-only access to the engine, and its answer is handed back. Ask gives up after its timeout
// (Unavailable: the engine is busy) and fails at once after Close (the engine has stopped), so a
// reader never waits on an engine that will not answer.
//
// Thread safety: Ask and Close from any thread; Serve from the writer thread only. A question must
// not keep references into the engine past its own return.
#ifndef REACH_ENGINE_QUERY_CHANNEL_H_
#define REACH_ENGINE_QUERY_CHANNEL_H_

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "common/status.h"

namespace reach::engine {

class Engine;

class QueryChannel {
 public:
  QueryChannel() = default;
  QueryChannel(const QueryChannel&) = delete;
  QueryChannel& operator=(const QueryChannel&) = delete;

  // Any thread: runs `question` on the writer thread and returns its answer, or Unavailable when
  // the writer did not get to it within `timeout` or the channel is closed.
  template <class T>
  absl::StatusOr<T> Ask(std::function<absl::StatusOr<T>(const Engine&)> question,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    struct Pending {
      std::mutex mu;
      std::condition_variable done;
      std::optional<absl::StatusOr<T>> answer;
    };
    auto pending = std::make_shared<Pending>();
    Task task = [pending, question = std::move(question)](const Engine* engine) {
      absl::StatusOr<T> answer =
          engine ? question(*engine)
                 : absl::StatusOr<T>(absl::UnavailableError("the engine has stopped"));
      std::lock_guard<std::mutex> lock(pending->mu);
      pending->answer = std::move(answer);
      pending->done.notify_all();
    };
    if (!Enqueue(std::move(task))) return absl::UnavailableError("the engine has stopped");
    std::unique_lock<std::mutex> lock(pending->mu);
    if (!pending->done.wait_for(lock, timeout, [&] { return pending->answer.has_value(); })) {
      return absl::UnavailableError("the engine did not answer in time; try again");
    }
    return std::move(*pending->answer);
  }

  // Writer thread: answers every question waiting now. Returns how many were answered.
  int Serve(const Engine& engine);

  // Any thread: fails the waiting questions and every later one.
  void Close();

  // Questions waiting (for tests and /metrics).
  [[nodiscard]] size_t waiting() const;

 private:
  using Task = std::function<void(const Engine*)>;
  bool Enqueue(Task task);

  mutable std::mutex mu_;
  std::deque<Task> tasks_;
  bool closed_ = false;
};

}  // namespace reach::engine

#endif  // REACH_ENGINE_QUERY_CHANNEL_H_
