// A GraphQL error as the spec's section 7.1.2 shapes it: a message, the source locations it
// refers to and, for field errors, the response path. Every stage (parser, limits, validation,
// execution) reports failures as values of this type, never by throwing to the caller.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace halo::graphql {

// Results keep the order in which the query selected fields (spec 7.2.2).
using Json = nlohmann::ordered_json;

// 1-based line and column of a character in the source; columns count Unicode code points.
struct Location {
  uint32_t line = 0;
  uint32_t column = 0;
  bool operator==(const Location&) const = default;
};

struct Error {
  std::string message;
  std::vector<Location> locations;
  Json path;  // null, or an array of response keys (strings) and list indexes (numbers)

  // {"message", "locations"?, "path"?} in the order the spec lists them.
  Json to_json() const;
};

// Serializes errors for the response's "errors" entry.
Json errors_to_json(const std::vector<Error>& errors);

}  // namespace halo::graphql
