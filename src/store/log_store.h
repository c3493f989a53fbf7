// Job output as append-only files, one per step and node: <root>/<job-id>/<step>[.<node>].log. Each
// record is [8-byte epoch ms][4-byte length][bytes], little-endian, so output keeps its timestamps
// and can be read by offset without loading the whole log. A torn record at the end (after a crash)
// is ignored by readers. Appends wake followers through a notification, not polling.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace halo::store {

struct LogRecord {
  int64_t time_ms = 0;
  std::string data;
};

class LogStore;

// Appends to one step's log. Not thread-safe; one writer per step.
class LogWriter {
 public:
  LogWriter(LogStore& store, const std::string& job_id, int step, int node = 0);
  ~LogWriter();
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;
  void append(int64_t time_ms, std::string_view data);

 private:
  LogStore& store_;
  int fd_ = -1;
};

class LogStore {
 public:
  explicit LogStore(std::filesystem::path root);

  // Node 0 (every job without parallelism) is <step>.log; node n of a parallel job is
  // <step>.<n>.log.
  std::filesystem::path path(const std::string& job_id, int step, int node = 0) const;

  // Reads whole records starting at byte `offset`, up to about max_bytes of data. Returns
  // the offset after the last whole record read (equal to `offset` when nothing new).
  uint64_t read(const std::string& job_id, int step, uint64_t offset, size_t max_bytes,
                std::vector<LogRecord>& out, int node = 0) const;

  // Blocks until some log was appended after `seen` (a value from generation()) or the
  // timeout passes. Returns the current generation.
  uint64_t wait(uint64_t seen, std::chrono::milliseconds timeout);
  uint64_t generation();
  // Wakes every waiter, e.g. when a step ends.
  void notify();

 private:
  std::filesystem::path root_;
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t generation_ = 0;
};

}  // namespace halo::store
