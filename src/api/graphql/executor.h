// Executes GraphQL requests (spec section 6): the whole pipeline from request text to the
// response object — parse, limits, validation, operation selection, variable coercion, then
// execution with fragments, @skip/@include, aliases, lists and non-null propagation.
//
// The response is {"errors"?: [...], "data"?: ...} (errors first, as spec 7.1 suggests); the
// keys of "data" follow the order of the query's fields. A request error (syntax, a limit,
// validation, variables) yields "errors" without "data"; field errors yield both, each error
// with "message", "locations" and "path".
//
// Execution is breadth-first per field so that resolvers receive batches (see resolver.h).
// Nothing here is global: a Schema and a Resolver may serve many threads at once, provided the
// Resolver itself is thread-safe.
#pragma once
#include "api/graphql/limits.h"
#include "api/graphql/resolver.h"
#include "api/graphql/schema.h"

#include <any>
#include <optional>
#include <string>

namespace halo::graphql {

struct Request {
  std::string query;
  std::optional<std::string> operation_name;
  Json variables = Json::object();  // an object (or null for none)
};

struct ExecuteOptions {
  Limits limits;
  std::any context;  // handed to every resolver as FieldRequest::context
  Value root;        // the parent of the root fields (null by default)
};

Json execute(const Schema& schema, const Resolver& resolver, const Request& request,
             const ExecuteOptions& options = {});

// A document parsed, checked against the limits (with `first`/`last` variables counted as 1)
// and validated, for callers that execute one document many times (webhook payloads).
struct PreparedDocument {
  std::optional<ast::Document> document;
  std::vector<Error> errors;
  bool ok() const { return document.has_value(); }
};
PreparedDocument prepare(const Schema& schema, std::string query, const Limits& limits = {});

// Executes a valid document: selects the operation, coerces variables, runs it.
Json execute_prepared(const Schema& schema, const Resolver& resolver, const ast::Document& document,
                      const std::optional<std::string>& operation_name, const Json& variables,
                      const ExecuteOptions& options = {});

}  // namespace halo::graphql
