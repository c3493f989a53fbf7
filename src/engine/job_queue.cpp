#include "engine/job_queue.h"

namespace halo::engine {

void JobQueue::push(std::string job_id) {
  {
    std::lock_guard lock(mu_);
    items_.push_back(std::move(job_id));
  }
  cv_.notify_one();
}

std::optional<std::string> JobQueue::pop() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return closed_ || !items_.empty(); });
  if (closed_) return std::nullopt;
  std::string id = std::move(items_.front());
  items_.pop_front();
  return id;
}

std::optional<std::string> JobQueue::pop(std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  if (!cv_.wait_for(lock, wait, [&] { return closed_ || !items_.empty(); }) || closed_)
    return std::nullopt;
  std::string id = std::move(items_.front());
  items_.pop_front();
  return id;
}

bool JobQueue::closed() {
  std::lock_guard lock(mu_);
  return closed_;
}

void JobQueue::close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

}  // namespace halo::engine
