// Replaces `<< parameters.x >>` and `<< pipeline.* >>` references in scalars; a reference
// that is the whole scalar keeps its value's type (boolean, integer).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "config/yaml_source.h"

namespace halo::config {

// Values visible everywhere in the config: pipeline values and pipeline parameters.
struct PipelineScope {
  json values = json::object();            // "git.branch" -> "main", ...
  std::map<std::string, json> parameters;  // declared pipeline parameters, bound
};

struct Elements;
struct NodeValue;
using NodeValues = std::map<std::string, NodeValue>;

// What a reference can see at one place in the config. `parameters` is the element's own
// (job, command or executor) parameters; null outside an element. Lexical scope: an executor
// does not see the parameters of the job that uses it, a command not those of its caller.
// `elements` is where names of commands, jobs and executors resolve (the config's own, or
// an orb's); `nodes` holds the values of steps and executor parameters; `matrix` the values
// of the matrix entry being expanded.
struct Scope {
  const PipelineScope* pipeline = nullptr;
  const std::map<std::string, json>* parameters = nullptr;
  const Elements* elements = nullptr;
  const NodeValues* nodes = nullptr;
  const std::map<std::string, json>* matrix = nullptr;
};

// The value of a steps or executor parameter: YAML to compile where it is used, in the scope
// of the place that passed it (steps handed to a command keep their caller's references).
struct NodeValue {
  At at;
  Scope scope;
};

// When `text` is exactly one `<< parameters.x >>` reference (spaces allowed), the name x.
std::optional<std::string> whole_parameter_reference(std::string_view text);

// Substitutes every reference in `text`. `\<<` escapes a literal `<<`. Text between
// `<<` and `>>` that is not a parameters./pipeline./matrix. name is left alone, so shell
// heredocs (`cat <<EOF ... >> file`) survive. Unknown references are reported at `at`.
json substitute(std::string_view text, const Scope& scope, Diagnostics& diag, const At& at);

// Reverses substitution's escaping, for emitting text that must not be substituted again.
std::string escape_references(std::string_view text);

// A scalar node's value after substitution: typed (see typed_scalar) unless references
// made it a longer string. Null for null nodes; non-scalars are reported against `what`.
std::optional<json> scalar_value(const At& at, const Scope& scope, Diagnostics& diag,
                                 std::string_view what);
// A scalar node's text after substitution, as written (`yes` stays "yes").
std::optional<std::string> scalar_text(const At& at, const Scope& scope, Diagnostics& diag,
                                       std::string_view what);

// A pipeline value as a string ("" when unset), e.g. pipeline_string(p, "git.branch").
std::string pipeline_string(const PipelineScope& pipeline, const std::string& name);

// "true", "42", or the string itself.
std::string stringify(const json& v);

}  // namespace halo::config
