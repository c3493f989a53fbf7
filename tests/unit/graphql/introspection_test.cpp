// Spec section 4: __typename, __schema and __type over a schema with every kind of type,
// deprecations, defaults, descriptions and directives.
#include "graphql_test_util.h"
#include "introspection_query.h"

using namespace halo::graphql;
using namespace halo::graphql::testing;

namespace {

std::shared_ptr<const Schema> described_schema() {
  static auto schema = [] {
    auto built = build_schema(R"(
      "The schema's own description"
      schema { query: Root }

      "Root of queries"
      type Root {
        "a node" node(id: ID!, "how deep" depth: Int = 2, old: String @deprecated(reason: "gone")): Node
        old: String @deprecated
        oldWithReason: String @deprecated(reason: "Use `node`.")
        search(filter: Filter = {color: RED, tags: ["a", "b"]}): [Result!]!
      }
      interface Node { id: ID! }
      interface Named implements Node { id: ID! name: String }
      type Thing implements Named & Node { id: ID! name: String }
      union Result = Thing
      enum Color { RED "green!" GREEN BLUE @deprecated(reason: "too sad") }
      input Filter { color: Color = GREEN, tags: [String!], legacy: Int @deprecated }
      scalar Url @specifiedBy(url: "https://tools.ietf.org/html/rfc3986")
      "repeat me" directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT
    )");
    for (const auto& e : built.errors) ADD_FAILURE() << e.message;
    return built.schema;
  }();
  return schema;
}

Json run(const std::string& query) {
  ResolverMap resolvers(described_schema());
  auto out = execute(*described_schema(), resolvers, {query});
  EXPECT_FALSE(out.contains("errors")) << out.dump(2);
  return out["data"];
}

}  // namespace

