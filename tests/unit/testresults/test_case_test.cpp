// The result vocabulary: the API's three spellings, one conversion each way.
#include "testresults/test_case.h"

#include <gtest/gtest.h>

namespace halo::testresults {
namespace {

TEST(TestResultStrings, EachResultHasTheApiSpellingAndReadsBack) {
  EXPECT_EQ(result_string(TestResult::Success), "success");
  EXPECT_EQ(result_string(TestResult::Failure), "failure");
  EXPECT_EQ(result_string(TestResult::Skipped), "skipped");
  for (TestResult r : {TestResult::Success, TestResult::Failure, TestResult::Skipped}) {
    EXPECT_EQ(parse_result(result_string(r)), r);
  }
  EXPECT_FALSE(parse_result("error"));
  EXPECT_FALSE(parse_result("Success"));
  EXPECT_FALSE(parse_result(""));
}

}  // namespace
}  // namespace halo::testresults
