// When a failed delivery is tried again: the first retry about 2 s after the first failure,
// then doubling, each wait capped at 10 minutes, and no new attempt once 24 hours have
// passed since the event was created.
#pragma once
#include <cstdint>
#include <optional>

namespace halo::webhooks {

struct RetryPolicy {
  int64_t first_delay_ms = 2'000;
  int64_t max_delay_ms = 10 * 60'000;
  int64_t give_up_after_ms = 24 * 3'600'000LL;

  // The wait after the `failures`-th failed attempt (1 for the first failure).
  int64_t delay_after(int failures) const;

  // When to try again after the `failures`-th failure at `now`, for an event created at
  // `created_at`; nullopt when the event should be given up (marked failed).
  std::optional<int64_t> next_attempt(int64_t created_at, int64_t now, int failures) const;
};

}  // namespace halo::webhooks
