// Spec 6.4.4: a null (or an error) in a non-null position makes the nearest nullable parent
// null; the error is reported once, at the position where it happened.
#include "graphql_test_util.h"

using namespace halo::graphql;
using namespace halo::graphql::testing;

namespace {

std::shared_ptr<const Schema> null_schema() {
  static auto schema = [] {
    auto built = build_schema(R"(
      type Query {
        nullable: Node
        nonNull: Node!
        list: [Node]
        listOfNonNull: [Node!]
        nonNullListOfNonNull: [Node!]!
        matrix: [[Int!]]
      }
      type Node {
        value: Int
        required: Int!
        child: Node
        requiredChild: Node!
      })");
    for (const auto& e : built.errors) ADD_FAILURE() << e.message;
    return built.schema;
  }();
  return schema;
}

Json run(const std::string& query, const char* data) {
  ResolverMap resolvers(null_schema());
  ExecuteOptions options;
  options.root = Value::object(Json::parse(data));
  return execute(*null_schema(), resolvers, {query}, options);
}

}  // namespace

TEST(NullPropagation, ANullableFieldIsJustNull) {
  auto out = run("{ nullable { value child { value } } }", R"({"nullable": {"value": null}})");
  EXPECT_EQ(out.dump(), R"({"data":{"nullable":{"value":null,"child":null}}})");
}

TEST(NullPropagation, ANonNullFieldNullsItsParentObject) {
  auto out = run("{ nullable { value required } }", R"({"nullable": {"value": 1}})");
  EXPECT_EQ(
      out.dump(),
      R"({"errors":[{"message":"Cannot return null for non-nullable field Node.required.","locations":[{"line":1,"column":20}],"path":["nullable","required"]}],"data":{"nullable":null}})");
}

TEST(NullPropagation, NullsClimbThroughNonNullParentsToTheFirstNullableOne) {
  auto out = run("{ nullable { requiredChild { requiredChild { required } } } }",
                 R"({"nullable": {"requiredChild": {"requiredChild": {}}}})");
  EXPECT_EQ(out["data"].dump(), R"({"nullable":null})");
  ASSERT_EQ(out["errors"].size(), 1u);
  EXPECT_EQ(out["errors"][0]["path"].dump(),
            R"(["nullable","requiredChild","requiredChild","required"])");
}

TEST(NullPropagation, ANonNullRootFieldNullsTheWholeData) {
  auto out = run("{ nullable { value } nonNull { required } }",
                 R"({"nullable": {"value": 3}, "nonNull": {}})");
  EXPECT_TRUE(out["data"].is_null());
  EXPECT_EQ(out["errors"].size(), 1u);
  out = run("{ nonNull { value } }", R"({})");
  EXPECT_TRUE(out["data"].is_null());
  EXPECT_EQ(out["errors"][0]["message"],
            "Cannot return null for non-nullable field Query.nonNull.");
}

TEST(NullPropagation, NullItemsOfANullableListStayItems) {
  auto out =
      run("{ list { required } }", R"({"list": [{"required": 1}, {}, null, {"required": 3}]})");
  EXPECT_EQ(out["data"].dump(), R"({"list":[{"required":1},null,null,{"required":3}]})");
  ASSERT_EQ(out["errors"].size(), 1u);
  EXPECT_EQ(out["errors"][0]["path"].dump(), R"(["list",1,"required"])");
}

TEST(NullPropagation, ANullNonNullItemNullsTheList) {
  auto out = run("{ listOfNonNull { value } }", R"({"listOfNonNull": [{"value": 1}, null]})");
  EXPECT_EQ(out["data"].dump(), R"({"listOfNonNull":null})");
  EXPECT_EQ(out["errors"][0]["path"].dump(), R"(["listOfNonNull",1])");
  // ...and through a non-null list, its parent.
  out = run(
      "{ nullable { value } nonNullListOfNonNull { required } }",
      R"({"nullable": {"value": 1}, "nonNullListOfNonNull": [{"required": 1}, {"required": null}]})");
  EXPECT_TRUE(out["data"].is_null());
  EXPECT_EQ(out["errors"][0]["path"].dump(), R"(["nonNullListOfNonNull",1,"required"])");
}

TEST(NullPropagation, NestedListsNullTheInnermostNullableList) {
  auto out = run("{ matrix }", R"({"matrix": [[1, 2], [3, null], null]})");
  EXPECT_EQ(out["data"].dump(), R"({"matrix":[[1,2],null,null]})");
  EXPECT_EQ(out["errors"][0]["path"].dump(), R"(["matrix",1,1])");
}

TEST(NullPropagation, SiblingsOfANulledObjectKeepTheirValues) {
  auto out = run("{ a: nullable { required } b: nullable { value } list { value } }",
                 R"({"nullable": {"value": 5}, "list": [{"value": 1}]})");
  EXPECT_EQ(out["data"].dump(), R"({"a":null,"b":{"value":5},"list":[{"value":1}]})");
  EXPECT_EQ(out["errors"].size(), 1u);
}

TEST(NullPropagation, WorkBelowANulledObjectDoesNotResurrectIt) {
  // The second item is nulled by its `required`, while its child is still being resolved in
  // the same batch as the other items' children.
  auto out = run("{ list { required child { value requiredChild { value } } } }",
                 R"({"list": [{"required": 1, "child": {"value": 1, "requiredChild": {"value": 2}}},
                              {"child": {"value": 3, "requiredChild": {"value": 4}}},
                              {"required": 5, "child": {"value": 6}}]})");
  EXPECT_EQ(
      out["data"].dump(),
      R"({"list":[{"required":1,"child":{"value":1,"requiredChild":{"value":2}}},null,{"required":5,"child":null}]})");
  ASSERT_EQ(out["errors"].size(), 2u);
  EXPECT_EQ(out["errors"][0]["path"].dump(), R"(["list",1,"required"])");
  EXPECT_EQ(out["errors"][1]["path"].dump(), R"(["list",2,"child","requiredChild"])");
}
