// One test case as CircleCI reports it (`GET /project/{slug}/{job-number}/tests`): the
// fields of the API's TestsResponse items, plus the test's own system-out, which the API
// does not return but the step output and insights may show.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace halo::testresults {

// CircleCI knows three results; JUnit's <error> (a test that crashed rather than failed an
// assertion) is reported as a failure, as CircleCI does.
enum class TestResult { Success, Failure, Skipped };

// "success", "failure" or "skipped": the API's spelling, written in this one place.
std::string_view result_string(TestResult r);
std::optional<TestResult> parse_result(std::string_view s);

struct TestCase {
  std::string name;
  std::string classname;
  std::string file;  // as the tool wrote it, without a leading "./"; empty when unknown
  TestResult result = TestResult::Success;
  // The failure or error text (message attribute and body), or the reason a test was
  // skipped; nullopt for a test that passed, as the API's null.
  std::optional<std::string> message;
  double run_time = 0;                    // seconds, never negative
  std::string source;                     // which tool wrote the file, "unknown" when not known
  std::optional<std::string> system_out;  // the testcase's <system-out>, when present
};

}  // namespace halo::testresults
