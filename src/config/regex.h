// Full-match regular expressions for filters and `matches` conditions, guarded against
// patterns that would make std::regex blow up.
#pragma once
#include <optional>
#include <regex>
#include <string>

namespace halo::config {

// Compiles a pattern (Java syntax is mostly ECMAScript); nullopt with `error` set when the
// pattern is invalid or too costly (std::regex expands counted repetitions into states).
std::optional<std::regex> compile_regex(const std::string& pattern, std::string& error);

// True when `re` matches the whole of `value`. Overlong values never match: std::regex
// recurses per character and would overflow the stack.
bool full_match(const std::regex& re, const std::string& value);

}  // namespace halo::config
