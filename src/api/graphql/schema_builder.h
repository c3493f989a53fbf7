// Builds an immutable Schema from type-system SDL (spec section 3): the built-in scalars,
// directives (@skip, @include, @deprecated, @specifiedBy) and introspection types are always
// present; the SDL adds types, type extensions, directives and the schema definition. The
// result is checked against the type-system rules (interface implementation, union members,
// input and output positions, root types), and every problem is reported with its location.
#pragma once
#include "api/graphql/ast.h"
#include "api/graphql/schema.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace halo::graphql {

struct SchemaOptions {
  // Some published SDL (the Cirrus CI schema among it) was produced by `sed s/Long/Int/g` and
  // redeclares `scalar Int`, "a 64-bit signed integer". When this is set, such a declaration
  // defines a scalar of this name (e.g. "Long") instead, and every reference to Int in the SDL
  // means it — except the schema coordinates listed in keep_int ("Type.field" for a field,
  // "Type.field(arg:)" for an argument, "Input.field" for an input field), which keep the
  // spec's 32-bit Int. Without this option a redeclared built-in scalar is ignored.
  std::optional<std::string> redeclared_int_as;
  std::set<std::string, std::less<>> keep_int;
};

struct SchemaBuildResult {
  std::shared_ptr<const Schema> schema;  // set only when errors is empty
  std::vector<Error> errors;
  bool ok() const { return schema != nullptr; }
};

SchemaBuildResult build_schema(std::string sdl, const SchemaOptions& options = {});
SchemaBuildResult build_schema(const ast::Document& document, const SchemaOptions& options = {});

}  // namespace halo::graphql
