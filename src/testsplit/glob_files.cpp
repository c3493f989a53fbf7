#include "testsplit/glob_files.h"

#include <algorithm>
#include <set>

#include "testsplit/glob_pattern.h"

namespace halo::testsplit {
namespace fs = std::filesystem;
namespace {

bool has_magic(std::string_view segment) {
  return segment.find_first_of("*?[\\{") != std::string_view::npos;
}

// The leading segments of a brace-free pattern that hold no wildcard: where its walk starts.
std::string literal_prefix(const std::string& pattern) {
  std::string prefix;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = pattern.find('/', start);
    if (slash == std::string::npos) break;  // the last segment names files, never a start
    std::string_view segment(pattern.data() + start, slash - start);
    if (has_magic(segment)) break;
    prefix = pattern.substr(0, slash);
    start = slash + 1;
  }
  if (prefix.empty() && !pattern.empty() && pattern[0] == '/') prefix = "/";
  return prefix;
}

std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

struct Walk {
  const GlobPattern& pattern;
  const fs::path& working_directory;
  std::size_t& budget;
  std::set<std::string>& found;
  bool exhausted = false;

  fs::path on_disk(const std::string& spelled) const {
    fs::path p(spelled);
    return p.is_absolute() ? p : working_directory / p;
  }

  void from(const std::string& start) {
    std::error_code ec;
    std::vector<std::string> pending{start};
    while (!pending.empty() && !exhausted) {
      std::string dir = std::move(pending.back());
      pending.pop_back();
      fs::path disk_dir = on_disk(dir.empty() ? "." : dir);
      for (fs::directory_iterator it(disk_dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (budget == 0) {
          exhausted = true;
          return;
        }
        --budget;
        std::string spelled = join(dir, it->path().filename().string());
        fs::file_status link = it->symlink_status(ec);
        if (ec) break;
        if (fs::is_directory(link)) {
          if (pattern.may_match_below(spelled)) pending.push_back(spelled);
        } else if (pattern.matches(spelled) && fs::is_regular_file(it->path(), ec)) {
          found.insert(spelled);
        }
        ec.clear();
      }
      ec.clear();
    }
  }
};

}  // namespace

GlobResult glob_files(const std::vector<std::string>& patterns, const fs::path& working_directory,
                      const GlobOptions& options) {
  GlobResult out;
  std::set<std::string> found;
  std::size_t budget = options.max_entries;
  for (const std::string& text : patterns) {
    std::string error;
    auto pattern = GlobPattern::compile(text, &error);
    if (!pattern) {
      out.warnings.push_back("\"" + text + "\": " + error);
      continue;
    }
    for (const std::string& alternative : pattern->alternatives()) {
      GlobPattern one = *GlobPattern::compile(alternative);  // brace-free: always compiles
      Walk walk{one, working_directory, budget, found};
      std::string start = literal_prefix(alternative);
      std::error_code ec;
      if (!start.empty() && !fs::is_directory(walk.on_disk(start), ec)) continue;
      walk.from(start);
      if (walk.exhausted) {
        out.warnings.push_back("looked at " + std::to_string(options.max_entries) +
                               " directory entries: the listing is incomplete");
        out.files.assign(found.begin(), found.end());
        return out;
      }
    }
  }
  out.files.assign(found.begin(), found.end());
  return out;
}

}  // namespace halo::testsplit
