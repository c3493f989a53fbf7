// The clock seam: wall-clock time (epoch milliseconds) through an interface, so that leases,
// retention and anything else that waits on time can be tested without sleeping.
#pragma once
#include <atomic>
#include <cstdint>

namespace halo {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_ms() const = 0;
};

// The system clock (what now_ms() in common/time.h reads).
class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override;
  // The process-wide instance, for code that is given no other clock.
  static SystemClock& instance();
};

// A clock that moves only when told to; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_ms = 1'700'000'000'000) : now_(start_ms) {}
  int64_t now_ms() const override { return now_.load(); }
  void advance(int64_t ms) { now_ += ms; }
  void set(int64_t ms) { now_ = ms; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace halo
