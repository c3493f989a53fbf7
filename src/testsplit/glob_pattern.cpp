#include "testsplit/glob_pattern.h"

namespace halo::testsplit {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// The index of the '}' closing the '{' at `open`, or npos; `commas` receives the positions
// of the commas at that brace's own level.
std::size_t closing_brace(std::string_view p, std::size_t open, std::vector<std::size_t>& commas) {
  int depth = 0;
  for (std::size_t i = open; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\') {
      ++i;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (--depth == 0) return i;
    } else if (c == ',' && depth == 1) {
      commas.push_back(i);
    }
  }
  return npos;
}

bool expand_into(std::string_view p, std::size_t limit, std::vector<std::string>& out) {
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\') {
      ++i;
      continue;
    }
    if (p[i] != '{') continue;
    std::vector<std::size_t> commas;
    std::size_t close = closing_brace(p, i, commas);
    if (close == npos)
      return expand_into(std::string(p.substr(0, i)) + "\\{" + std::string(p.substr(i + 1)), limit,
                         out);
    std::string_view prefix = p.substr(0, i), suffix = p.substr(close + 1);
    std::size_t start = i + 1;
    commas.push_back(close);
    for (std::size_t end : commas) {
      std::string alternative(prefix);
      alternative += p.substr(start, end - start);
      alternative += suffix;
      if (!expand_into(alternative, limit, out)) return false;
      start = end + 1;
    }
    return true;
  }
  if (out.size() >= limit) return false;
  out.emplace_back(p);
  return true;
}

// Matches one pattern character at p[pi] (a literal, '?', a class or an escape) against
// `c`; on a match sets `next` to the pattern position after it.
bool char_matches(std::string_view p, std::size_t pi, char c, std::size_t& next) {
  char pc = p[pi];
  if (pc == '?') {
    next = pi + 1;
    return true;
  }
  if (pc == '\\' && pi + 1 < p.size()) {
    next = pi + 2;
    return p[pi + 1] == c;
  }
  if (pc == '[') {
    std::size_t i = pi + 1;
    bool negated = i < p.size() && (p[i] == '!' || p[i] == '^');
    if (negated) ++i;
    std::size_t first = i;
    // A ']' right after "[" or "[!" is a member of the class, not its end.
    std::size_t close = first < p.size() ? p.find(']', first + 1) : npos;
    if (close != npos) {
      bool in = false;
      for (std::size_t k = first; k < close; ++k) {
        if (k + 2 < close && p[k + 1] == '-') {
          if (p[k] <= c && c <= p[k + 2]) in = true;
          k += 2;
        } else if (p[k] == c) {
          in = true;
        }
      }
      next = close + 1;
      return in != negated;
    }
    // No closing bracket: a literal '['.
  }
  next = pi + 1;
  return pc == c;
}

std::vector<std::string_view> split_segments(std::string_view path) {
  while (path.size() >= 2 && path.substr(0, 2) == "./") path.remove_prefix(2);
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == npos) slash = path.size();
    // Empty segments ("a//b", a trailing '/') say nothing; a leading one marks an absolute
    // path and is kept so that absolute and relative never match each other.
    if (slash > start || start == 0) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  if (out.size() == 1 && out[0].empty()) out.clear();
  return out;
}

// reach[i][j]: the first i pattern segments can consume exactly the first j path segments.
std::vector<std::vector<char>> reachability(const std::vector<std::string_view>& pat,
                                            const std::vector<std::string_view>& path) {
  std::size_t P = pat.size(), N = path.size();
  std::vector<std::vector<char>> reach(P + 1, std::vector<char>(N + 1, 0));
  reach[0][0] = 1;
  for (std::size_t i = 0; i <= P; ++i) {
    for (std::size_t j = 0; j <= N; ++j) {
      if (!reach[i][j] || i == P) continue;
      if (pat[i] == "**") {
        reach[i + 1][j] = 1;             // ** matching no directory
        if (j < N) reach[i][j + 1] = 1;  // ** taking one more
      } else if (j < N && segment_matches(pat[i], path[j])) {
        reach[i + 1][j + 1] = 1;
      }
    }
  }
  return reach;
}

}  // namespace

std::optional<std::vector<std::string>> expand_braces(std::string_view pattern, std::size_t limit) {
  std::vector<std::string> out;
  if (!expand_into(pattern, limit, out)) return std::nullopt;
  return out;
}

bool segment_matches(std::string_view p, std::string_view s) {
  std::size_t pi = 0, si = 0, star_p = npos, star_s = 0;
  while (si < s.size()) {
    if (pi < p.size()) {
      if (p[pi] == '*') {
        star_p = ++pi;
        star_s = si;
        continue;
      }
      std::size_t next = 0;
      if (char_matches(p, pi, s[si], next)) {
        pi = next;
        ++si;
        continue;
      }
    }
    // Mismatch: let the last '*' take one more character and try again from there.
    if (star_p == npos) return false;
    pi = star_p;
    si = ++star_s;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::optional<GlobPattern> GlobPattern::compile(std::string_view pattern, std::string* error) {
  auto alternatives = expand_braces(pattern, kMaxAlternatives);
  if (!alternatives) {
    if (error) {
      *error = "the pattern's braces expand to more than " + std::to_string(kMaxAlternatives) +
               " patterns";
    }
    return std::nullopt;
  }
  GlobPattern g;
  g.alternatives_ = std::move(*alternatives);
  return g;
}

bool GlobPattern::matches(std::string_view path) const {
  auto segments = split_segments(path);
  for (const std::string& alternative : alternatives_) {
    auto pat = split_segments(alternative);
    if (reachability(pat, segments)[pat.size()][segments.size()]) return true;
  }
  return false;
}

bool GlobPattern::may_match_below(std::string_view dir) const {
  auto segments = split_segments(dir);
  for (const std::string& alternative : alternatives_) {
    auto pat = split_segments(alternative);
    auto reach = reachability(pat, segments);
    for (std::size_t i = 0; i < pat.size(); ++i) {
      if (reach[i][segments.size()]) return true;
    }
  }
  return false;
}

}  // namespace halo::testsplit
