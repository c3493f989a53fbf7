// The Cirrus CI schema file loads, with its redeclared `scalar Int` taken as Long, and answers
// the standard introspection query.
#include "graphql_test_util.h"
#include "introspection_query.h"

using namespace halo::graphql;
using namespace halo::graphql::testing;

namespace {

std::string cirrus_sdl() {
  return read_file(std::string(HALO_SHARED_DIR) + "/specs/cirrus-ci.schema.graphql");
}

// Finds a type in an introspection result.
const Json* find_type(const Json& result, std::string_view name) {
  for (const auto& t : result["data"]["__schema"]["types"]) {
    if (t["name"] == name) return &t;
  }
  return nullptr;
}

const Json* find_field(const Json& type, std::string_view name) {
  for (const auto& f : type["fields"]) {
    if (f["name"] == name) return &f;
  }
  return nullptr;
}

}  // namespace

TEST(CirrusSchema, LoadsAsPublished) {
  auto built = build_schema(cirrus_sdl());
  for (const auto& e : built.errors) ADD_FAILURE() << e.message;
  ASSERT_TRUE(built.ok());
  const Schema& s = *built.schema;
  EXPECT_EQ(s.query_type()->name, "Query");
  EXPECT_EQ(s.mutation_type()->name, "Mutation");
  EXPECT_EQ(s.subscription_type()->name, "Subscription");
  // Without the option the redeclared Int stays the spec's Int, and no Long appears.
  EXPECT_EQ(s.type("Build")->field("changeTimestamp")->type->to_string(), "Int!");
  EXPECT_EQ(s.type("Long"), nullptr);
  EXPECT_TRUE(s.type("Task")->implements(*s.type("Node")));
}

TEST(CirrusSchema, TheRedeclaredIntBecomesLongExceptWhereKept) {
  SchemaOptions options;
  options.redeclared_int_as = "Long";
  options.keep_int = {"Repository.builds(last:)", "ParsingResultIssue.line"};
  auto built = build_schema(cirrus_sdl(), options);
  for (const auto& e : built.errors) ADD_FAILURE() << e.message;
  ASSERT_TRUE(built.ok());
  const Schema& s = *built.schema;
  const NamedType* long_type = s.type("Long");
  ASSERT_NE(long_type, nullptr);
  EXPECT_EQ(long_type->kind, TypeKind::Scalar);
  EXPECT_EQ(*long_type->description, "A 64-bit signed integer");
  EXPECT_EQ(s.type("Build")->field("changeTimestamp")->type->to_string(), "Long!");
  EXPECT_EQ(s.type("Build")->field("durationInSeconds")->type->to_string(), "Long");
  EXPECT_EQ(s.type("Repository")->field("builds")->argument("last")->type->to_string(), "Int");
  EXPECT_EQ(s.type("Repository")->field("builds")->argument("first")->type->to_string(), "Long");
  EXPECT_EQ(s.type("ParsingResultIssue")->field("line")->type->to_string(), "Int!");
  EXPECT_EQ(s.type("ParsingResultIssue")->field("column")->type->to_string(), "Long!");
  // The built-in Int is untouched.
  EXPECT_EQ(*s.type("Int")->description,
            "The `Int` scalar type represents non-fractional signed whole numeric values. Int can "
            "represent values between -(2^31) and 2^31 - 1.");
}

TEST(CirrusSchema, AnswersTheStandardIntrospectionQuery) {
  SchemaOptions options;
  options.redeclared_int_as = "Long";
  auto built = build_schema(cirrus_sdl(), options);
  ASSERT_TRUE(built.ok());
  ResolverMap resolvers(built.schema);
  for (const char* query : {introspection_query, introspection_query_all_options}) {
    auto result = execute(*built.schema, resolvers, {query});
    ASSERT_FALSE(result.contains("errors")) << result["errors"].dump(2);
    const Json& schema = result["data"]["__schema"];
    EXPECT_EQ(schema["queryType"]["name"], "Query");
    EXPECT_EQ(schema["mutationType"]["name"], "Mutation");
    EXPECT_EQ(schema["subscriptionType"]["name"], "Subscription");
    const Json* build = find_type(result, "Build");
    ASSERT_NE(build, nullptr);
    EXPECT_EQ((*build)["kind"], "OBJECT");
    EXPECT_EQ((*build)["interfaces"][0]["name"], "Node");
    const Json* ts = find_field(*build, "changeTimestamp");
    ASSERT_NE(ts, nullptr);
    EXPECT_EQ(
        (*ts)["type"].dump(),
        R"({"kind":"NON_NULL","name":null,"ofType":{"kind":"SCALAR","name":"Long","ofType":null}})");
    const Json* long_type = find_type(result, "Long");
    ASSERT_NE(long_type, nullptr);
    EXPECT_EQ((*long_type)["description"], "A 64-bit signed integer");
    const Json* status = find_type(result, "BuildStatus");
    ASSERT_NE(status, nullptr);
    EXPECT_EQ((*status)["enumValues"].size(), 8u);
    const Json* node = find_type(result, "Node");
    ASSERT_NE(node, nullptr);
    EXPECT_EQ((*node)["kind"], "INTERFACE");
    EXPECT_GE((*node)["possibleTypes"].size(), 5u);
    bool has_skip = false;
    for (const auto& d : schema["directives"]) has_skip = has_skip || d["name"] == "skip";
    EXPECT_TRUE(has_skip);
  }
}

