#include "store/log_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <system_error>

namespace halo::store {

namespace {

constexpr size_t kHeader = 12;

void put_le(char* p, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

uint64_t get_le(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

}  // namespace

LogWriter::LogWriter(LogStore& store, const std::string& job_id, int step, int node)
    : store_(store) {
  auto p = store.path(job_id, step, node);
  std::filesystem::create_directories(p.parent_path());
  fd_ = ::open(p.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "open " + p.string());
}

LogWriter::~LogWriter() {
  if (fd_ >= 0) ::close(fd_);
  store_.notify();
}

void LogWriter::append(int64_t time_ms, std::string_view data) {
  // Records are capped so a reader's buffer stays bounded; big chunks become several records.
  constexpr size_t kMaxRecord = 64 * 1024;
  while (!data.empty()) {
    std::string_view part = data.substr(0, kMaxRecord);
    data.remove_prefix(part.size());
    std::string rec(kHeader + part.size(), '\0');
    put_le(rec.data(), static_cast<uint64_t>(time_ms), 8);
    put_le(rec.data() + 8, part.size(), 4);
    std::memcpy(rec.data() + kHeader, part.data(), part.size());
    // One write() per record with O_APPEND: a crash leaves at most one torn record at the end.
    size_t done = 0;
    while (done < rec.size()) {
      ssize_t n = ::write(fd_, rec.data() + done, rec.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw std::system_error(errno, std::generic_category(), "write log");
      }
      done += static_cast<size_t>(n);
    }
  }
  store_.notify();
}

LogStore::LogStore(std::filesystem::path root) : root_(std::move(root)) {
  std::filesystem::create_directories(root_);
}

std::filesystem::path LogStore::path(const std::string& job_id, int step, int node) const {
  if (node == 0) return root_ / job_id / (std::to_string(step) + ".log");
  return root_ / job_id / (std::to_string(step) + "." + std::to_string(node) + ".log");
}

uint64_t LogStore::read(const std::string& job_id, int step, uint64_t offset, size_t max_bytes,
                        std::vector<LogRecord>& out, int node) const {
  int fd = ::open(path(job_id, step, node).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return offset;
  size_t budget = max_bytes;
  char header[kHeader];
  while (true) {
    ssize_t n = ::pread(fd, header, kHeader, static_cast<off_t>(offset));
    if (n != static_cast<ssize_t>(kHeader)) break;
    LogRecord rec;
    rec.time_ms = static_cast<int64_t>(get_le(header, 8));
    size_t len = get_le(header + 8, 4);
    if (len > 64 * 1024) break;  // not a record halo wrote: stop rather than over-read
    rec.data.resize(len);
    n = ::pread(fd, rec.data.data(), len, static_cast<off_t>(offset + kHeader));
    if (n != static_cast<ssize_t>(len)) break;  // torn tail
    offset += kHeader + len;
    budget = len >= budget ? 0 : budget - len;
    out.push_back(std::move(rec));
    if (budget == 0) break;
  }
  ::close(fd);
  return offset;
}

uint64_t LogStore::generation() {
  std::lock_guard lock(mu_);
  return generation_;
}

uint64_t LogStore::wait(uint64_t seen, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return generation_ != seen; });
  return generation_;
}

void LogStore::notify() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  cv_.notify_all();
}

}  // namespace halo::store
