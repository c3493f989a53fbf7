// Evaluates logic statements (`when`/`unless` of steps and workflows) at compile time.
#pragma once
#include <optional>

#include "config/substitution.h"
#include "config/yaml_source.h"

namespace halo::config {

// The truth of a logic statement: a literal, or {and|or: [...]}, {not: x}, {equal: [...]},
// {matches: {pattern, value}}. Nullopt when the statement is invalid (reported).
// `expressions`: a bare string may be an expression (workflow when/unless); step conditions
// take logic statements only.
std::optional<bool> evaluate_condition(const At& at, const Scope& scope, Diagnostics& diag,
                                       bool expressions = false);

// CircleCI's truth rule, the only one in halo (logic statements, expressions, when/unless,
// context expression restrictions): false, null, 0, NaN and "" are falsy; everything else,
// including [] and {}, is truthy.
bool truthy(const json& v);

}  // namespace halo::config