TEST(Introspection, SchemaNamesItsRootsAndDescription) {
  auto data =
      run("{ __schema { description queryType { name } mutationType { name } subscriptionType { "
          "name } } }");
  EXPECT_EQ(
      data.dump(),
      R"({"__schema":{"description":"The schema's own description","queryType":{"name":"Root"},"mutationType":null,"subscriptionType":null}})");
}

TEST(Introspection, TypesListsEveryNamedTypeIncludingBuiltIns) {
  auto data = run("{ __schema { types { name } } }");
  std::vector<std::string> names;
  for (const auto& t : data["__schema"]["types"]) names.push_back(t["name"]);
  for (const char* expected : {"Root",        "Node",        "Named",
                               "Thing",       "Result",      "Color",
                               "Filter",      "Url",         "Int",
                               "Float",       "String",      "Boolean",
                               "ID",          "__Schema",    "__Type",
                               "__TypeKind",  "__Field",     "__InputValue",
                               "__EnumValue", "__Directive", "__DirectiveLocation"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

TEST(Introspection, FieldsWrapTheirTypesInNonNullAndList) {
  auto data = run(
      R"({ __type(name: "Root") { kind name description fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } })");
  const Json& root = data["__type"];
  EXPECT_EQ(root["kind"], "OBJECT");
  EXPECT_EQ(root["description"], "Root of queries");
  // Deprecated fields are hidden unless asked for.
  ASSERT_EQ(root["fields"].size(), 2u);
  EXPECT_EQ(root["fields"][1]["name"], "search");
  EXPECT_EQ(
      root["fields"][1]["type"].dump(),
      R"({"kind":"NON_NULL","name":null,"ofType":{"kind":"LIST","name":null,"ofType":{"kind":"NON_NULL","name":null,"ofType":{"kind":"UNION","name":"Result"}}}})");
}

TEST(Introspection, DeprecationsAreShownWhenAskedFor) {
  auto data = run(
      R"({ __type(name: "Root") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } })");
  EXPECT_EQ(data["__type"]["fields"].dump(),
            R"([{"name":"node","isDeprecated":false,"deprecationReason":null},)"
            R"({"name":"old","isDeprecated":true,"deprecationReason":"No longer supported"},)"
            R"({"name":"oldWithReason","isDeprecated":true,"deprecationReason":"Use `node`."},)"
            R"({"name":"search","isDeprecated":false,"deprecationReason":null}])");
  data = run(
      R"({ __type(name: "Color") { enumValues { name } all: enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } } })");
  EXPECT_EQ(data["__type"]["enumValues"].dump(), R"([{"name":"RED"},{"name":"GREEN"}])");
  EXPECT_EQ(
      data["__type"]["all"][1].dump(),
      R"({"name":"GREEN","description":"green!","isDeprecated":false,"deprecationReason":null})");
  EXPECT_EQ(data["__type"]["all"][2]["deprecationReason"], "too sad");
  data = run(
      R"({ __type(name: "Filter") { inputFields { name } all: inputFields(includeDeprecated: true) { name isDeprecated } } })");
  EXPECT_EQ(data["__type"]["inputFields"].size(), 2u);
  EXPECT_EQ(data["__type"]["all"][2].dump(), R"({"name":"legacy","isDeprecated":true})");
}

TEST(Introspection, ArgumentsShowTheirDefaultsAsGraphQLLiterals) {
  auto data = run(
      R"({ __type(name: "Root") { fields { name args { name description defaultValue type { name kind } } } } })");
  const Json& node_args = data["__type"]["fields"][0]["args"];
  ASSERT_EQ(node_args.size(), 2u);  // the deprecated argument is hidden
  EXPECT_EQ(
      node_args[1].dump(),
      R"({"name":"depth","description":"how deep","defaultValue":"2","type":{"name":"Int","kind":"SCALAR"}})");
  EXPECT_EQ(data["__type"]["fields"][1]["args"][0]["defaultValue"],
            R"({color: RED, tags: ["a", "b"]})");
  data = run(R"({ __type(name: "Filter") { inputFields { name defaultValue } } })");
  EXPECT_EQ(data["__type"]["inputFields"][0]["defaultValue"], "GREEN");
}

TEST(Introspection, InterfacesAndPossibleTypes) {
  auto data =
      run(R"({ node: __type(name: "Node") { kind interfaces { name } possibleTypes { name } }
                       named: __type(name: "Named") { interfaces { name } possibleTypes { name } }
                       thing: __type(name: "Thing") { interfaces { name } possibleTypes { name } }
                       result: __type(name: "Result") { kind possibleTypes { name } fields { name } } })");
  EXPECT_EQ(data["node"].dump(),
            R"({"kind":"INTERFACE","interfaces":[],"possibleTypes":[{"name":"Thing"}]})");
  EXPECT_EQ(data["named"].dump(),
            R"({"interfaces":[{"name":"Node"}],"possibleTypes":[{"name":"Thing"}]})");
  EXPECT_EQ(data["thing"].dump(),
            R"({"interfaces":[{"name":"Named"},{"name":"Node"}],"possibleTypes":null})");
  EXPECT_EQ(data["result"].dump(),
            R"({"kind":"UNION","possibleTypes":[{"name":"Thing"}],"fields":null})");
}

TEST(Introspection, ScalarsAndDirectives) {
  auto data = run(
      R"({ url: __type(name: "Url") { kind specifiedByURL } int: __type(name: "Int") { specifiedByURL description }
                       __schema { directives { name description isRepeatable locations args { name type { kind } } } } })");
  EXPECT_EQ(data["url"].dump(),
            R"({"kind":"SCALAR","specifiedByURL":"https://tools.ietf.org/html/rfc3986"})");
  EXPECT_TRUE(data["int"]["specifiedByURL"].is_null());
  std::map<std::string, Json> directives;
  for (const auto& d : data["__schema"]["directives"]) directives[d["name"]] = d;
  ASSERT_EQ(directives.size(), 5u);
  EXPECT_EQ(
      directives["tag"].dump(),
      R"({"name":"tag","description":"repeat me","isRepeatable":true,"locations":["FIELD_DEFINITION","OBJECT"],"args":[{"name":"name","type":{"kind":"NON_NULL"}}]})");
  EXPECT_EQ(directives["skip"]["locations"].dump(),
            R"(["FIELD","FRAGMENT_SPREAD","INLINE_FRAGMENT"])");
  EXPECT_EQ(directives["deprecated"]["args"][0]["type"]["kind"], "SCALAR");
}

TEST(Introspection, UnknownTypesAreNull) {
  EXPECT_TRUE(run(R"({ __type(name: "Nope") { name } })")["__type"].is_null());
}

TEST(Introspection, MetaTypesDescribeThemselves) {
  auto data = run(
      R"({ __type(name: "__Type") { fields { name } } kind: __type(name: "__TypeKind") { enumValues { name } } })");
  EXPECT_EQ(data["__type"]["fields"].size(), 10u);
  EXPECT_EQ(data["kind"]["enumValues"].size(), 8u);
}

TEST(Introspection, TheStandardQueryRunsOnEverySchema) {
  ResolverMap resolvers(described_schema());
  for (const char* q : {introspection_query, introspection_query_all_options}) {
    auto out = execute(*described_schema(), resolvers, {q});
    ASSERT_FALSE(out.contains("errors")) << out["errors"].dump(2);
    EXPECT_EQ(out["data"]["__schema"]["types"].size(), described_schema()->types().size());
  }
}

TEST(Introspection, IsRefusedWhereTheSchemaDoesNotOfferIt) {
  auto errors = validation_errors("{ dog { __type(name: \"Dog\") { name } } }");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "Cannot query field \"__type\" on type \"Dog\".");
}
