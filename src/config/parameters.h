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
  std::string type;  // string | boolean | integer | enum | env_var_name
  std::optional<json> default_value;
  std::vector<std::string> enum_values;
  At at;
};
using ParamDecls = std::vector<ParamDecl>;        // in config order
using ParamValues = std::map<std::string, json>;  // bound; null = required but missing

enum class ParamOwner { Pipeline, Element };

// Parses a `parameters:` map. Pipeline parameters must have defaults and allow fewer types.
ParamDecls parse_param_decls(const At& at, ParamOwner owner, Diagnostics& diag);

// One argument: its value, and for YAML scalars the text as written (for string params).
struct Arg {
  std::string name;
  json value;
  std::optional<std::string> text;
  At at;
};

// Checks `v` against a declaration; the converted value, or nullopt with `why` set.
std::optional<json> coerce(const ParamDecl& decl, const json& v,
                           const std::optional<std::string>& text, std::string& why);

// Binds arguments to declarations: type checks, defaults, "Unexpected argument(s): x, y"
// and "Missing required argument(s): x" reported at `where`.
ParamValues bind_arguments(const ParamDecls& decls, const std::vector<Arg>& args, const At& where,
                           Diagnostics& diag);

// Element names (jobs, executors, parameters): ^[A-Za-z][A-Za-z0-9_-]*$.
bool is_element_name(std::string_view s);

}  // namespace halo::config
