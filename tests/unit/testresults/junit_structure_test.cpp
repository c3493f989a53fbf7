// How the report's structure maps to test cases: nesting, inheritance, order and the
// precedence of outcomes, on small inline documents.
#include <gtest/gtest.h>

#include "testresults/junit_parser.h"
#include "testresults_test_util.h"

namespace halo::testresults {
namespace {

std::vector<TestCase> parse_ok(std::string_view xml, const ParseOptions& options = {}) {
  ParseResult r = parse_junit(xml, options);
  EXPECT_TRUE(r.ok()) << r.error->message;
  return r.tests;
}

TEST(JunitStructure, CasesComeInDocumentOrderAcrossNestedSuites) {
  auto tests = parse_ok(R"(<testsuites>
    <testsuite name="outer"><testcase name="a"/>
      <testsuite name="inner"><testcase name="b"/><testsuites><testsuite><testcase name="c"/></testsuite></testsuites></testsuite>
      <testcase name="d"/>
    </testsuite>
    <testsuite name="next"><testcase name="e"/></testsuite>
  </testsuites>)");
  std::vector<std::string> names;
  for (const auto& t : tests) names.push_back(t.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  // Without a classname, a case takes its nearest named suite's name.
  EXPECT_EQ(tests[0].classname, "outer");
  EXPECT_EQ(tests[1].classname, "inner");
  EXPECT_EQ(tests[2].classname, "inner");
  EXPECT_EQ(tests[3].classname, "outer");
}

TEST(JunitStructure, TheNearestFileWinsAndTheCasesOwnFileBeatsAnySuite) {
  auto tests = parse_ok(R"(<testsuites file="root.js">
    <testsuite file="./outer.js"><testcase name="a"/>
      <testsuite><testcase name="b"/><testcase name="c" file="own.js"/></testsuite>
      <testsuite file="inner.js"><testcase name="d"/></testsuite>
    </testsuite>
    <testsuite><testcase name="e"/></testsuite>
  </testsuites>)");
  ASSERT_EQ(tests.size(), 5u);
  EXPECT_EQ(tests[0].file, "outer.js");
  EXPECT_EQ(tests[1].file, "outer.js");
  EXPECT_EQ(tests[2].file, "own.js");
  EXPECT_EQ(tests[3].file, "inner.js");
  EXPECT_EQ(tests[4].file, "root.js");
}

TEST(JunitStructure, AFailureOutranksASkipAndSeveralFailuresAreAllKept) {
  auto tests = parse_ok(R"(<testsuite>
    <testcase name="both"><skipped message="later"/><error message="boom"/></testcase>
    <testcase name="twice"><failure message="first"/><failure>second body</failure></testcase>
    <testcase name="silent"><failure/></testcase>
  </testsuite>)");
  ASSERT_EQ(tests.size(), 3u);
  EXPECT_EQ(tests[0].result, TestResult::Failure);
  EXPECT_EQ(tests[0].message, "boom");
  EXPECT_EQ(tests[1].message, "first\n\nsecond body");
  // A failure with no text at all has no message, like a pass.
  EXPECT_EQ(tests[2].result, TestResult::Failure);
  EXPECT_EQ(tests[2].message, std::nullopt);
}

TEST(JunitStructure, ABodySplitAcrossCdataSectionsIsJoined) {
  auto tests = parse_ok(
      "<testsuite><testcase name=\"x\"><failure><![CDATA[a ]]]]><![CDATA[> b]]> tail</failure>"
      "<system-out>one</system-out><system-out>two</system-out></testcase></testsuite>");
  ASSERT_EQ(tests.size(), 1u);
  EXPECT_EQ(tests[0].message, "a ]]> b tail");
  EXPECT_EQ(tests[0].system_out, "onetwo");
}

TEST(JunitStructure, BlankSystemOutIsAbsentAndACaseWithoutAttributesIsStillACase) {
  auto tests = parse_ok(
      "<testsuite name=\"s\"><testcase><system-out>\n  </system-out></testcase></testsuite>");
  ASSERT_EQ(tests.size(), 1u);
  EXPECT_EQ(tests[0].name, "");
  EXPECT_EQ(tests[0].classname, "s");
  EXPECT_EQ(tests[0].run_time, 0);
  EXPECT_EQ(tests[0].system_out, std::nullopt);
  EXPECT_EQ(tests[0].result, TestResult::Success);
}

TEST(JunitStructure, AnEmptySuiteIsAValidReportWithNoTests) {
  ParseResult r = parse_junit("<?xml version=\"1.0\"?>\n<testsuites/>");
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.tests.empty());
}

TEST(JunitStructure, TheSourceOptionIsWrittenIntoEveryCase) {
  ParseOptions options;
  options.source = "jest";
  auto tests =
      parse_ok("<testsuite><testcase name=\"a\"/><testcase name=\"b\"/></testsuite>", options);
  for (const auto& t : tests) EXPECT_EQ(t.source, "jest");
}

TEST(JunitStructure, AByteOrderMarkAndWindowsLineEndsAreAccepted) {
  auto tests = parse_ok(
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<testsuite>\r\n"
      "<testcase name=\"caf\xC3\xA9\"><failure>line1\r\nline2</failure></testcase>\r\n"
      "</testsuite>\r\n");
  ASSERT_EQ(tests.size(), 1u);
  EXPECT_EQ(tests[0].name, "caf\xC3\xA9");
  EXPECT_EQ(tests[0].message, "line1\nline2");
}

}  // namespace
}  // namespace halo::testresults
