#include "engine/query_channel.h"

namespace reach::engine {

bool QueryChannel::Enqueue(Task task) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return false;
  tasks_.push_back(std::move(task));
  return true;
}

int QueryChannel::Serve(const Engine& engine) {
  std::deque<Task> tasks;
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks.swap(tasks_);
  }
  for (Task& task : tasks) task(&engine);
  return static_cast<int>(tasks.size());
}

void QueryChannel::Close() {
  std::deque<Task> tasks;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    tasks.swap(tasks_);
  }
  for (Task& task : tasks) task(nullptr);
}

size_t QueryChannel::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tasks_.size();
}

}  // namespace reach::engine
