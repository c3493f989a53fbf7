// The in-process queue of runnable job ids. The store is the truth (a job is runnable when
// its row is `queued`); this queue only wakes runners at once instead of having them poll.
// A job id may be pushed more than once; claiming in the store decides who runs it.
#pragma once
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace halo::engine {

class JobQueue {
 public:
  void push(std::string job_id);
  // Blocks until a job id is available or the queue is closed (then returns nullopt).
  std::optional<std::string> pop();
  // Waits at most `wait`; nullopt when nothing came in time or the queue is closed.
  std::optional<std::string> pop(std::chrono::milliseconds wait);
  bool closed();
  // Wakes every waiting pop() for good.
  void close();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> items_;
  bool closed_ = false;
};

}  // namespace halo::engine
