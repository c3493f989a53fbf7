// Timing data from stored test results, keyed as --timings-type says.
#include "testsplit/timings.h"

#include <gtest/gtest.h>

namespace halo::testsplit {
namespace {

using testresults::TestCase;

std::vector<TestCase> stored_results() {
  auto tc = [](std::string name, std::string classname, std::string file, double s) {
    TestCase t;
    t.name = std::move(name);
    t.classname = std::move(classname);
    t.file = std::move(file);
    t.run_time = s;
    return t;
  };
  return {tc("adds", "CalcTest", "./test/calc_test.rb", 1.5),
          tc("divides", "CalcTest", "test/calc_test.rb", 2.0),
          tc("formats", "FormatTest", "test/format_test.rb", 0.25),
          tc("adds", "OtherTest", "", 4.0)};
}

TEST(Timings, FilenameTimingsAddUpEveryTestOfAFile) {
  auto t = timings_from_results(stored_results(), TimingsType::Filename);
  EXPECT_EQ(t, (std::map<std::string, double>{{"test/calc_test.rb", 3.5},
                                              {"test/format_test.rb", 0.25}}));
}

TEST(Timings, ClassnameAndTestnameTimingsAreKeyedByThoseFields) {
  EXPECT_EQ(
      timings_from_results(stored_results(), TimingsType::Classname),
      (std::map<std::string, double>{{"CalcTest", 3.5}, {"FormatTest", 0.25}, {"OtherTest", 4}}));
  EXPECT_EQ(timings_from_results(stored_results(), TimingsType::Testname),
            (std::map<std::string, double>{{"adds", 5.5}, {"divides", 2}, {"formats", 0.25}}));
}

TEST(Timings, PathsMeanFilenameTimingsAndDottedNamesMeanClassname) {
  EXPECT_EQ(detect_timings_type({"spec/a_spec.rb", "spec/b_spec.rb"}), TimingsType::Filename);
  EXPECT_EQ(detect_timings_type({"test_calc.py"}), TimingsType::Filename);
  EXPECT_EQ(detect_timings_type({"com.acme.CalcTest", "com.acme.FormatTest"}),
            TimingsType::Classname);
  EXPECT_EQ(detect_timings_type({"com.acme.CalcTest", "com.acme.FormatTest", "odd/one.java"}),
            TimingsType::Classname);
}

TEST(Timings, TheFlagValuesReadBack) {
  for (TimingsType t : {TimingsType::Filename, TimingsType::Classname, TimingsType::Testname}) {
    EXPECT_EQ(parse_timings_type(timings_type_string(t)), t);
  }
  EXPECT_FALSE(parse_timings_type("file"));
  EXPECT_EQ(timing_key("././a/b.rb"), "a/b.rb");
}

}  // namespace
}  // namespace halo::testsplit
