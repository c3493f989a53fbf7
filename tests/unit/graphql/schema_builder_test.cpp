// Spec section 3: building a schema from SDL — types, extensions, roots, directives, defaults —
// and the type-system rules that refuse a broken schema.
#include "graphql_test_util.h"

using namespace halo::graphql;
using namespace halo::graphql::testing;

namespace {

std::vector<std::string> build_errors(const std::string& sdl) {
  std::vector<std::string> out;
  for (const auto& e : build_schema(sdl).errors) out.push_back(e.message);
  return out;
}

#define EXPECT_BUILD_ERROR(sdl, fragment)                                                   \
  do {                                                                                      \
    auto errs_ = build_errors(sdl);                                                         \
    bool found_ = false;                                                                    \
    for (const auto& e_ : errs_) found_ = found_ || e_.find(fragment) != std::string::npos; \
    EXPECT_TRUE(found_) << "expected \"" << (fragment) << "\" among:\n" << joined(errs_);   \
  } while (0)

}  // namespace

TEST(SchemaBuilder, BuildsEveryKindOfType) {
  auto built = build_schema(R"(
    type Query { a(x: Int = 1): [String!]! u: U e: E i: I }
    interface I { id: ID! }
    interface J implements I { id: ID! }
    type T implements J & I { id: ID! }
    union U = T
    enum E { A B }
    input In { x: Int = 2 }
    scalar Long)");
  for (const auto& e : built.errors) ADD_FAILURE() << e.message;
  ASSERT_TRUE(built.ok());
  const Schema& s = *built.schema;
  EXPECT_EQ(s.query_type()->name, "Query");
  EXPECT_EQ(s.mutation_type(), nullptr);
  const FieldDef* a = s.query_type()->field("a");
  EXPECT_EQ(a->type->to_string(), "[String!]!");
  EXPECT_EQ(a->argument("x")->default_value->dump(), "1");
  EXPECT_EQ(s.type("I")->possible_types, (std::vector<const NamedType*>{s.type("T")}));
  EXPECT_TRUE(s.type("J")->implements(*s.type("I")));
  EXPECT_TRUE(s.type("U")->can_be(*s.type("T")));
  EXPECT_EQ(s.type("E")->enum_values.size(), 2u);
  EXPECT_EQ(s.type("In")->input_field("x")->default_value->dump(), "2");
  EXPECT_EQ(s.type("Long")->kind, TypeKind::Scalar);
  EXPECT_NE(s.directive("skip"), nullptr);
  EXPECT_NE(s.directive("specifiedBy"), nullptr);
  // Field ids are dense and distinct, for resolver tables.
  std::set<uint32_t> ids;
  for (const NamedType* t : s.types()) {
    for (const auto& f : t->fields) ids.insert(f.id);
  }
  EXPECT_LE(ids.size(), s.field_count());
  EXPECT_LT(*ids.rbegin(), s.field_count());
}

TEST(SchemaBuilder, AppliesExtensions) {
  auto built = build_schema(R"(
    type Query { a: Int }
    extend type Query { b: String }
    enum E { A }
    extend enum E { B }
    input In { x: Int }
    extend input In { y: Int }
    type T { id: ID }
    union U = T
    type V { id: ID }
    extend union U = V
    interface I { id: ID }
    extend type T implements I
    type M { m: Int }
    extend schema { mutation: M })");
  for (const auto& e : built.errors) ADD_FAILURE() << e.message;
  ASSERT_TRUE(built.ok());
  const Schema& s = *built.schema;
  EXPECT_NE(s.query_type()->field("b"), nullptr);
  EXPECT_NE(s.type("E")->enum_value("B"), nullptr);
  EXPECT_NE(s.type("In")->input_field("y"), nullptr);
  EXPECT_EQ(s.type("U")->possible_types.size(), 2u);
  EXPECT_TRUE(s.type("T")->implements(*s.type("I")));
  EXPECT_EQ(s.mutation_type()->name, "M");
}

TEST(SchemaBuilder, UsesTheSchemaDefinitionsRoots) {
  auto built = build_schema(
      "schema { query: Q subscription: S } type Q { a: Int } type S { b: Int } type Mutation { c: "
      "Int }");
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(built.schema->query_type()->name, "Q");
  EXPECT_EQ(built.schema->subscription_type()->name, "S");
  EXPECT_EQ(built.schema->mutation_type(), nullptr);  // the schema definition names the roots
}

