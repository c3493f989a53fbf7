// Reading the YAML document: nodes with their key paths and positions, map access that
// resolves merge keys, typed scalars, and the error sink that every compiler stage shares.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "config/compiler.h"
#include "config/yaml_tree.h"

namespace halo::config {

// A node together with the key path that led to it and its 1-based position.
struct At {
  yaml::Node node;
  std::string path;
  int line = 0;
  int column = 0;

  At() = default;
  // Takes the position from `node`'s mark, or from `fallback` when the node has none.
  At(yaml::Node node, std::string path, const At* fallback = nullptr);

  At child(std::string_view key, yaml::Node value) const;
  At item(size_t index, yaml::Node value) const;
  std::string child_path(std::string_view key) const;
};

// Collects errors. Errors are deduplicated because a job definition is compiled once per
// invocation, and capped so hostile input cannot make the list unbounded. It also holds
// the work budget: aliases let a small file describe an exponentially large tree.
class Diagnostics {
 public:
  void error(const At& at, std::string message);
  void error(std::string path, int line, int column, std::string message);
  // Something accepted but worth telling: a deprecated key that is ignored.
  void warning(const At& at, std::string message);
  // Charges `units` of work; false once the budget is spent (reported once).
  bool spend(const At& at, size_t units = 1);
  bool exhausted() const { return exhausted_; }
  size_t spent() const { return spent_; }
  size_t count() const { return errors_.size(); }
  const std::vector<ConfigError>& errors() const { return errors_; }
  const std::vector<ConfigError>& warnings() const { return warnings_; }

  static constexpr size_t kMaxErrors = 500;
  static constexpr size_t kBudget = 250'000;

 private:
  std::vector<ConfigError> errors_;
  std::vector<ConfigError> warnings_;
  std::set<std::string> seen_;
  size_t spent_ = 0;
  bool exhausted_ = false;
};

// One key/value pair of a map. `key` positions errors about the key itself.
struct Entry {
  std::string name;
  At key;
  At value;
};

// The pairs of a map in document order, with `<<` merge keys resolved (YAML parsers leave
// them as keys): explicit keys win over merged ones, earlier merge sources over later ones.
// Reports a non-map node (as "<what> must be a map") and non-scalar keys; of duplicate keys the
// last is kept, with a warning.
std::vector<Entry> entries(const At& map, Diagnostics& diag, std::string_view what);

// Looks up a key among entries (nullptr when absent).
const Entry* find(const std::vector<Entry>& es, std::string_view name);

// Reports every key not in `allowed` as unknown.
void reject_unknown_keys(const std::vector<Entry>& es,
                         std::initializer_list<std::string_view> allowed, Diagnostics& diag,
                         std::string_view what);

// Items of a sequence; reports a non-sequence node.
std::vector<At> items(const At& seq, Diagnostics& diag, std::string_view what);

// A plain (unquoted) scalar is subject to type resolution; quoted and block ones are strings.
bool is_plain(yaml::Node n);
// YAML 1.1 booleans: yes/no/true/false/on/off in any case.
std::optional<bool> parse_bool_word(std::string_view s);
// A decimal 64-bit integer with an optional sign; nullopt otherwise (including overflow).
std::optional<int64_t> parse_int(std::string_view s);
// The value of a scalar or null node: plain scalars resolve to null, bool, integer or
// string; anything quoted stays a string. Floats stay strings (as written).
json typed_scalar(yaml::Node n);
// "map", "sequence", "string", ... for error messages.
std::string kind_name(yaml::Node n);

}  // namespace halo::config
