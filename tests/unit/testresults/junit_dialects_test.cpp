// Reports as real tools write them (fixtures/*.xml, one per tool) read into the fields
// CircleCI's tests API shows.
#include <gtest/gtest.h>

#include "testresults/junit_parser.h"
#include "testresults_test_util.h"

namespace halo::testresults {
namespace {

TEST(PytestReport, PassFailSkipAndSetupErrorWithFileAndOutput) {
  auto tests = parse_fixture("pytest.xml");
  ASSERT_EQ(tests.size(), 5u);

  TestCase add = by_name(tests, "test_add");
  EXPECT_EQ(add.classname, "tests.test_math");
  EXPECT_EQ(add.file, "tests/test_math.py");
  EXPECT_EQ(add.result, TestResult::Success);
  EXPECT_EQ(add.message, std::nullopt);
  EXPECT_DOUBLE_EQ(add.run_time, 0.001);
  EXPECT_EQ(add.source, "unknown");

  // pytest repeats the message inside the body: the body alone says it all.
  TestCase divide = by_name(tests, "test_divide");
  EXPECT_EQ(divide.result, TestResult::Failure);
  ASSERT_TRUE(divide.message);
  EXPECT_TRUE(starts_with(divide.message.value_or(""),
                          "def test_divide():\n>       assert divide(1, 2) == 2"));
  EXPECT_TRUE(contains(divide.message.value_or(""), "tests/test_math.py:9: AssertionError"));
  EXPECT_EQ(divide.message->find("assert 0.5 == 2"), divide.message->rfind("assert 0.5 == 2"));

  TestCase skipped = by_name(tests, "test_sqrt_negative");
  EXPECT_EQ(skipped.result, TestResult::Skipped);
  EXPECT_EQ(skipped.message, "tests/test_math.py:12: needs complex numbers");

  // An <error> (a crash in a fixture) is a failure, its message attribute kept before the body.
  TestCase connect = by_name(tests, "test_connect");
  EXPECT_EQ(connect.result, TestResult::Failure);
  ASSERT_TRUE(connect.message);
  EXPECT_TRUE(starts_with(connect.message.value_or(""),
                          "failed on setup with \"ConnectionRefusedError: [Errno 111] Connection "
                          "refused\"\n@pytest.fixture"));

  TestCase query = by_name(tests, "test_query[select]");
  EXPECT_EQ(query.result, TestResult::Success);
  EXPECT_EQ(query.system_out, "connecting to localhost:5432\nquery ok\n");
  EXPECT_EQ(query.file, "tests/test_db.py");
}

TEST(JestJunitReport, AFailureWithABodyOnlyAndABareSkip) {
  auto tests = parse_fixture("jest-junit.xml");
  ASSERT_EQ(tests.size(), 4u);
  TestCase zero = by_name(tests, "Calculator divides by zero");
  EXPECT_EQ(zero.classname, "Calculator divides by zero");
  EXPECT_EQ(zero.file, "src/__tests__/calculator.test.js");
  EXPECT_EQ(zero.result, TestResult::Failure);
  ASSERT_TRUE(zero.message);
  EXPECT_TRUE(starts_with(zero.message.value_or(""),
                          "Error: expect(received).toThrow()\n\nReceived function"));
  EXPECT_TRUE(contains(zero.message.value_or(""), "task_queues:95:5)"));

  TestCase bigints = by_name(tests, "Calculator handles bigints");
  EXPECT_EQ(bigints.result, TestResult::Skipped);
  EXPECT_EQ(bigints.message, std::nullopt);
  EXPECT_EQ(bigints.run_time, 0);

  EXPECT_EQ(by_name(tests, "format pads numbers").file, "src/__tests__/format.test.js");
}

TEST(GoJunitReport, PackagesAreClassnamesAndSkipReasonsAreKept) {
  auto tests = parse_fixture("go-junit-report.xml");
  ASSERT_EQ(tests.size(), 4u);
  TestCase nested = by_name(tests, "TestParseNested");
  EXPECT_EQ(nested.classname, "github.com/acme/halo-demo/parser");
  EXPECT_EQ(nested.file, "");
  EXPECT_EQ(nested.result, TestResult::Failure);
  EXPECT_EQ(nested.message, "Failed\nparser_test.go:42: got 3 children, want 4");
  EXPECT_DOUBLE_EQ(nested.run_time, 0.010);

  TestCase huge = by_name(tests, "TestParseHuge");
  EXPECT_EQ(huge.result, TestResult::Skipped);
  EXPECT_EQ(huge.message, "parser_test.go:51: skipping in short mode");

  EXPECT_DOUBLE_EQ(by_name(tests, "TestLexer/unicode").run_time, 1.5);
  EXPECT_EQ(by_name(tests, "TestLexer/unicode").result, TestResult::Success);
}

TEST(GotestsumReport, TheTestOutputInTheBodyFollowsTheMessage) {
  auto tests = parse_fixture("gotestsum.xml");
  ASSERT_EQ(tests.size(), 3u);
  TestCase discount = by_name(tests, "TestDiscount");
  EXPECT_EQ(discount.result, TestResult::Failure);
  EXPECT_EQ(discount.message,
            "Failed\n=== RUN   TestDiscount\n    cart_test.go:31: discount = 5, want 10\n"
            "--- FAIL: TestDiscount (0.70s)");
  EXPECT_DOUBLE_EQ(discount.run_time, 0.7);
  TestCase race = by_name(tests, "TestRace");
  EXPECT_EQ(race.result, TestResult::Skipped);
  EXPECT_TRUE(contains(race.message.value_or(""), "cart_test.go:50: flaky on CI"));
}

TEST(SurefireReport, LocaleTimesRerunsFlakesAndCdataOutput) {
  auto tests = parse_fixture("surefire.xml");
  ASSERT_EQ(tests.size(), 5u);
  EXPECT_DOUBLE_EQ(by_name(tests, "totalsLines").run_time, 1017.25);

  TestCase rounds = by_name(tests, "roundsHalfEven");
  EXPECT_DOUBLE_EQ(rounds.run_time, 0.25);
  EXPECT_EQ(rounds.result, TestResult::Failure);
  // The rerun's stack is not the failure: only <failure> and <error> make the message.
  EXPECT_EQ(rounds.message,
            "org.opentest4j.AssertionFailedError: expected: <10.00> but was: <10.01>\n"
            "\tat com.acme.billing.InvoiceTest.roundsHalfEven(InvoiceTest.java:41)");
  EXPECT_EQ(rounds.system_out, "computing invoice 42\n");

  TestCase db = by_name(tests, "loadsFromDatabase");
  EXPECT_EQ(db.result, TestResult::Failure);
  EXPECT_TRUE(
      starts_with(db.message.value_or(""), "java.net.ConnectException: Connection refused"));

  TestCase pdf = by_name(tests, "exportsPdf");
  EXPECT_EQ(pdf.result, TestResult::Skipped);
  EXPECT_EQ(pdf.message, "PDF export disabled");

  // Failed once, passed on the rerun: Surefire counts it as passed (flaky), and so do we.
  TestCase email = by_name(tests, "sendsEmail");
  EXPECT_EQ(email.result, TestResult::Success);
  EXPECT_EQ(email.message, std::nullopt);
  EXPECT_EQ(email.classname, "com.acme.billing.InvoiceTest");
}

TEST(GradleReport, SuiteLevelOutputIsNotGivenToAnyOneTest) {
  auto tests = parse_fixture("gradle.xml");
  ASSERT_EQ(tests.size(), 3u);
  TestCase haversine = by_name(tests, "haversine(double, double)[2]");
  EXPECT_EQ(haversine.result, TestResult::Failure);
  EXPECT_EQ(haversine.classname, "org.acme.geo.DistanceTest");
  EXPECT_TRUE(
      starts_with(haversine.message.value_or(""),
                  "org.opentest4j.AssertionFailedError: expected: <343.5> but was: <343.6>\n"
                  "\tat app//org.acme.geo.DistanceTest.haversine"));
  EXPECT_EQ(by_name(tests, "antipodes()").result, TestResult::Skipped);
  for (const TestCase& t : tests) EXPECT_EQ(t.system_out, std::nullopt) << t.name;
}

TEST(RspecReport, DotSlashFilesAreNormalisedAndARepeatedMessageIsNotDuplicated) {
  auto tests = parse_fixture("rspec.xml");
  ASSERT_EQ(tests.size(), 3u);
  TestCase names = by_name(tests, "User normalizes names");
  EXPECT_EQ(names.file, "spec/models/user_spec.rb");
  EXPECT_EQ(names.classname, "spec.models.user_spec");
  EXPECT_EQ(names.result, TestResult::Failure);
  ASSERT_TRUE(names.message);
  // The message attribute is the body's middle, indented differently: the body alone.
  EXPECT_TRUE(
      starts_with(names.message.value_or(""), "Failure/Error: expect(user.name).to eq(\"Ada\")"));
  EXPECT_TRUE(contains(names.message.value_or(""),
                       "user_spec.rb:14:in `block (2 levels) in <top (required)>'"));
  EXPECT_EQ(names.message->find("(compared using ==)"),
            names.message->rfind("(compared using ==)"));
  EXPECT_EQ(by_name(tests, "Orders paginates").file, "spec/requests/orders_spec.rb");
  EXPECT_EQ(by_name(tests, "Orders paginates").result, TestResult::Skipped);
}

TEST(MochaReport, TheFileComesFromTheSuiteAndNaNTimesAreZero) {
  auto tests = parse_fixture("mocha.xml");
  ASSERT_EQ(tests.size(), 3u);
  for (const TestCase& t : tests) EXPECT_EQ(t.file, "test/cart.spec.js") << t.name;
  TestCase coupon = by_name(tests, "Cart applies a coupon");
  EXPECT_EQ(coupon.classname, "applies a coupon");
  EXPECT_EQ(coupon.result, TestResult::Failure);
  EXPECT_TRUE(starts_with(coupon.message.value_or(""),
                          "AssertionError: expected 90 to equal 80\n    at Context"));
  TestCase gift = by_name(tests, "Cart supports gift cards");
  EXPECT_EQ(gift.result, TestResult::Skipped);
  EXPECT_EQ(gift.run_time, 0);
}

TEST(PhpunitReport, NestedSuitesPassTheirFileDownAndAbsolutePathsBecomeRelative) {
  ParseOptions options;
  options.working_directory = "/home/circleci/project";
  options.source = "phpunit";
  auto tests = parse_fixture("phpunit-nested.xml", options);
  ASSERT_EQ(tests.size(), 3u);
  EXPECT_EQ(tests[0].name, "testLowercases");
  EXPECT_EQ(tests[1].name, "testStrips with data set #0");
  EXPECT_EQ(tests[2].name, "testStrips with data set #1");
  for (const TestCase& t : tests) {
    EXPECT_EQ(t.file, "tests/Unit/SlugTest.php") << t.name;
    EXPECT_EQ(t.classname, "Tests.Unit.SlugTest") << t.name;
    EXPECT_EQ(t.source, "phpunit") << t.name;
  }
  EXPECT_EQ(tests[2].result, TestResult::Failure);
  EXPECT_TRUE(
      contains(tests[2].message.value_or(""), "Failed asserting that two strings are identical."));

  // Without a working directory the path stays as the tool wrote it.
  auto absolute = parse_fixture("phpunit-nested.xml");
  EXPECT_EQ(absolute[0].file, "/home/circleci/project/tests/Unit/SlugTest.php");
}

}  // namespace
}  // namespace halo::testresults
