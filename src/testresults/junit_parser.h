// Reads JUnit XML reports into CircleCI test cases. Accepts the dialects real tools write:
// pytest, jest-junit, go-junit-report and gotestsum, Maven Surefire, Gradle,
// rspec_junit_formatter, mocha-junit-reporter, PHPUnit's nested suites and others: a root
// <testsuites> or <testsuite>, suites nested in suites to any depth, <testcase> elements
// with <failure>, <error>, <skipped> (with or without a message) and <system-out>.
//
// Never throws and never trusts the input: malformed XML, a document that is not a JUnit
// report and an input over the size limit each give an error with a readable message.
// pugixml does not load external entities or DTDs, so a report cannot read other files.
#pragma once
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "testresults/test_case.h"

namespace halo::testresults {

struct ParseOptions {
  // Larger inputs are refused without being parsed (CircleCI stops at 250 MB of test data
  // per job; one report file is allowed this much).
  std::size_t max_bytes = 64 * 1024 * 1024;
  // Written into every TestCase::source.
  std::string source = "unknown";
  // When set, a `file` under this directory is made relative to it, so that tools that
  // write absolute paths (PHPUnit, some Gradle setups) give the names `circleci tests glob`
  // prints: "/home/circleci/project/tests/a.php" -> "tests/a.php".
  std::string working_directory;
};

struct ParseError {
  std::string message;     // what is wrong, with the position when there is one
  std::size_t line = 0;    // 1-based; 0 when the error has no position
  std::size_t column = 0;  // 1-based, in bytes; 0 when the error has no position
};

struct ParseResult {
  std::vector<TestCase> tests;  // in document order; empty when error is set
  std::optional<ParseError> error;
  bool ok() const { return !error; }
};

// Parses one report held in memory. Test cases come in document order.
//
// The fields of each TestCase, and where they come from:
//  - name, classname: the <testcase> attributes; a missing classname is taken from the
//    `class` attribute (PHPUnit) or else the name of the enclosing <testsuite>.
//  - file: the <testcase> `file` attribute, else the nearest enclosing <testsuite> that has
//    one (mocha, Cypress, PHPUnit, jest-junit with suite file attributes); a leading "./"
//    is dropped, as CircleCI does.
//  - result: failure when the testcase has a <failure> or <error> child, else skipped when
//    it has <skipped> (or is a Surefire `skipped` element by another name), else success.
//    Surefire's <flakyFailure>/<flakyError> alone mean the test passed on a rerun: success.
//  - message: for a failure, the message attribute and the body text of every <failure> and
//    <error> (the body alone when it already contains the message); for a skip, the reason.
//  - run_time: the `time` attribute read with parse_junit_time; 0 when absent.
ParseResult parse_junit(std::string_view xml, const ParseOptions& options = {});

// Reads and parses the report at `path`. Only a regular file is read (a FIFO or device is
// refused rather than blocking); symbolic links are followed, so callers that must confine
// reads to a directory pass paths from find_result_files. Errors name the file.
ParseResult parse_junit_file(const std::filesystem::path& path, const ParseOptions& options = {});

}  // namespace halo::testresults
