// libFuzzer target for the GraphQL engine: any input must parse or give a syntax error, and a
// parsed document must go through the limits, validation and (when valid) execution against a
// small schema with interfaces, unions, inputs and lists — never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/graphql/executor.h"
#include "api/graphql/schema_builder.h"

namespace {

using namespace halo::graphql;

const char* sdl = R"(
  type Query { node(id: ID!): Node pets(first: Int, filter: Filter): [Pet!] search(text: String = "x"): [Result] }
  type Mutation { rename(id: ID!, name: String!): Pet }
  interface Node { id: ID! }
  interface Pet implements Node { id: ID! name: String! owner: Human }
  type Dog implements Pet & Node { id: ID! name: String! owner: Human barks(loud: Boolean): Int }
  type Cat implements Pet & Node { id: ID! name: String! owner: Human lives: [Int!]! }
  type Human implements Node { id: ID! name: String pets: [Pet] }
  union Result = Dog | Cat | Human
  enum Color { RED GREEN }
  input Filter { color: Color = RED, names: [String!], nested: Filter }
)";

const char* data = R"({
  "node": {"__typename": "Human", "id": "1", "name": "Ann"},
  "pets": [{"__typename": "Dog", "id": "2", "name": "Rex", "barks": 3, "owner": {"id": "1"}},
           {"__typename": "Cat", "id": "3", "name": "Tom", "lives": [1, 2, null]}],
  "search": [{"__typename": "Cat", "id": "3"}, null, {"__typename": "Human", "id": "1", "pets": [null]}]
})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  static auto schema = build_schema(sdl).schema;
  static ResolverMap resolvers(schema);
  static const Json root = Json::parse(data);
  Request request;
  request.query.assign(reinterpret_cast<const char*>(bytes), size);
  request.variables = Json{{"id", "1"}, {"first", 2}, {"flag", size % 2 == 0}};
  ExecuteOptions options;
  options.root = Value::object(root);
  Json out = execute(*schema, resolvers, request, options);
  if (!out.is_object() || (!out.contains("data") && !out.contains("errors"))) __builtin_trap();
  return 0;
}
