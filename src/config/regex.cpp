#include "config/regex.h"

#include <cctype>
#include <unordered_map>

namespace halo::config {

namespace {
constexpr size_t kMaxPattern = 1000;
constexpr size_t kMaxValue = 1000;
constexpr double kMaxRepetition = 10000;
}  // namespace

namespace {

std::optional<std::regex> compile_uncached(const std::string& pattern, std::string& error) {
  if (pattern.size() > kMaxPattern) {
    error = "the pattern is too long";
    return std::nullopt;
  }
  // Bound the product of counted repetitions ({n}, {n,m}): a{1000}{1000} is a million states.
  double product = 1;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{' || (i > 0 && pattern[i - 1] == '\\')) continue;
    double biggest = 0;
    double cur = 0;
    size_t j = i + 1;
    for (; j < pattern.size() &&
           (std::isdigit(static_cast<unsigned char>(pattern[j])) || pattern[j] == ',');
         ++j) {
      if (pattern[j] == ',') {
        biggest = std::max(biggest, cur);
        cur = 0;
      } else {
        cur = cur * 10 + (pattern[j] - '0');
        if (cur > 1e9) cur = 1e9;
      }
    }
    biggest = std::max(biggest, cur);
    if (j < pattern.size() && pattern[j] == '}') product *= std::max(1.0, biggest);
    if (product > kMaxRepetition) {
      error = "the pattern's repetition counts are too large";
      return std::nullopt;
    }
  }
  try {
    return std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    error = e.what();
    return std::nullopt;
  }
}

// Configs repeat the same few patterns (branch filters on every job): building a std::regex
// costs far more than matching with it, and copies share the compiled automaton.
struct Compiled {
  std::optional<std::regex> re;
  std::string error;
};
constexpr size_t kCacheSize = 256;

}  // namespace

std::optional<std::regex> compile_regex(const std::string& pattern, std::string& error) {
  thread_local std::unordered_map<std::string, Compiled> cache;
  if (auto it = cache.find(pattern); it != cache.end()) {
    if (!it->second.re) error = it->second.error;
    return it->second.re;
  }
  Compiled c;
  c.re = compile_uncached(pattern, c.error);
  if (cache.size() >= kCacheSize) cache.clear();  // bounded: hostile configs may vary patterns
  if (!c.re) error = c.error;
  auto re = c.re;
  cache.emplace(pattern, std::move(c));
  return re;
}

bool full_match(const std::regex& re, const std::string& value) {
  if (value.size() > kMaxValue) return false;
  try {
    return std::regex_match(value, re);
  } catch (const std::regex_error&) {
    return false;  // complexity or stack limits inside std::regex
  }
}

}  // namespace halo::config
