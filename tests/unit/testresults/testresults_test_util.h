// Helpers the test-results tests share: where the dialect fixtures live and how to pick
// one test case out of a parsed report.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testresults/junit_parser.h"

namespace halo::testresults {

inline std::string fixture(const std::string& name) {
  return std::string(HALO_TESTRESULTS_FIXTURES) + "/" + name;
}

// `text` begins with / holds `part`; on failure the message shows the whole text.
inline ::testing::AssertionResult starts_with(const std::string& text, const std::string& part) {
  if (text.rfind(part, 0) == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << text << "\" does not start with \"" << part << "\"";
}
inline ::testing::AssertionResult contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

// Parses a fixture file, failing the test when the parser reports an error.
inline std::vector<TestCase> parse_fixture(const std::string& name, ParseOptions options = {}) {
  ParseResult r = parse_junit_file(fixture(name), options);
  EXPECT_TRUE(r.ok()) << r.error->message;
  return r.tests;
}

// The case called `name`; a default TestCase (and a test failure) when there is none.
inline TestCase by_name(const std::vector<TestCase>& tests, const std::string& name) {
  for (const TestCase& t : tests) {
    if (t.name == name) return t;
  }
  ADD_FAILURE() << "no test case named " << name;
  return {};
}

}  // namespace halo::testresults
