// Input coercion (spec 3.5 scalars, 3.9 lists, 3.10 input objects, 6.4.1 variables): what
// resolvers receive for literals and for JSON variables, and what is refused.
#include "api/graphql/input_coercion.h"
#include "graphql_test_util.h"

using namespace halo::graphql;
using namespace halo::graphql::testing;

namespace {

std::shared_ptr<const Schema> coercion_schema() {
  static auto schema = [] {
    auto built = build_schema(R"(
      scalar Long
      scalar JSON
      enum Color { RED GREEN }
      input Point { x: Int! y: Int = 0 tags: [String!] }
      type Query {
        id(v: ID): String
        ids(v: [ID!]): String
        int(v: Int): String
        long(v: Long): String
        float(v: Float): String
        bool(v: Boolean): String
        string(v: String): String
        color(v: Color): String
        point(v: Point): String
        points(v: [[Point]]): String
        json(v: JSON): String
        defaulted(v: Point = {x: 1}): String
        required(v: Int!): String
      })");
    for (const auto& e : built.errors) ADD_FAILURE() << e.message;
    return built.schema;
  }();
  return schema;
}

// Runs `{ <field>(v: <literal>) }` or, with variables, a query declaring $v; the resolver echoes
// the coerced argument back as JSON text.
Json echo(const std::string& query, const Json& variables = Json::object()) {
  static ResolverMap resolvers = [] {
    ResolverMap r(coercion_schema());
    for (const auto& f : coercion_schema()->query_type()->fields) {
      r.field("Query", f.name, [](const Value&, const FieldRequest& req) {
        auto it = req.arguments.find("v");
        return Value(Json(it == req.arguments.end() ? std::string("absent") : it->dump()));
      });
    }
    return r;
  }();
  return execute(*coercion_schema(), resolvers, {query, std::nullopt, variables});
}

std::string literal(const std::string& field, const std::string& value) {
  auto out = echo("{ " + field + "(v: " + value + ") }");
  if (out.contains("errors")) return "error: " + out["errors"][0]["message"].get<std::string>();
  return out["data"][field];
}

std::string variable(const std::string& field, const std::string& type, const Json& value) {
  auto out = echo("query ($v: " + type + ") { " + field + "(v: $v) }", {{"v", value}});
  if (out.contains("errors")) return "error: " + out["errors"][0]["message"].get<std::string>();
  return out["data"][field];
}

}  // namespace

TEST(Coercion, AnIdAcceptsAStringOrAnIntegerAndIsAString) {
  EXPECT_EQ(literal("id", "\"abc\""), "\"abc\"");
  EXPECT_EQ(literal("id", "5129885287448576"), "\"5129885287448576\"");
  EXPECT_EQ(variable("id", "ID", 5129885287448576), "\"5129885287448576\"");
  EXPECT_EQ(variable("id", "ID", "42"), "\"42\"");
  EXPECT_EQ(variable("id", "ID", 1.5),
            "error: Variable \"$v\" got invalid value 1.5; ID cannot represent non-string and "
            "non-integer value: 1.5.");
  EXPECT_EQ(variable("ids", "[ID!]", Json::array({1, "2"})), "[\"1\",\"2\"]");
  EXPECT_EQ(literal("id", "true"),
            "error: Expected value of type \"ID\", found true; ID cannot represent non-string and "
            "non-integer value: true");
}

TEST(Coercion, IntIs32BitAndLongIs64Bit) {
  EXPECT_EQ(literal("int", "-2147483648"), "-2147483648");
  EXPECT_EQ(literal("int", "2147483648").substr(0, 48),
            "error: Expected value of type \"Int\", found 21474");
  EXPECT_EQ(variable("int", "Int", 4.0), "4");  // an integral JSON number
  EXPECT_EQ(
      variable("int", "Int", 4.5),
      "error: Variable \"$v\" got invalid value 4.5; Int cannot represent non-integer value: 4.5.");
  EXPECT_EQ(variable("int", "Int", 3000000000),
            "error: Variable \"$v\" got invalid value 3000000000; Int cannot represent non 32-bit "
            "signed integer value: 3000000000.");
  EXPECT_EQ(variable("int", "Int", "1"),
            "error: Variable \"$v\" got invalid value \"1\"; Int cannot represent non-integer "
            "value: \"1\".");
  EXPECT_EQ(literal("long", "5129885287448576"), "5129885287448576");
  EXPECT_EQ(variable("long", "Long", 1768074358517), "1768074358517");
  EXPECT_EQ(literal("long", "92233720368547758070").substr(0, 44),
            "error: Expected value of type \"Long\", found ");
}

TEST(Coercion, FloatBooleanAndStringAreStrict) {
  EXPECT_EQ(literal("float", "1"), "1.0");
  EXPECT_EQ(literal("float", "-1.5e3"), "-1500.0");
  EXPECT_EQ(variable("float", "Float", 2), "2.0");
  EXPECT_EQ(literal("bool", "false"), "false");
  EXPECT_EQ(
      variable("bool", "Boolean", 1),
      "error: Variable \"$v\" got invalid value 1; Boolean cannot represent non boolean value: 1.");
  EXPECT_EQ(literal("string", "\"\"\"  block\n  text\"\"\""), "\"  block\\ntext\"");
  EXPECT_EQ(
      variable("string", "String", 5),
      "error: Variable \"$v\" got invalid value 5; String cannot represent non string value: 5.");
}

