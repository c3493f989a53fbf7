// Input coercion (spec 3.x "Input Coercion" and 6.4.1): literals and JSON variable values
// become the values resolvers receive — lists from single items, input-object defaults filled
// in, enum values as their names, IDs as strings (an Int literal or a JSON integer is an ID).
// Functions return nullopt on failure with a human-readable *error.
#pragma once
#include "api/graphql/ast.h"
#include "api/graphql/schema.h"

#include <optional>
#include <string>
#include <vector>

namespace halo::graphql {

// A literal of `type`. Variables are looked up in `variables` (the coerced variable values,
// a JSON object, or null when the literal must be constant); a variable that was not provided
// counts as absent, which the caller of an object field or argument treats as "not given".
std::optional<Json> coerce_literal(const ast::Value& literal, const TypeRef* type,
                                   const Json* variables, std::string* error);

// A JSON value (a variable's value from the request) of `type`.
std::optional<Json> coerce_json(const Json& value, const TypeRef* type, std::string* error);

// CoerceArgumentValues: an object of argument name → value, with defaults, in the order the
// schema declares the arguments. Absent optional arguments without a default are left out.
std::optional<Json> coerce_arguments(const std::vector<InputValue>& definitions,
                                     const std::vector<ast::Argument>& arguments,
                                     const Json& variables, std::string* error);

// True when the literal is a variable that `variables` does not hold.
bool is_absent_variable(const ast::Value& literal, const Json* variables);

}  // namespace halo::graphql
