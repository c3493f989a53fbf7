// The retry schedule: ~2 s, doubling, capped at 10 minutes, for 24 hours.
#include <gtest/gtest.h>

#include "webhooks/retry_policy.h"

namespace halo::webhooks {

TEST(RetryPolicy, FirstRetryAfterTwoSecondsThenDoubling) {
  RetryPolicy p;
  EXPECT_EQ(p.delay_after(1), 2'000);
  EXPECT_EQ(p.delay_after(2), 4'000);
  EXPECT_EQ(p.delay_after(3), 8'000);
  EXPECT_EQ(p.delay_after(9), 512'000);
}

TEST(RetryPolicy, WaitsAreCappedAtTenMinutes) {
  RetryPolicy p;
  EXPECT_EQ(p.delay_after(10), 600'000);
  EXPECT_EQ(p.delay_after(11), 600'000);
  EXPECT_EQ(p.delay_after(1'000'000), 600'000);
}

TEST(RetryPolicy, GivesUpOnceTheNextAttemptWouldBeLaterThan24Hours) {
  RetryPolicy p;
  int64_t created = 1'000'000;
  EXPECT_EQ(p.next_attempt(created, created, 1), created + 2'000);
  int64_t late = created + 24 * 3'600'000LL - 600'000;
  EXPECT_EQ(p.next_attempt(created, late, 50), late + 600'000);  // exactly at the limit
  EXPECT_EQ(p.next_attempt(created, late + 1, 50), std::nullopt);
}

TEST(RetryPolicy, TheWholeScheduleSpansADayInAboutOneHundredFiftyAttempts) {
  RetryPolicy p;
  int64_t created = 0, now = 0;
  int failures = 0;
  while (auto next = p.next_attempt(created, now, ++failures)) now = *next;
  EXPECT_GT(now, 23 * 3'600'000LL);
  EXPECT_LE(now, 24 * 3'600'000LL);
  EXPECT_GT(failures, 140);
  EXPECT_LT(failures, 160);
}

}  // namespace halo::webhooks
