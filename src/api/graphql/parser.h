// The parser of spec sections 2 (executable documents) and 3 (type-system documents, SDL),
// October 2021 edition. One entry point reads either kind of document, or a mix of both; which
// definitions are allowed is the validator's business (spec 5.1.1), or the schema builder's.
//
// Parsing refuses hostile input early: documents longer than max_bytes, with more than
// max_tokens tokens, or nesting deeper than max_nesting are syntax errors, so the recursive
// descent can never exhaust the stack.
#pragma once
#include "api/graphql/ast.h"

#include <optional>
#include <string>

namespace halo::graphql {

struct ParseOptions {
  size_t max_bytes = 1 << 20;
  size_t max_tokens = 100000;
  size_t max_nesting = 128;  // selection sets, list/object values and list types together
};

struct ParseResult {
  std::optional<ast::Document> document;  // set on success
  std::optional<Error> error;             // set on failure, with the location of the offence

  bool ok() const { return document.has_value(); }
};

ParseResult parse(std::string source, const ParseOptions& options = {});

}  // namespace halo::graphql