TEST(SchemaBuilder, RefusesBrokenSchemas) {
  EXPECT_BUILD_ERROR("type Nope { a: Int }", "Query root type must be provided.");
  EXPECT_BUILD_ERROR("type Query { a: Missing }", "Unknown type \"Missing\".");
  EXPECT_BUILD_ERROR("type Query { a: Int } type Query { b: Int }",
                     "There can be only one type named \"Query\".");
  EXPECT_BUILD_ERROR("type Query { a: Int a: String }",
                     "Field \"Query.a\" can only be defined once.");
  EXPECT_BUILD_ERROR("type Query { a(x: Int, x: Int): Int }", "can only be defined once");
  EXPECT_BUILD_ERROR("type Query { __a: Int }", "must not begin with \"__\"");
  EXPECT_BUILD_ERROR("type Query { a: In } input In { x: Int }",
                     "The type of Query.a must be Output Type but got: In.");
  EXPECT_BUILD_ERROR("type Query { a(x: Query): Int }", "must be Input Type but got: Query.");
  EXPECT_BUILD_ERROR("type Query { a: Int } input In { q: Query }",
                     "The type of In.q must be Input Type");
  EXPECT_BUILD_ERROR("type Query { a: Int } enum E { A A }",
                     "Enum value \"E.A\" can only be defined once.");
  EXPECT_BUILD_ERROR("type Query { a: Int } union U = Query | Int",
                     "can only include Object types, it cannot include \"Int\"");
  EXPECT_BUILD_ERROR("schema { query: In } input In { x: Int }",
                     "query root type must be Object type");
  EXPECT_BUILD_ERROR("type Query { a: Int } extend type Missing { b: Int }",
                     "Cannot extend type \"Missing\" because it is not defined.");
  EXPECT_BUILD_ERROR("type Query { a: Int } enum E { A } extend input E { b: Int }",
                     "Cannot extend non-matching kind of type \"E\".");
  EXPECT_BUILD_ERROR("type Query { a: Int @unknown }", "Unknown directive \"@unknown\".");
  EXPECT_BUILD_ERROR("type Query { a: Int @specifiedBy(url: \"x\") }",
                     "Directive \"@specifiedBy\" may not be used on FIELD_DEFINITION.");
  EXPECT_BUILD_ERROR(
      "type Query { a(x: Int = \"one\"): Int }",
      "Invalid default value for \"x\": Int cannot represent non-integer value: \"one\"");
  EXPECT_BUILD_ERROR("type Query { a: Int } input A { b: B! } input B { a: A! }",
                     "Cannot reference Input Object \"A\" within itself");
  EXPECT_BUILD_ERROR("type Query { a: Int } input In { x: Int! @deprecated }",
                     "Required input field In.x cannot be deprecated.");
  EXPECT_BUILD_ERROR("query { a }", "A schema document holds only type-system definitions.");
  EXPECT_BUILD_ERROR("type Query {", "Syntax Error");
}

TEST(SchemaBuilder, ErrorsPointAtTheOffendingName) {
  auto built = build_schema(
      "type Query { a: Int }\nunion U = Query | Int\ntype T implements Missing { a: Int }");
  ASSERT_EQ(built.errors.size(), 2u);
  EXPECT_EQ(built.errors[0].locations[0], (Location{2, 19}));
  EXPECT_EQ(built.errors[1].message, "Unknown type \"Missing\".");
  EXPECT_EQ(built.errors[1].locations[0], (Location{3, 19}));
}

TEST(SchemaBuilder, TypeRuleErrorsPointAtTheTypesDefinition) {
  auto built = build_schema(
      "type Query { a: Int }\n\ninterface I { id: ID! }\n  type T implements I { x: Int }");
  ASSERT_EQ(built.errors.size(), 1u);
  EXPECT_EQ(built.errors[0].message, "Interface field I.id expected but T does not provide it.");
  ASSERT_EQ(built.errors[0].locations.size(), 1u);
  EXPECT_EQ(built.errors[0].locations[0], (Location{4, 3}));
}

TEST(SchemaBuilder, EnforcesInterfaceImplementation) {
  const char* base = "type Query { a: Int } ";
  EXPECT_BUILD_ERROR(std::string(base) + "interface I { id: ID! } type T implements I { x: Int }",
                     "Interface field I.id expected but T does not provide it.");
  EXPECT_BUILD_ERROR(std::string(base) + "interface I { id: ID! } type T implements I { id: ID }",
                     "Interface field I.id expects type ID! but T.id is type ID.");
  EXPECT_BUILD_ERROR(
      std::string(base) + "interface I { f(x: Int): Int } type T implements I { f: Int }",
      "Interface field argument I.f(x:) expected but T.f does not provide it.");
  EXPECT_BUILD_ERROR(
      std::string(base) +
          "interface I { f(x: Int): Int } type T implements I { f(x: String): Int }",
      "Interface field argument I.f(x:) expects type Int but T.f(x:) is type String.");
  EXPECT_BUILD_ERROR(
      std::string(base) + "interface I { f: Int } type T implements I { f(y: Int!): Int }",
      "Object field T.f includes required argument y that is missing from the Interface field "
      "I.f.");
  EXPECT_BUILD_ERROR(std::string(base) +
                         "interface I { id: ID } interface J implements I { id: ID } type T "
                         "implements J { id: ID }",
                     "Type T must implement I because it is implemented by J.");
  EXPECT_BUILD_ERROR(std::string(base) + "type T implements Query { a: Int }",
                     "must only implement Interface types");
  // Covariant field types are allowed.
  auto ok = build_schema(
      std::string(base) +
      "interface I { self: I list: [I] } type T implements I { self: T! list: [T!]! }");
  for (const auto& e : ok.errors) ADD_FAILURE() << e.message;
}

TEST(SchemaBuilder, ASchemaIsSharedSafelyByThreads) {
  auto schema = spec_schema();
  ResolverMap resolvers(schema);
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        ExecuteOptions options;
        options.root = Value::object(Json{{"dog", {{"name", "Rex"}}}});
        auto out = execute(*schema, resolvers, {"{ dog { name } __type(name: \"Dog\") { name } }"},
                           options);
        if (out["data"]["dog"]["name"] == "Rex" && out["data"]["__type"]["name"] == "Dog") ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 200);
}
