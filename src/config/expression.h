// CircleCI's expression language (`pipeline.git.branch == "main" and 10 or 1`), evaluated at
// compile time: in bare workflow when/unless strings, in string job filters, and inside
// `<< ... >>`. Operators from loosest to tightest: or; and; == != starts-with matches contains;
// >= > <= <; not !. `and`/`or` return an operand, as in Lua.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "config/substitution.h"
#include "config/yaml_source.h"

namespace halo::config {

// The value of an expression; nullopt with `error` set when it does not parse or refers to an
// unknown variable. A variable whose value is null is "undefined": comparisons with it are
// undefined and it is falsy; an undefined result is returned as null.
std::optional<json> evaluate_expression(std::string_view text, const Scope& scope,
                                        std::string& error);

// Whether `text` is an expression rather than one plain reference or free text: it parses,
// and uses an operator or a literal besides a pipeline./parameters./matrix. variable.
bool is_expression(std::string_view text);

// Whether `text` written bare (workflow when, job filters) is an expression: it parses and
// uses at least one variable.
bool is_bare_expression(std::string_view text);

// Evaluates `text` and reports a failure at `at`.
std::optional<json> expression_value(std::string_view text, const Scope& scope, Diagnostics& diag,
                                     const At& at);

}  // namespace halo::config
