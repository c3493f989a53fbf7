// Reports a user can break: malformed, oversized, hostile or not JUnit at all. Each gives an
// error with a message a person can act on; none throws or crashes.
#include <sys/stat.h>

#include <gtest/gtest.h>
#include <fstream>

#include "support/test_env.h"
#include "testresults/junit_parser.h"
#include "testresults_test_util.h"

namespace halo::testresults {
namespace {

std::string read_fixture(const std::string& name) {
  std::ifstream in(fixture(name), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(JunitBadInput, MalformedXmlSaysWhereItBroke) {
  ParseResult r = parse_junit("<testsuite>\n  <testcase name=\"a\">\n  </testsuite>\n");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.tests.empty());
  EXPECT_EQ(r.error->line, 3u);
  EXPECT_GT(r.error->column, 0u);
  EXPECT_TRUE(starts_with(r.error->message, "malformed XML at line 3, column "))
      << r.error->message;
}

TEST(JunitBadInput, ATruncatedReportIsAnErrorNotAPartialResult) {
  std::string full = read_fixture("pytest.xml");
  ParseResult r = parse_junit(std::string_view(full).substr(0, full.size() / 2));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.tests.empty());
  EXPECT_GT(r.error->line, 1u);
}

TEST(JunitBadInput, EveryPrefixOfARealReportParsesOrFailsCleanly) {
  for (const char* name : {"surefire.xml", "rspec.xml"}) {
    std::string full = read_fixture(name);
    ASSERT_FALSE(full.empty());
    for (std::size_t n = 0; n < full.size(); ++n) {
      ParseResult r = parse_junit(std::string_view(full).substr(0, n));
      if (!r.ok()) {
        EXPECT_FALSE(r.error->message.empty());
      }
    }
    EXPECT_TRUE(parse_junit(full).ok()) << name;
  }
}

TEST(JunitBadInput, DocumentsThatAreNotJunitNameTheirRootElement) {
  ParseResult html = parse_junit("<html><body>502 Bad Gateway</body></html>");
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.error->message,
            "not a JUnit report: the root element is <html>, expected <testsuites> or <testsuite>");
  EXPECT_EQ(html.error->line, 0u);

  EXPECT_FALSE(parse_junit("").ok());
  EXPECT_FALSE(parse_junit(" \n ").ok());
  EXPECT_FALSE(parse_junit("plain text, not XML").ok());
  EXPECT_FALSE(parse_junit(std::string("\0\x01\xff<", 4)).ok());
}

TEST(JunitBadInput, InputOverTheLimitIsRefusedBeforeParsing) {
  ParseOptions options;
  options.max_bytes = 64;
  std::string big = "<testsuite>" + std::string(100, ' ') + "</testsuite>";
  ParseResult r = parse_junit(big, options);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(contains(r.error->message, "more than the limit")) << r.error->message;

  test::TempDir dir;
  auto path = dir.path() / "big.xml";
  std::ofstream(path) << big;
  ParseResult from_file = parse_junit_file(path, options);
  ASSERT_FALSE(from_file.ok());
  EXPECT_TRUE(starts_with(from_file.error->message, path.string() + ": test results are "));

  options.max_bytes = big.size();
  EXPECT_TRUE(parse_junit_file(path, options).ok());
}

TEST(JunitBadInput, SuitesNestedVeryDeeplyDoNotExhaustTheStack) {
  const int depth = 100000;
  std::string xml;
  for (int i = 0; i < depth; ++i) xml += "<testsuite>";
  xml += "<testcase name=\"deep\" file=\"d.js\"/>";
  for (int i = 0; i < depth; ++i) xml += "</testsuite>";
  ParseResult r = parse_junit(xml);
  ASSERT_TRUE(r.ok()) << r.error->message;
  ASSERT_EQ(r.tests.size(), 1u);
  EXPECT_EQ(r.tests[0].file, "d.js");
}

TEST(JunitBadInput, EntitiesAreNeitherExpandedNorLoaded) {
  // A "billion laughs" and an external entity: neither may grow the input or read a file.
  ParseResult r = parse_junit(R"(<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<testsuite><testcase name="&lol3;"><failure>&xxe;</failure></testcase></testsuite>)");
  ASSERT_TRUE(r.ok()) << r.error->message;
  ASSERT_EQ(r.tests.size(), 1u);
  EXPECT_LT(r.tests[0].name.size(), 16u);
  EXPECT_FALSE(contains(r.tests[0].message.value_or(""), "root:"));
}

TEST(JunitBadInput, FilesThatCannotBeReadAreErrorsNamingTheFile) {
  test::TempDir dir;
  ParseResult missing = parse_junit_file(dir.path() / "nope.xml");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(contains(missing.error->message, "nope.xml: cannot open"));

  ParseResult directory = parse_junit_file(dir.path());
  ASSERT_FALSE(directory.ok());
  EXPECT_TRUE(contains(directory.error->message, "not a regular file"));

  // A FIFO nobody writes to would block a plain read forever.
  auto fifo = dir.path() / "pipe.xml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ParseResult pipe = parse_junit_file(fifo);
  ASSERT_FALSE(pipe.ok());
  EXPECT_TRUE(contains(pipe.error->message, "not a regular file"));
}

}  // namespace
}  // namespace halo::testresults
