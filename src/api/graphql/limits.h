// Limits that refuse hostile documents before they are validated or executed: size and token
// count (checked by the parser), depth, aliases, the number of field selections after every
// fragment spread is expanded (so "fragment bombs" that spread a fragment many times per level
// are caught), and an estimated cost in which a list field with a `first` or `last` argument
// multiplies the cost of its subtree. Fragment cycles are left to validation (5.5.2.2) and do
// not loop here.
#pragma once
#include "api/graphql/ast.h"
#include "api/graphql/parser.h"

#include <vector>

namespace halo::graphql {

struct Limits {
  size_t max_document_bytes = 64 * 1024;
  size_t max_tokens = 20000;
  size_t max_depth = 16;     // nesting of fields, through fragments
  size_t max_aliases = 200;  // aliased fields in the document
  size_t max_fields = 4000;  // field selections with every fragment spread expanded
  size_t max_cost = 50000;   // estimated fields resolved: first/last multiply a subtree

  ParseOptions parse_options() const;
};

// Errors for every limit the document's operations exceed (empty when within limits).
// `variables` (a JSON object or null) gives values to `first`/`last` written as variables.
std::vector<Error> check_limits(const ast::Document& document, const Limits& limits,
                                const Json& variables);

}  // namespace halo::graphql
