// Finds the JUnit reports that `store_test_results` collects from its `path`: the path
// itself when it is a file, else every *.xml file below it, searched recursively by
// CircleCI's rules (hidden files and directories are ignored; a report's "source" is the
// name of the subdirectory of the path it sits in, e.g. test-results/rspec/a.xml -> rspec).
//
// Nothing outside the root is ever returned: a symbolic link to a file is followed only
// when its target lies inside the root, and linked directories are not entered at all
// (this also rules out link loops). The walk never throws.
#pragma once
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace halo::testresults {

struct ResultFile {
  // The file to read: its real location (links resolved), always inside the root.
  std::filesystem::path path;
  // Where it was found, relative to the root, '/'-separated ("rspec/a.xml"); for a root
  // that is itself a file, that file's name.
  std::string relative;
  // The first directory of `relative` ("rspec"), or "unknown" for a file directly in the
  // root or a root that is a file.
  std::string source;
};

struct FindOptions {
  std::size_t max_files = 10000;  // more are left out with a warning
};

struct FindResult {
  std::vector<ResultFile> files;  // sorted by `relative`
  // Set when nothing could be searched: the root does not exist or cannot be read.
  std::optional<std::string> error;
  // Things left out, each a sentence for the step output (a link leaving the root, an
  // unreadable directory, the file limit).
  std::vector<std::string> warnings;
};

FindResult find_result_files(const std::filesystem::path& root, const FindOptions& options = {});

}  // namespace halo::testresults
