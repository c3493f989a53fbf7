// Reads the `time` attribute of a JUnit <testcase>: seconds as the tools really write
// them. Some Maven Surefire versions format it with the build's locale, so "1,234.5"
// (thousands separator) and "0,25" (decimal comma) both occur in the wild.
#pragma once
#include <string_view>

namespace halo::testresults {

// Seconds for `text`; 0 when it is empty, not a number, negative, NaN or infinite, so one
// odd attribute never costs the rest of a report. Rules for commas:
//  - with a '.' as well, commas are thousands separators: "1,234.5" -> 1234.5;
//  - a single comma not followed by exactly three digits is a decimal comma: "0,25" -> 0.25;
//  - otherwise commas are thousands separators: "1,234" -> 1234, "1,234,567" -> 1234567,
//    except that "0,123" (a zero integer part) is a decimal comma -> 0.123.
double parse_junit_time(std::string_view text);

}  // namespace halo::testresults
