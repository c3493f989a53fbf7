// Spec section 6: executing operations — field order, aliases, fragments, directives, lists,
// abstract types, arguments, errors with locations and paths, batching, mutations.
#include "graphql_test_util.h"

using namespace halo::graphql;
using namespace halo::graphql::testing;

namespace {

const char* kennel = R"({
  "dog": {"name": "Rex", "nickname": "R", "barkVolume": 7,
          "owner": {"name": "Ann", "pets": [
             {"__typename": "Dog", "name": "Rex", "barkVolume": 7},
             {"__typename": "Cat", "name": "Tom", "meowVolume": 3}]}},
  "pet": {"__typename": "Cat", "name": "Tom", "meowVolume": 3},
  "catOrDog": {"__typename": "Dog", "name": "Rex", "barkVolume": 7}
})";

Json run(const std::string& query, const Json& variables = Json::object(),
         const Resolver* resolver = nullptr) {
  static ResolverMap defaults(spec_schema());
  ExecuteOptions options;
  options.root = Value::object(Json::parse(kennel));
  Request request{query, std::nullopt, variables};
  return execute(*spec_schema(), resolver ? *resolver : defaults, request, options);
}

}  // namespace

TEST(Execution, AnswersInTheOrderOfTheQueryWithAliases) {
  auto out = run("{ dog { vol: barkVolume name nick: nickname name2: name } }");
  EXPECT_EQ(out.dump(), R"({"data":{"dog":{"vol":7,"name":"Rex","nick":"R","name2":"Rex"}}})");
}

TEST(Execution, MergesFieldsThatShareAResponseKey) {
  auto out = run("{ dog { owner { name } owner { pets { name } } } }");
  EXPECT_EQ(out["data"]["dog"]["owner"].dump(),
            R"({"name":"Ann","pets":[{"name":"Rex"},{"name":"Tom"}]})");
}

TEST(Execution, FragmentsAndInlineFragmentsApplyByRuntimeType) {
  auto out = run(R"(
    { dog { owner { pets { __typename ...petName ... on Dog { barkVolume } ... on Cat { meowVolume } } } } }
    fragment petName on Pet { name })");
  EXPECT_EQ(
      out["data"]["dog"]["owner"]["pets"].dump(),
      R"([{"__typename":"Dog","name":"Rex","barkVolume":7},{"__typename":"Cat","name":"Tom","meowVolume":3}])");
  out = run("{ catOrDog { ... on Cat { meowVolume } ... on Dog { barkVolume } } pet { name } }");
  EXPECT_EQ(out["data"].dump(), R"({"catOrDog":{"barkVolume":7},"pet":{"name":"Tom"}})");
}

TEST(Execution, SkipAndIncludeWithLiteralsAndVariables) {
  const char* q = R"(query ($yes: Boolean!, $no: Boolean!) {
    dog { a: name @skip(if: $yes) b: name @include(if: $yes) c: name @skip(if: $no)
          d: name @include(if: false) ... @skip(if: true) { e: name } ...F @include(if: $no) }
  }
  fragment F on Dog { f: name })";
  auto out = run(q, {{"yes", true}, {"no", false}});
  EXPECT_EQ(out["data"]["dog"].dump(), R"({"b":"Rex","c":"Rex"})");
  // Both directives: included only when @include is true and @skip is false.
  out =
      run("{ dog { name @include(if: true) @skip(if: true) nickname @include(if: true) @skip(if: "
          "false) } }");
  EXPECT_EQ(out["data"]["dog"].dump(), R"({"nickname":"R"})");
}

TEST(Execution, TypenameAnswersOnEveryCompositeTypeAndTheRoot) {
  auto out = run("{ __typename pet { __typename } catOrDog { t: __typename } }");
  EXPECT_EQ(out["data"].dump(),
            R"({"__typename":"Query","pet":{"__typename":"Cat"},"catOrDog":{"t":"Dog"}})");
}

TEST(Execution, ResolversReceiveCoercedArgumentsWithDefaults) {
  ResolverMap resolvers(spec_schema());
  resolvers.field(
      "Arguments", "optionalNonNullBooleanArgField",
      [](const Value&, const FieldRequest& r) { return Value(r.arguments["optionalBooleanArg"]); });
  resolvers.field("Arguments", "multipleRequirements", [](const Value&, const FieldRequest& r) {
    return Value(r.arguments["x"].get<int>() * r.arguments["y"].get<int>());
  });
  resolvers.field("Query", "arguments",
                  [](const Value&, const FieldRequest&) { return Value::object(0); });
  auto out =
      run("query ($y: Int!) { arguments { optionalNonNullBooleanArgField a: "
          "optionalNonNullBooleanArgField(optionalBooleanArg: true) multipleRequirements(x: 6, y: "
          "$y) } }",
          {{"y", 7}}, &resolvers);
  EXPECT_EQ(out["data"]["arguments"].dump(),
            R"({"optionalNonNullBooleanArgField":false,"a":true,"multipleRequirements":42})");
}

