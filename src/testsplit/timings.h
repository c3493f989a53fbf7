// Timing data for `circleci tests split --split-by=timings`: seconds per item, summed from
// the stored test results of earlier runs, keyed as `--timings-type` says.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "testresults/test_case.h"

namespace halo::testsplit {

enum class TimingsType {
  Filename,   // items are test files; keyed by each result's `file`
  Classname,  // items are classes; keyed by `classname`
  Testname,   // items are single tests; keyed by `name`
};

// "filename", "classname" or "testname" (the flag's values); nullopt for anything else.
std::optional<TimingsType> parse_timings_type(std::string_view s);
std::string_view timings_type_string(TimingsType t);

// What `circleci tests split` does without --timings-type: items that look like paths (a
// '/' or a file extension of a test language) mean filename timings, others classname.
// The majority decides, so one odd line does not change the reading of all the others.
TimingsType detect_timings_type(const std::vector<std::string>& items);

// Seconds per key: the run_time of every result with that key, added up (a file's time is
// the time of all its tests). Results with an empty key are left out. Filename keys lose a
// leading "./", as items do when they are looked up (see timing_key).
std::map<std::string, double> timings_from_results(
    const std::vector<testresults::TestCase>& results, TimingsType type);

// How an item is looked up in those timings: without a leading "./".
std::string timing_key(std::string_view item);

}  // namespace halo::testsplit
