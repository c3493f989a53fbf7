// Parameter declarations (of the pipeline, jobs and executors) and the type-checked binding
// of arguments to them.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "config/substitution.h"
#include "config/yaml_source.h"

namespace halo::config {

struct ParamDecl {
  std::string name;
  std::string type;  // string | boolean | integer | enum | env_var_name | executor | steps
  std::optional<json> default_value;
  std::optional<At> default_node;  // steps and executor: the default as written
  std::vector<std::string> enum_values;
  At at;
};
using ParamDecls = std::vector<ParamDecl>;        // in config order
using ParamValues = std::map<std::string, json>;  // bound; null = required but missing

enum class ParamOwner { Pipeline, Element };

// Parses a `parameters:` map. Pipeline parameters must have defaults and allow fewer types.
ParamDecls parse_param_decls(const At& at, ParamOwner owner, Diagnostics& diag);

// One argument: its value, and for YAML scalars the text as written (for string params).
// `scope` is the caller's, where steps and executor arguments are later compiled.
struct Arg {
  std::string name;
  json value;
  std::optional<std::string> text;
  At at;
  Scope scope;
};

// The arguments among a map's entries (all but `skip`): scalars substituted in `scope`,
// lists and maps kept as written for steps and executor parameters.
std::vector<Arg> read_arguments(const std::vector<Entry>& es, const Scope& scope, Diagnostics& diag,
                                std::initializer_list<std::string_view> skip);

// A YAML node as JSON, without substitution (scalars typed as plain scalars are).
json raw_json(const At& at, Diagnostics& diag);

// Checks `v` against a declaration; the converted value, or nullopt with `why` set.
std::optional<json> coerce(const ParamDecl& decl, const json& v,
                           const std::optional<std::string>& text, std::string& why);

// Binds arguments to declarations: type checks, defaults, "Unexpected argument(s): x, y"
// and "Missing required argument(s): x" reported at `where`, naming `element` (e.g. "job
// build"). Steps and executor values go to `nodes` (when given); their defaults are
// compiled in `defaults` (the element's definition scope).
ParamValues bind_arguments(const ParamDecls& decls, const std::vector<Arg>& args, const At& where,
                           Diagnostics& diag, std::string_view element = {},
                           NodeValues* nodes = nullptr, const Scope* defaults = nullptr);

// Element names (executors, commands, parameters): ^[A-Za-z][A-Za-z0-9_-]*$.
bool is_element_name(std::string_view s);
// Job names, as CircleCI's config schema allows them: ^[A-Za-z][A-Za-z\s\d_-]*$ (white
// space included: "Check Rust formatting").
bool is_job_name(std::string_view s);

}  // namespace halo::config