TEST(Execution, FieldErrorsCarryMessageLocationsAndPath) {
  ResolverMap resolvers(spec_schema());
  resolvers.field("Dog", "nickname", [](const Value&, const FieldRequest&) {
    return Value::error("no nickname today");
  });
  resolvers.field("Dog", "barkVolume", [](const Value&, const FieldRequest&) -> Value {
    throw std::runtime_error("the microphone broke");
  });
  auto out =
      run("{\n  dog {\n    name\n    nickname\n    barkVolume\n  }\n}", Json::object(), &resolvers);
  EXPECT_EQ(
      out.dump(),
      R"({"errors":[{"message":"no nickname today","locations":[{"line":4,"column":5}],"path":["dog","nickname"]},)"
      R"({"message":"the microphone broke","locations":[{"line":5,"column":5}],"path":["dog","barkVolume"]}],)"
      R"("data":{"dog":{"name":"Rex","nickname":null,"barkVolume":null}}})");
}

TEST(Execution, ErrorPathsIncludeListIndexes) {
  ResolverMap resolvers(spec_schema());
  resolvers.field("Cat", "meowVolume",
                  [](const Value&, const FieldRequest&) { return Value::error("hoarse"); });
  auto out =
      run("{ dog { owner { pets { ... on Cat { meowVolume } } } } }", Json::object(), &resolvers);
  ASSERT_EQ(out["errors"].size(), 1u);
  EXPECT_EQ(out["errors"][0]["path"].dump(), R"(["dog","owner","pets",1,"meowVolume"])");
}

TEST(Execution, ResultCoercionFailuresAreFieldErrors) {
  ResolverMap resolvers(spec_schema());
  resolvers.field("Dog", "barkVolume",
                  [](const Value&, const FieldRequest&) { return Value(Json(int64_t(1) << 40)); });
  resolvers.field("Dog", "nickname",
                  [](const Value&, const FieldRequest&) { return Value(Json::array({1})); });
  auto out = run("{ dog { barkVolume nickname } }", Json::object(), &resolvers);
  ASSERT_EQ(out["errors"].size(), 2u);
  EXPECT_EQ(out["errors"][0]["message"],
            "Int cannot represent non 32-bit signed integer value: 1099511627776");
  EXPECT_EQ(out["errors"][1]["message"], "String cannot represent non string value: [1]");
}

TEST(Execution, FloatsMustBeFinite) {
  auto built = build_schema("type Query { a: Float b: Float }");
  ASSERT_TRUE(built.ok());
  ResolverMap resolvers(built.schema);
  resolvers.field("Query", "a", [](const Value&, const FieldRequest&) {
    return Value(Json(std::numeric_limits<double>::infinity()));
  });
  resolvers.field("Query", "b", [](const Value&, const FieldRequest&) { return Value(Json(2.5)); });
  auto out = execute(*built.schema, resolvers, {"{ a b }"});
  EXPECT_EQ(out["data"].dump(), R"({"a":null,"b":2.5})");
  EXPECT_EQ(out["errors"][0]["message"], "Float cannot represent a non-finite value.");
}

TEST(Execution, AnAbstractPositionNeedsTheObjectsType) {
  ResolverMap resolvers(spec_schema());
  resolvers.field("Query", "pet", [](const Value&, const FieldRequest&) {
    return Value::object(Json{{"name", "x"}});
  });
  resolvers.field("Query", "catOrDog",
                  [](const Value&, const FieldRequest&) { return Value::object(1, "Human"); });
  auto out = run("{ pet { name } catOrDog { __typename } }", Json::object(), &resolvers);
  ASSERT_EQ(out["errors"].size(), 2u);
  EXPECT_EQ(out["errors"][0]["message"],
            "Abstract type \"Pet\" must resolve to an Object type at runtime for field "
            "\"Query.pet\"; got \"\".");
  EXPECT_EQ(out["errors"][1]["message"],
            "Abstract type \"CatOrDog\" must resolve to an Object type at runtime for field "
            "\"Query.catOrDog\"; got \"Human\".");
}

