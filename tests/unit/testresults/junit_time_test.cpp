// The `time` attribute as tools write it: plain, with locale commas, or unusable.
#include "testresults/junit_time.h"

#include <gtest/gtest.h>

namespace halo::testresults {
namespace {

TEST(JunitTime, PlainSecondsAreReadAsWritten) {
  EXPECT_DOUBLE_EQ(parse_junit_time("0.001"), 0.001);
  EXPECT_DOUBLE_EQ(parse_junit_time("12"), 12);
  EXPECT_DOUBLE_EQ(parse_junit_time(" 1.5 "), 1.5);
  EXPECT_DOUBLE_EQ(parse_junit_time("1e-3"), 0.001);
  EXPECT_DOUBLE_EQ(parse_junit_time("+2.5"), 2.5);
}

TEST(JunitTime, SurefireThousandsSeparatorsAreDropped) {
  EXPECT_DOUBLE_EQ(parse_junit_time("1,234.5"), 1234.5);
  EXPECT_DOUBLE_EQ(parse_junit_time("1,234"), 1234);
  EXPECT_DOUBLE_EQ(parse_junit_time("1,234,567.25"), 1234567.25);
}

TEST(JunitTime, ADecimalCommaIsReadAsADecimalPoint) {
  EXPECT_DOUBLE_EQ(parse_junit_time("0,25"), 0.25);
  EXPECT_DOUBLE_EQ(parse_junit_time("12,5"), 12.5);
  // Three digits after the comma would read as thousands, but a zero integer part cannot be.
  EXPECT_DOUBLE_EQ(parse_junit_time("0,123"), 0.123);
}

TEST(JunitTime, AnythingUnusableCountsAsZero) {
  EXPECT_EQ(parse_junit_time(""), 0);
  EXPECT_EQ(parse_junit_time("   "), 0);
  EXPECT_EQ(parse_junit_time("NaN"), 0);
  EXPECT_EQ(parse_junit_time("nan"), 0);
  EXPECT_EQ(parse_junit_time("inf"), 0);
  EXPECT_EQ(parse_junit_time("-1.5"), 0);
  EXPECT_EQ(parse_junit_time("fast"), 0);
  EXPECT_EQ(parse_junit_time("1e400"), 0);
}

TEST(JunitTime, AUnitAfterTheNumberKeepsTheNumber) {
  EXPECT_DOUBLE_EQ(parse_junit_time("0.5s"), 0.5);
}

}  // namespace
}  // namespace halo::testresults