TEST(Coercion, EnumsAreNamesOfTheirValues) {
  EXPECT_EQ(literal("color", "RED"), "\"RED\"");
  EXPECT_EQ(variable("color", "Color", "GREEN"), "\"GREEN\"");
  EXPECT_EQ(variable("color", "Color", "BLUE"),
            "error: Variable \"$v\" got invalid value \"BLUE\"; Value \"BLUE\" does not exist in "
            "\"Color\" enum.");
}

TEST(Coercion, ASingleValueBecomesAListOfOne) {
  EXPECT_EQ(literal("ids", "7"), "[\"7\"]");
  EXPECT_EQ(variable("ids", "[ID!]", 7), "[\"7\"]");
  EXPECT_EQ(literal("points", "{x: 1}"), "[[{\"x\":1,\"y\":0}]]");
  EXPECT_EQ(literal("points", "[[{x: 1}, null], null]"), "[[{\"x\":1,\"y\":0},null],null]");
}

TEST(Coercion, InputObjectsGetDefaultsAndRefuseUnknownOrMissingFields) {
  EXPECT_EQ(literal("point", "{x: 1, tags: \"a\"}"), "{\"x\":1,\"y\":0,\"tags\":[\"a\"]}");
  EXPECT_EQ(variable("point", "Point", {{"x", 2}, {"y", 3}}), "{\"x\":2,\"y\":3}");
  EXPECT_EQ(variable("point", "Point", {{"y", 3}}),
            "error: Variable \"$v\" got invalid value {\"y\":3}; Field \"x\" of required type "
            "\"Int!\" was not provided.");
  EXPECT_EQ(variable("point", "Point", {{"x", 1}, {"z", 3}}),
            "error: Variable \"$v\" got invalid value {\"x\":1,\"z\":3}; Field \"z\" is not "
            "defined by type \"Point\".");
  EXPECT_EQ(variable("point", "Point", {{"x", 1}, {"tags", {"a", nullptr}}}),
            "error: Variable \"$v\" got invalid value {\"x\":1,\"tags\":[\"a\",null]}; Expected "
            "non-nullable type \"String!\" not to be null at \"tags[1]\".");
  EXPECT_EQ(
      variable("point", "Point", "x=1"),
      "error: Variable \"$v\" got invalid value \"x=1\"; Expected type \"Point\" to be an object.");
}

TEST(Coercion, ArgumentDefaultsApplyWhenTheArgumentOrItsVariableIsAbsent) {
  EXPECT_EQ(echo("{ defaulted }")["data"]["defaulted"], "{\"x\":1,\"y\":0}");
  EXPECT_EQ(echo("query ($v: Point) { defaulted(v: $v) }")["data"]["defaulted"],
            "{\"x\":1,\"y\":0}");
  // An explicit null is not absent.
  EXPECT_EQ(echo("query ($v: Point) { defaulted(v: $v) }", {{"v", nullptr}})["data"]["defaulted"],
            "null");
  EXPECT_EQ(echo("{ int }")["data"]["int"], "absent");
  // A variable absent inside an input object leaves the field to its default.
  EXPECT_EQ(echo("query ($y: Int) { point(v: {x: 1, y: $y}) }")["data"]["point"],
            "{\"x\":1,\"y\":0}");
}

TEST(Coercion, VariablesUseTheirDefaultsAndRefuseNullForNonNull) {
  EXPECT_EQ(echo("query ($v: Int = 5) { int(v: $v) }")["data"]["int"], "5");
  EXPECT_EQ(echo("query ($v: Int!) { required(v: $v) }")["errors"][0]["message"],
            "Variable \"$v\" of required type \"Int!\" was not provided.");
  EXPECT_EQ(echo("query ($v: Int!) { required(v: $v) }", {{"v", nullptr}})["errors"][0]["message"],
            "Variable \"$v\" of non-null type \"Int!\" must not be null.");
  EXPECT_EQ(echo("query ($v: Int!) { required(v: $v) }", {{"v", 3}})["data"]["required"], "3");
}

TEST(Coercion, CustomScalarsTakeAnyValue) {
  EXPECT_EQ(literal("json", "{a: [1, \"b\", true, null, ENUM]}"),
            "{\"a\":[1,\"b\",true,null,\"ENUM\"]}");
  EXPECT_EQ(variable("json", "JSON", {{"any", {1, 2}}}), "{\"any\":[1,2]}");
  EXPECT_EQ(echo("query ($x: Int) { json(v: {a: $x}) }", {{"x", 4}})["data"]["json"], "{\"a\":4}");
}

TEST(Coercion, LiteralsCoerceWithoutASchemaRoundTrip) {
  auto doc = parse_ok("{ f(a: [1, 2]) }");
  const Schema& s = *coercion_schema();
  TypeArena arena;
  const TypeRef* list =
      &arena.emplace_back(TypeRef{TypeRef::Kind::List, nullptr, s.named_ref(s.type("Int"))});
  std::string error;
  auto v = coerce_literal(doc.operations[0].selection_set.selections[0].arguments[0].value, list,
                          nullptr, &error);
  ASSERT_TRUE(v) << error;
  EXPECT_EQ(v->dump(), "[1,2]");
}

TEST(Coercion, VariablesMustBeAnObject) {
  auto out = echo("query ($v: Int) { int(v: $v) }", Json::array({1}));
  EXPECT_EQ(out.dump(), R"({"errors":[{"message":"Variables must be given as a JSON object."}]})");
  EXPECT_EQ(echo("query ($v: Int) { int(v: $v) }", nullptr)["data"]["int"], "absent");
}
