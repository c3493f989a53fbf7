#include "testresults/test_case.h"

namespace halo::testresults {

std::string_view result_string(TestResult r) {
  switch (r) {
    case TestResult::Success:
      return "success";
    case TestResult::Failure:
      return "failure";
    case TestResult::Skipped:
      return "skipped";
  }
  return "failure";
}

std::optional<TestResult> parse_result(std::string_view s) {
  for (TestResult r : {TestResult::Success, TestResult::Failure, TestResult::Skipped}) {
    if (result_string(r) == s) return r;
  }
  return std::nullopt;
}

}  // namespace halo::testresults
