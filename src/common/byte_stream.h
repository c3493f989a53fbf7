// Byte streams for moving files without holding them in memory: a ByteSink takes bytes
// pushed into it, a ByteSource hands out bytes when pulled. Producers that push (a tar
// writer, an HTTP body arriving) and consumers that pull (a tar reader, an upload body) meet
// through a BytePipe, with one of them on its own thread.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace halo {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  // Takes all of `data` (may block); throws when the bytes cannot go anywhere.
  virtual void write(std::string_view data) = 0;
};

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills up to `n` bytes of `buf`; 0 means the end. Throws on a failed read.
  virtual size_t read(char* buf, size_t n) = 0;
};

// Copies `in` to `out` until the end of `in`; returns the number of bytes copied.
uint64_t copy_stream(ByteSource& in, ByteSink& out);

// A bounded pipe between one writer thread and one reader thread. The writer calls write()
// and then close() (or fail() with the exception that stopped it); the reader sees the bytes,
// then 0 at the end, or the writer's exception. A reader that gives up calls abandon(): the
// writer's next write() then throws, so it stops instead of blocking forever.
// The bytes sit in one ring buffer of `capacity` bytes allocated up front: nothing is
// allocated per write (a string per write made the allocator grow and trim its heap at every
// turn: page faults and page clearing in the profile of a 512 MB artifact upload).
class BytePipe final : public ByteSink, public ByteSource {
 public:
  explicit BytePipe(size_t capacity = 1 << 20) : ring_(capacity == 0 ? 1 : capacity) {}

  void write(std::string_view data) override;
  size_t read(char* buf, size_t n) override;
  void close();
  void fail(std::exception_ptr e);
  void abandon();

 private:
  std::mutex mu_;
  std::condition_variable readable_;
  std::condition_variable writable_;
  std::vector<char> ring_;
  size_t head_ = 0;      // where the next byte to read is
  size_t buffered_ = 0;  // bytes in the ring from head_ on, wrapping around
  bool closed_ = false;
  bool abandoned_ = false;
  std::exception_ptr error_;
};

// A sink that counts what passes through to another sink.
class CountingSink final : public ByteSink {
 public:
  explicit CountingSink(ByteSink& next) : next_(next) {}
  void write(std::string_view data) override {
    next_.write(data);
    count_ += data.size();
  }
  uint64_t count() const { return count_; }

 private:
  ByteSink& next_;
  uint64_t count_ = 0;
};

}  // namespace halo
