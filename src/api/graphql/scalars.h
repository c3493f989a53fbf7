// The scalar types' coercion rules (spec 3.5): how each scalar reads a literal or a JSON
// variable value (input coercion) and how it serializes a resolver's value (result coercion).
// Built in: Int (32-bit), Float, String, Boolean, ID (input: a string or an integer, output: a
// string) and Long, the 64-bit integer halo's schemas declare as `scalar Long`. Any other
// custom scalar passes values through unchanged.
#pragma once
#include "api/graphql/ast.h"
#include "api/graphql/schema.h"

#include <optional>
#include <string>

namespace halo::graphql {

// True for the scalars with rules of their own (Int, Float, String, Boolean, ID, Long).
bool is_builtin_scalar(std::string_view name);

// Returns the coerced value, or nullopt with *error set to a message that names the value.
// Literal variables are not handled here (the caller substitutes them first); a literal null
// is not either (null is valid for any nullable type, and decided by the caller).
std::optional<Json> scalar_from_literal(const NamedType& scalar, const ast::Value& literal,
                                        std::string* error);
std::optional<Json> scalar_from_json(const NamedType& scalar, const Json& value,
                                     std::string* error);

// Result coercion of a non-null resolver value.
std::optional<Json> serialize_scalar(const NamedType& scalar, const Json& value,
                                     std::string* error);

// A literal converted to JSON with no type to guide it (for custom scalars); `variables` may
// be null, then variables become null.
Json literal_to_json(const ast::Value& literal, const Json* variables);

// Prints a JSON value as a GraphQL literal of the given type ("\"a\"", "[1, 2]", "{a: RED}").
std::string print_literal(const Json& value, const TypeRef* type);

}  // namespace halo::graphql
