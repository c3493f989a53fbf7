// `circleci tests glob PATTERN...`: the files under a working directory that match any of
// the patterns (GlobPattern's syntax), one per line as the job's shell will read them.
#pragma once
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace halo::testsplit {

struct GlobOptions {
  // Directory entries looked at, over all patterns, before the walk stops with a warning:
  // `**` from a large root must not keep a step busy for minutes.
  std::size_t max_entries = 1'000'000;
};

struct GlobResult {
  // Regular files only (directories are never listed), sorted and without duplicates,
  // spelled as the pattern spells its directory part: "tests/**/*.py" gives "tests/a/b.py",
  // "./tests/*.py" gives "./tests/x.py", "/abs/*.py" gives absolute paths.
  std::vector<std::string> files;
  // Sentences for the step output: a pattern that could not be compiled, the entry limit.
  std::vector<std::string> warnings;
};

// Matches `patterns` against the tree under `working_directory`. Relative patterns are
// relative to it; absolute ones stand alone. Links to files are listed; links to
// directories are not entered (which also keeps link loops out). Never throws.
GlobResult glob_files(const std::vector<std::string>& patterns,
                      const std::filesystem::path& working_directory,
                      const GlobOptions& options = {});

}  // namespace halo::testsplit