TEST(Execution, EnumResultsMustNameAValue) {
  auto built = build_schema("enum Color { RED GREEN } type Query { a: Color b: Color c: [Color] }");
  ASSERT_TRUE(built.ok());
  ResolverMap resolvers(built.schema);
  ExecuteOptions options;
  options.root = Value::object(Json::parse(R"({"a": "RED", "b": "BLUE", "c": ["GREEN", "RED"]})"));
  auto out = execute(*built.schema, resolvers, {"{ a b c }"}, options);
  EXPECT_EQ(out["data"].dump(), R"({"a":"RED","b":null,"c":["GREEN","RED"]})");
  EXPECT_EQ(out["errors"][0]["message"], "Enum \"Color\" cannot represent value: \"BLUE\"");
}

TEST(Execution, BatchResolversSeeEveryParentOfALevelAtOnce) {
  auto built = build_schema(R"(
    type Query { builds: [Build!]! }
    type Build { id: ID! tasks: [Task!]! }
    type Task { id: ID! build: Build! name: String })");
  ASSERT_TRUE(built.ok());
  ResolverMap resolvers(built.schema);
  std::vector<size_t> task_batches;
  std::vector<size_t> build_batches;
  resolvers.field("Query", "builds", [](const Value&, const FieldRequest&) {
    std::vector<Value> builds;
    for (int64_t id = 1; id <= 10; ++id) builds.push_back(Value::object(id));
    return Value::list(std::move(builds));
  });
  resolvers.field("Build", "id",
                  [](const Value& p, const FieldRequest&) { return Value(*p.as<int64_t>()); });
  resolvers.batch(
      "Build", "tasks",
      [&](const FieldRequest&, std::span<const Value> parents, std::span<Value> out) {
        task_batches.push_back(parents.size());
        for (size_t i = 0; i < parents.size(); ++i) {
          int64_t build = *parents[i].as<int64_t>();
          out[i] = Value::list({Value::object(build * 100 + 1), Value::object(build * 100 + 2)});
        }
      });
  resolvers.field("Task", "id",
                  [](const Value& p, const FieldRequest&) { return Value(*p.as<int64_t>()); });
  resolvers.batch("Task", "build",
                  [&](const FieldRequest&, std::span<const Value> parents, std::span<Value> out) {
                    build_batches.push_back(parents.size());
                    for (size_t i = 0; i < parents.size(); ++i)
                      out[i] = Value::object(*parents[i].as<int64_t>() / 100);
                  });
  auto out = execute(*built.schema, resolvers, {"{ builds { id tasks { id build { id } } } }"});
  ASSERT_FALSE(out.contains("errors")) << out.dump();
  EXPECT_EQ(task_batches, std::vector<size_t>{10});   // one call for the tasks of ten builds
  EXPECT_EQ(build_batches, std::vector<size_t>{20});  // one call for twenty tasks
  EXPECT_EQ(
      out["data"]["builds"][3].dump(),
      R"({"id":"4","tasks":[{"id":"401","build":{"id":"4"}},{"id":"402","build":{"id":"4"}}]})");
}

TEST(Execution, ResolversSeeTheSelectionsOfTheirField) {
  ResolverMap resolvers(spec_schema());
  std::vector<std::string> seen;
  resolvers.field("Query", "dog", [&](const Value&, const FieldRequest& r) {
    for (const auto* node : r.nodes) {
      for (const auto& sel : node->selection_set.selections) seen.emplace_back(sel.name);
    }
    return Value::object(Json{{"name", "Rex"}});
  });
  run("{ dog { name } dog { barkVolume } }", Json::object(), &resolvers);
  EXPECT_EQ(seen, (std::vector<std::string>{"name", "barkVolume"}));
}

TEST(Execution, MutationRootFieldsRunOneAfterAnother) {
  ResolverMap resolvers(spec_schema());
  std::vector<std::string> order;
  resolvers.field("Mutation", "mutateDog", [&](const Value&, const FieldRequest& r) {
    order.push_back("mutate " + r.arguments["name"].get<std::string>());
    return Value::object(Json{{"name", r.arguments["name"]}});
  });
  resolvers.field("Dog", "nickname", [&](const Value& p, const FieldRequest&) {
    order.push_back("read " + p.as<Json>()->at("name").get<std::string>());
    return Value(Json("n"));
  });
  auto out = run(
      R"(mutation { a: mutateDog(name: "A") { nickname } b: mutateDog(name: "B") { nickname } })",
      Json::object(), &resolvers);
  EXPECT_EQ(order, (std::vector<std::string>{"mutate A", "read A", "mutate B", "read B"}));
  EXPECT_EQ(out["data"].dump(), R"({"a":{"nickname":"n"},"b":{"nickname":"n"}})");
}

