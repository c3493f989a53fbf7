#include "testsplit/timings.h"

#include <array>

namespace halo::testsplit {

std::optional<TimingsType> parse_timings_type(std::string_view s) {
  for (TimingsType t : {TimingsType::Filename, TimingsType::Classname, TimingsType::Testname}) {
    if (timings_type_string(t) == s) return t;
  }
  return std::nullopt;
}

std::string_view timings_type_string(TimingsType t) {
  switch (t) {
    case TimingsType::Filename:
      return "filename";
    case TimingsType::Classname:
      return "classname";
    case TimingsType::Testname:
      return "testname";
  }
  return "filename";
}

namespace {

bool looks_like_path(std::string_view item) {
  if (item.find('/') != std::string_view::npos) return true;
  static constexpr std::array<std::string_view, 24> kExtensions = {
      ".rb", ".py",    ".js", ".jsx",   ".ts",  ".tsx", ".mjs", ".cjs",
      ".go", ".java",  ".kt", ".scala", ".php", ".ex",  ".exs", ".feature",
      ".cs", ".swift", ".rs", ".c",     ".cc",  ".cpp", ".m",   ".dart"};
  for (std::string_view ext : kExtensions) {
    if (item.size() > ext.size() && item.substr(item.size() - ext.size()) == ext) return true;
  }
  return false;
}

}  // namespace

TimingsType detect_timings_type(const std::vector<std::string>& items) {
  std::size_t paths = 0, others = 0;
  for (const std::string& item : items) {
    if (item.empty()) continue;
    (looks_like_path(item) ? paths : others) += 1;
  }
  return paths >= others ? TimingsType::Filename : TimingsType::Classname;
}

std::string timing_key(std::string_view item) {
  while (item.size() >= 2 && item.substr(0, 2) == "./") item.remove_prefix(2);
  return std::string(item);
}

std::map<std::string, double> timings_from_results(
    const std::vector<testresults::TestCase>& results, TimingsType type) {
  std::map<std::string, double> out;
  for (const testresults::TestCase& t : results) {
    std::string key;
    switch (type) {
      case TimingsType::Filename:
        key = timing_key(t.file);
        break;
      case TimingsType::Classname:
        key = t.classname;
        break;
      case TimingsType::Testname:
        key = t.name;
        break;
    }
    if (!key.empty()) out[key] += t.run_time;
  }
  return out;
}

}  // namespace halo::testsplit
