#include "common/byte_stream.h"

#include <cstring>
#include <stdexcept>

namespace halo {

uint64_t copy_stream(ByteSource& in, ByteSink& out) {
  char buf[1 << 16];
  uint64_t total = 0;
  while (size_t n = in.read(buf, sizeof buf)) {
    out.write(std::string_view(buf, n));
    total += n;
  }
  return total;
}

void BytePipe::write(std::string_view data) {
  if (data.empty()) return;
  std::unique_lock lock(mu_);
  // A chunk larger than the capacity still goes in whole once the pipe is empty.
  cv_.wait(lock,
           [&] { return abandoned_ || buffered_ == 0 || buffered_ + data.size() <= capacity_; });
  if (abandoned_) throw std::runtime_error("the reader stopped reading");
  chunks_.emplace_back(data);
  buffered_ += data.size();
  cv_.notify_all();
}

size_t BytePipe::read(char* buf, size_t n) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !chunks_.empty() || closed_ || error_; });
  if (chunks_.empty()) {
    if (error_) std::rethrow_exception(error_);
    return 0;
  }
  size_t done = 0;
  while (done < n && !chunks_.empty()) {
    std::string& front = chunks_.front();
    size_t take = std::min(n - done, front.size() - front_offset_);
    std::memcpy(buf + done, front.data() + front_offset_, take);
    done += take;
    front_offset_ += take;
    if (front_offset_ == front.size()) {
      chunks_.pop_front();
      front_offset_ = 0;
    }
  }
  buffered_ -= done;
  cv_.notify_all();
  return done;
}

void BytePipe::close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  cv_.notify_all();
}

void BytePipe::fail(std::exception_ptr e) {
  std::lock_guard lock(mu_);
  error_ = std::move(e);
  cv_.notify_all();
}

void BytePipe::abandon() {
  std::lock_guard lock(mu_);
  abandoned_ = true;
  chunks_.clear();
  buffered_ = 0;
  front_offset_ = 0;
  cv_.notify_all();
}

}  // namespace halo