TEST(Execution, SelectsTheOperationByName) {
  const char* doc = "query A { dog { name } } query B { dog { nickname } }";
  ResolverMap resolvers(spec_schema());
  ExecuteOptions options;
  options.root = Value::object(Json::parse(kennel));
  auto out = execute(*spec_schema(), resolvers, {doc, "B", Json::object()}, options);
  EXPECT_EQ(out["data"].dump(), R"({"dog":{"nickname":"R"}})");
  out = execute(*spec_schema(), resolvers, {doc, std::nullopt, Json::object()}, options);
  EXPECT_EQ(
      out.dump(),
      R"({"errors":[{"message":"Must provide operation name if query contains multiple operations."}]})");
  out = execute(*spec_schema(), resolvers, {doc, "C", Json::object()}, options);
  EXPECT_EQ(out.dump(), R"({"errors":[{"message":"Unknown operation named \"C\"."}]})");
}

TEST(Execution, RequestErrorsHaveNoData) {
  auto out = run("{ dog { name ");
  EXPECT_EQ(
      out.dump(),
      R"({"errors":[{"message":"Syntax Error: Expected Name, found <EOF>.","locations":[{"line":1,"column":14}]}]})");
  out = run("{ dog { color } }");
  EXPECT_EQ(
      out.dump(),
      R"({"errors":[{"message":"Cannot query field \"color\" on type \"Dog\".","locations":[{"line":1,"column":9}]}]})");
}

TEST(Execution, ASubscriptionDocumentIsAnsweredWithItsCurrentValue) {
  ResolverMap resolvers(spec_schema());
  resolvers.field("Subscription", "newMessage", [](const Value&, const FieldRequest&) {
    return Value::object(Json{{"body", "hi"}});
  });
  auto out = execute(*spec_schema(), resolvers, {"subscription { newMessage { body } }"});
  EXPECT_EQ(out.dump(), R"({"data":{"newMessage":{"body":"hi"}}})");
}

TEST(Execution, APreparedDocumentRunsManyTimes) {
  auto prepared = prepare(
      *spec_schema(),
      "query ($n: String!) { mutateDogName: dog { name } findDog(searchBy: {name: $n}) { name } }");
  ASSERT_TRUE(prepared.ok());
  ResolverMap resolvers(spec_schema());
  resolvers.field("Query", "findDog", [](const Value&, const FieldRequest& r) {
    return Value::object(Json{{"name", r.arguments["searchBy"]["name"]}});
  });
  for (std::string name : {"a", "b"}) {
    auto out = execute_prepared(*spec_schema(), resolvers, *prepared.document, std::nullopt,
                                {{"n", name}});
    EXPECT_EQ(out["data"]["findDog"]["name"], name);
  }
  auto bad = prepare(*spec_schema(), "{ nope }");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.errors[0].message, "Cannot query field \"nope\" on type \"Query\".");
}

TEST(Execution, AResolverMapRefusesFieldsTheSchemaLacks) {
  ResolverMap resolvers(spec_schema());
  auto none = [](const Value&, const FieldRequest&) { return Value(); };
  EXPECT_THROW(resolvers.field("Dog", "color", none), std::invalid_argument);
  EXPECT_THROW(resolvers.field("Pet", "name", none), std::invalid_argument);  // not an object type
  EXPECT_THROW(resolvers.field("Nope", "name", none), std::invalid_argument);
  EXPECT_NO_THROW(resolvers.field("Dog", "name", none));
}

TEST(Execution, ResolversMayAnswerWithPlainJsonForWholeSubtrees) {
  auto built = build_schema(R"(
    scalar Long
    type Query { builds: [Build] }
    type Build { id: ID! startedAt: Long tasks: [Task!]! }
    type Task { name: String labels: [String!]! })");
  ASSERT_TRUE(built.ok());
  ResolverMap resolvers(built.schema);
  resolvers.field("Query", "builds", [](const Value&, const FieldRequest&) {
    return Value(Json::parse(R"([{"id": 9007199254740993, "startedAt": 9007199254740993,
                                 "tasks": [{"name": "a", "labels": ["x", "y"]}]}, null])"));
  });
  auto out =
      execute(*built.schema, resolvers, {"{ builds { id startedAt tasks { name labels } } }"});
  // 2^53 + 1 survives exactly, as an ID string and as a Long number.
  EXPECT_EQ(
      out.dump(),
      R"({"data":{"builds":[{"id":"9007199254740993","startedAt":9007199254740993,"tasks":[{"name":"a","labels":["x","y"]}]},null]}})");
}
