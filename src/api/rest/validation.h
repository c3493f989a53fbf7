// Checks on user-supplied fields shared by handlers; each throws ApiError 400 naming the field.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "common/json.h"

namespace halo::rest {

// A required string field of `body`, 1..max_len characters.
std::string required_string(const json& body, const std::string& field, size_t max_len = 255);
// An environment variable name: [A-Za-z_][A-Za-z0-9_]*, at most 256 characters.
void check_env_var_name(const std::string& name, const std::string& field = "name");
// A context or user name: printable, 1..max_len characters.
void check_name(const std::string& value, const std::string& field, size_t max_len = 255);
// A path or query parameter that must be an integer >= min; 400 naming `what` otherwise.
int64_t parse_int_param(const std::string& text, const std::string& what, int64_t min);
// An optional boolean field of `body`: false when absent or null.
bool optional_bool(const json& body, const std::string& field);
// An optional array of strings: empty when absent or null.
std::vector<std::string> optional_strings(const json& body, const std::string& field);
// Only the listed keys may appear in `body`.
void allow_only(const json& body, std::initializer_list<const char*> keys);

}  // namespace halo::rest
