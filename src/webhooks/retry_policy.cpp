#include "webhooks/retry_policy.h"

#include <algorithm>

namespace halo::webhooks {

int64_t RetryPolicy::delay_after(int failures) const {
  int64_t d = first_delay_ms;
  // Stop doubling once capped, so a large attempt count cannot overflow.
  for (int i = 1; i < failures && d < max_delay_ms; ++i) d *= 2;
  return std::min(d, max_delay_ms);
}

std::optional<int64_t> RetryPolicy::next_attempt(int64_t created_at, int64_t now,
                                                 int failures) const {
  int64_t at = now + delay_after(failures);
  if (at > created_at + give_up_after_ms) return std::nullopt;
  return at;
}

}  // namespace halo::webhooks
