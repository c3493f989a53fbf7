#include "common/clock.h"

#include "common/time.h"

namespace halo {

int64_t SystemClock::now_ms() const {
  return halo::now_ms();
}

SystemClock& SystemClock::instance() {
  static SystemClock clock;
  return clock;
}

}  // namespace halo
