// A `circleci tests glob` pattern, matched against '/'-separated paths as CircleCI
// documents: `*` any run of characters but '/', `**` (a whole segment) any number of
// directories including none, `?` one character but '/', `[abc]`, `[a-z]` and `[!a]` one
// character from (or not from) a set, `{foo,bar}` any of the alternatives (nested braces
// allowed), and `\` making the next character literal. Dot files are matched like any other.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::testsplit {

class GlobPattern {
 public:
  // Brace alternatives beyond this many are refused (`{a,b}` twenty times is a million).
  static constexpr std::size_t kMaxAlternatives = 1024;

  // The compiled pattern, or nullopt with `error` set when the braces expand to more than
  // kMaxAlternatives patterns. Unbalanced brackets and braces are read as literal text.
  static std::optional<GlobPattern> compile(std::string_view pattern, std::string* error = nullptr);

  // True when the whole of `path` matches. A leading "./" on either side is ignored.
  bool matches(std::string_view path) const;

  // True when some path below `dir` (a directory, relative like the pattern) could match,
  // so a directory walk may skip any directory for which this is false.
  bool may_match_below(std::string_view dir) const;

  // The brace-free patterns this one stands for, in the order written.
  const std::vector<std::string>& alternatives() const { return alternatives_; }

 private:
  std::vector<std::string> alternatives_;
};

// `pattern` with its braces expanded ("a/{b,c{d,e}}" -> "a/b", "a/cd", "a/ce"); nullopt
// when that would give more than `limit` patterns.
std::optional<std::vector<std::string>> expand_braces(std::string_view pattern, std::size_t limit);

// True when `segment` (no '/') matches the brace-free pattern segment `pattern`.
bool segment_matches(std::string_view pattern, std::string_view segment);

}  // namespace halo::testsplit
