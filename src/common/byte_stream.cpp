#include "common/byte_stream.h"

#include <algorithm>
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
  const size_t cap = ring_.size();
  while (!data.empty()) {
    std::unique_lock lock(mu_);
    writable_.wait(lock, [&] { return abandoned_ || buffered_ < cap; });
    if (abandoned_) throw std::runtime_error("the reader stopped reading");
    size_t tail = (head_ + buffered_) % cap;
    size_t n = std::min({data.size(), cap - buffered_, cap - tail});
    std::memcpy(ring_.data() + tail, data.data(), n);
    buffered_ += n;
    data.remove_prefix(n);
    lock.unlock();
    readable_.notify_one();
  }
}

size_t BytePipe::read(char* buf, size_t n) {
  const size_t cap = ring_.size();
  std::unique_lock lock(mu_);
  readable_.wait(lock, [&] { return buffered_ > 0 || closed_ || error_; });
  if (buffered_ == 0) {
    if (error_) std::rethrow_exception(error_);
    return 0;
  }
  size_t done = 0;
  while (done < n && buffered_ > 0) {
    size_t take = std::min({n - done, buffered_, cap - head_});
    std::memcpy(buf + done, ring_.data() + head_, take);
    done += take;
    head_ = (head_ + take) % cap;
    buffered_ -= take;
  }
  lock.unlock();
  writable_.notify_one();
  return done;
}

void BytePipe::close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  readable_.notify_all();
}

void BytePipe::fail(std::exception_ptr e) {
  std::lock_guard lock(mu_);
  error_ = std::move(e);
  readable_.notify_all();
}

void BytePipe::abandon() {
  std::lock_guard lock(mu_);
  abandoned_ = true;
  head_ = 0;
  buffered_ = 0;
  writable_.notify_all();
}

}  // namespace halo
