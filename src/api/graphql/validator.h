// Validation of an executable document against a schema: every rule of spec section 5
// (October 2021). A document that passes may be executed; one that fails must not be, and the
// errors say which rule failed, where. The rules are grouped by spec subsection in the
// validation_*.cpp files; validation_context.h is their shared walk.
#pragma once
#include "api/graphql/ast.h"
#include "api/graphql/schema.h"

#include <vector>

namespace halo::graphql {

// All rule violations in order of discovery; empty when the document is valid. After 100
// errors validation stops and says so in a last error. The cost is linear in the document
// with its fragments expanded, so callers facing untrusted input run check_limits() first.
std::vector<Error> validate(const Schema& schema, const ast::Document& document);

}  // namespace halo::graphql
