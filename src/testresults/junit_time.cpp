#include "testresults/junit_time.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace halo::testresults {
namespace {

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

// Rewrites the commas of `s` into what std::from_chars reads, by the rules in the header.
std::string normalise_commas(std::string_view s) {
  auto commas = std::count(s.begin(), s.end(), ',');
  if (commas == 0) return std::string(s);
  bool decimal_comma = false;
  if (s.find('.') == std::string_view::npos && commas == 1) {
    auto at = s.find(',');
    std::string_view before = s.substr(0, at), after = s.substr(at + 1);
    bool zero_int = before == "0" || before == "-0" || before == "+0";
    decimal_comma = after.size() != 3 || zero_int;
  }
  std::string out;
  for (char c : s) {
    if (c != ',') {
      out += c;
    } else if (decimal_comma) {
      out += '.';
    }
  }
  return out;
}

}  // namespace

double parse_junit_time(std::string_view text) {
  std::string s = normalise_commas(trim(text));
  if (!s.empty() && s[0] == '+') s.erase(0, 1);
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  // Trailing junk ("0.5s") still yields the number read: tools append units rarely, and the
  // leading number is the best guess. An unreadable prefix yields 0.
  if (ec != std::errc() || end == s.data()) return 0;
  if (!std::isfinite(value) || value < 0) return 0;
  return value;
}

}  // namespace halo::testresults