namespace {

std::shared_ptr<const Schema> cirrus_long_schema() {
  static auto schema = [] {
    SchemaOptions options;
    options.redeclared_int_as = "Long";
    return build_schema(cirrus_sdl(), options).schema;
  }();
  return schema;
}

}  // namespace

TEST(CirrusSchema, RunsTheWebhookFragmentAndIdsGivenAsNumbers) {
  auto schema = cirrus_long_schema();
  ASSERT_TRUE(schema);
  ResolverMap resolvers(schema);
  std::vector<std::string> asked;
  // Ids are 64-bit integers that clients may send as numbers; the resolver sees a string.
  resolvers.field("Query", "task", [&](const Value&, const FieldRequest& r) {
    asked.push_back(r.arguments["id"].get<std::string>());
    return Value::object(Json::parse(R"({
      "id": 5129885287448576, "name": "test", "nameAlias": null, "status": "COMPLETED",
      "statusTimestamp": 1768074358517, "creationTimestamp": 1768074300000, "durationInSeconds": 58,
      "uniqueLabels": ["a"], "automaticReRun": false, "automaticallyReRunnable": true,
      "manualRerunCount": 0, "notifications": [{"level": "INFO", "message": "hi", "link": null}],
      "build": {"id": 42, "branch": "main", "pullRequest": null, "pullRequestDraft": null,
                "durationInSeconds": 60, "changeIdInRepo": "abc", "changeTimestamp": 1768074000000,
                "status": "COMPLETED",
                "repository": {"id": 7, "owner": "o", "name": "r", "isPrivate": false}}})"));
  });
  const char* query = R"(
    query Hook($id: ID!) {
      task(id: $id) {
        id name nameAlias status statusTimestamp creationTimestamp durationInSeconds uniqueLabels
        automaticReRun automaticallyReRunnable manualRerunCount notifications { level message link }
        build {
          id branch pullRequest pullRequestDraft durationInSeconds changeIdInRepo changeTimestamp status
          repository { id owner name isPrivate }
        }
      }
      byLiteral: task(id: 5129885287448576) { id }
    })";
  auto out = execute(*schema, resolvers, {query, "Hook", Json{{"id", 5129885287448576}}});
  ASSERT_FALSE(out.contains("errors")) << out.dump(2);
  EXPECT_EQ(asked, (std::vector<std::string>{"5129885287448576", "5129885287448576"}));
  const Json& task = out["data"]["task"];
  EXPECT_EQ(task["id"], "5129885287448576");
  EXPECT_EQ(task["statusTimestamp"], 1768074358517);  // a Long, beyond 32 bits
  EXPECT_EQ(task["build"]["repository"].dump(),
            R"({"id":"7","owner":"o","name":"r","isPrivate":false})");
  EXPECT_EQ(out["data"]["byLiteral"]["id"], "5129885287448576");
}

TEST(CirrusSchema, SearchBuildsValidatesAndRefusesAMissingRequiredArgument) {
  auto schema = cirrus_long_schema();
  ASSERT_TRUE(schema);
  EXPECT_TRUE(validation_errors(R"(
    query { searchBuilds(repositoryOwner: "o", repositoryName: "r", SHA: "abc") {
      id status tasks { id name status } repository { builds(last: 5, branch: "main") { edges { node { id } } } } } })",
                                *schema)
                  .empty());
  auto errors = validation_errors(R"({ searchBuilds(repositoryOwner: "o") { id } })", *schema);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "Argument \"repositoryName\" of type \"String!\" is required on field "
            "\"Query.searchBuilds\", but it was not provided.");
}
