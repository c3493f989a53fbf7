#include "api/rest/validation.h"

#include <algorithm>

#include "common/error.h"

namespace halo::rest {

std::string required_string(const json& body, const std::string& field, size_t max_len) {
  if (!body.contains(field) || !body[field].is_string())
    throw bad_request(field + " is required and must be a string");
  std::string v = body[field];
  if (v.empty()) throw bad_request(field + " must not be empty");
  if (v.size() > max_len)
    throw bad_request(field + " must be at most " + std::to_string(max_len) + " characters");
  return v;
}

void check_env_var_name(const std::string& name, const std::string& field) {
  bool ok = !name.empty() && name.size() <= 256 &&
            (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!ok)
    throw bad_request(field +
                      " must be a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
}

void check_name(const std::string& value, const std::string& field, size_t max_len) {
  if (value.empty() || value.size() > max_len)
    throw bad_request(field + " must be 1 to " + std::to_string(max_len) + " characters");
  for (unsigned char c : value)
    if (c < 0x20 || c == 0x7f) throw bad_request(field + " must not contain control characters");
}

int64_t parse_int_param(const std::string& text, const std::string& what, int64_t min) {
  try {
    size_t used = 0;
    int64_t n = std::stoll(text, &used);
    if (used == text.size() && n >= min) return n;
  } catch (const std::logic_error&) {
  }
  throw bad_request(what +
                    (min > 0 ? " must be a positive integer" : " must be a non-negative integer"));
}

bool optional_bool(const json& body, const std::string& field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return false;
  if (!it->is_boolean()) throw bad_request("Field '" + field + "' must be true or false");
  return it->get<bool>();
}

std::vector<std::string> optional_strings(const json& body, const std::string& field) {
  std::vector<std::string> out;
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) throw bad_request("Field '" + field + "' must be an array of strings");
  for (const auto& v : *it) {
    if (!v.is_string()) throw bad_request("Field '" + field + "' must be an array of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

void allow_only(const json& body, std::initializer_list<const char*> keys) {
  for (auto& [k, v] : body.items()) {
    if (std::none_of(keys.begin(), keys.end(), [&](const char* a) { return k == a; }))
      throw bad_request("Unexpected field '" + k + "'");
  }
}

}  // namespace halo::rest
