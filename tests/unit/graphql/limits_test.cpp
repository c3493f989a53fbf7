// Hostile documents are refused before validation and execution, with an error that says
// which limit they exceed.
#include "graphql_test_util.h"

using namespace halo::graphql;
using namespace halo::graphql::testing;

namespace {

// The resolver counts its calls: a refused document must never reach it.
struct CountingResolver : Resolver {
  mutable int calls = 0;
  void resolve(const FieldRequest&, std::span<const Value>, std::span<Value>) const override {
    ++calls;
  }
};

Json run(const std::string& query, const Limits& limits, const Json& variables = Json::object()) {
  CountingResolver resolver;
  ExecuteOptions options;
  options.limits = limits;
  auto out = execute(*spec_schema(), resolver, {query, std::nullopt, variables}, options);
  if (out.contains("errors") && !out.contains("data")) {
    EXPECT_EQ(resolver.calls, 0);
  }
  return out;
}

std::string first_error(const Json& out) {
  return out.contains("errors") ? out["errors"][0]["message"].get<std::string>() : "none";
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST(Limits, RefusesOversizedDocuments) {
  Limits limits;
  limits.max_document_bytes = 100;
  EXPECT_EQ(first_error(run("{ dog { name " + std::string(200, ' ') + "} }", limits)),
            "Document is 216 bytes long; the limit is 100.");
  Limits tokens;
  tokens.max_tokens = 50;
  EXPECT_NE(first_error(run("{ dog { " + repeat("name ", 60) + "} }", tokens))
                .find("more than 50 tokens"),
            std::string::npos);
}

TEST(Limits, RefusesDeepDocumentsEvenThroughFragments) {
  Limits limits;
  limits.max_depth = 4;
  EXPECT_EQ(first_error(run("{ dog { owner { pets { name } } } }", limits)), "none");
  EXPECT_EQ(
      first_error(run("{ dog { owner { pets { ... on Dog { owner { name } } } } } }", limits)),
      "The operation nests fields 5 deep; the limit is 4.");
  EXPECT_EQ(first_error(run("query Deep { dog { ...O } } fragment O on Dog { owner { pets { ...N } "
                            "} } fragment N on Pet { ... on Dog { owner { name } } }",
                            limits)),
            "Operation \"Deep\" nests fields 5 deep; the limit is 4.");
}

TEST(Limits, RefusesAliasFloods) {
  Limits limits;
  limits.max_aliases = 10;
  std::string q = "{ dog { ";
  for (int i = 0; i < 11; ++i) q += "a" + std::to_string(i) + ": name ";
  q += "} }";
  EXPECT_EQ(first_error(run(q, limits)), "Document uses 11 aliases; the limit is 10.");
}

TEST(Limits, RefusesFragmentSpreadExplosions) {
  // Each level spreads the next one ten times: 10^6 fields from a few hundred bytes.
  std::string q = "{ dog { ...F0 } }";
  for (int i = 0; i < 6; ++i) {
    q += " fragment F" + std::to_string(i) + " on Dog { name " +
         repeat("...F" + std::to_string(i + 1) + " ", 10) + "}";
  }
  q += " fragment F6 on Dog { name }";
  auto out = run(q, Limits{});
  EXPECT_EQ(
      first_error(out),
      "The operation selects 1111112 fields once its fragments are expanded; the limit is 4000.");
  EXPECT_FALSE(out.contains("data"));
}

TEST(Limits, ExplosionsThatWouldOverflowAreStillCounted) {
  std::string q = "{ dog { ...F0 } }";
  for (int i = 0; i < 40; ++i) {
    q += " fragment F" + std::to_string(i) + " on Dog { " +
         repeat("...F" + std::to_string(i + 1) + " ", 10) + "}";
  }
  q += " fragment F40 on Dog { name }";
  EXPECT_NE(first_error(run(q, Limits{})).find("selects more than"), std::string::npos);
}

TEST(Limits, FragmentCyclesAreAValidationErrorNotAHang) {
  auto out =
      run("{ dog { ...A } } fragment A on Dog { name ...B } fragment B on Dog { ...A }", Limits{});
  EXPECT_EQ(first_error(out), "Cannot spread fragment \"A\" within itself via \"B\".");
}

TEST(Limits, FragmentCyclesUnderRepeatedFieldsDoNotExhaustMemory) {
  // Found by the fuzzer: field merging expanded the cycle through the merged subselections.
  auto out =
      run("{ dog { ...F } } fragment F on Dog { ...G owner { pets { ...F } } } "
          "fragment G on Dog { ...F owner { pets { ...G ...F } } ...F }",
          Limits{});
  EXPECT_NE(first_error(out).find("within itself"), std::string::npos);
}

TEST(Limits, ALongChainOfFragmentsRunsWithinTheTokenLimit) {
  // Every fragment spreads the next: no nesting, so only the size and token limits bound the chain.
  std::string q = "{ dog { ...F0 } }";
  const int n = 1900;
  for (int i = 0; i < n; ++i) {
    q += " fragment F" + std::to_string(i) + " on Dog { ...F" + std::to_string(i + 1) + " }";
  }
  q += " fragment F" + std::to_string(n) + " on Dog { name }";
  ResolverMap resolvers(spec_schema());
  ExecuteOptions options;
  options.root = Value::object(Json{{"dog", {{"name", "Rex"}}}});
  auto out = execute(*spec_schema(), resolvers, {q}, options);
  EXPECT_EQ(out.dump(), R"({"data":{"dog":{"name":"Rex"}}})");
}

TEST(Limits, CostMultipliesListPagesByFirstOrLast) {
  auto built = build_schema(
      "type Query { items(first: Int, last: Int): [Item] } type Item { children(first: Int): "
      "[Item] name: String }");
  ASSERT_TRUE(built.ok());
  ResolverMap resolvers(built.schema);
  ExecuteOptions options;
  options.limits.max_cost = 1000;
  auto cost_error = [&](const std::string& q, const Json& vars = Json::object()) {
    auto out = execute(*built.schema, resolvers, {q, std::nullopt, vars}, options);
    return first_error(out);
  };
  // 1 + 10 * (1 + 10 * 1) = 111
  EXPECT_EQ(cost_error("{ items(first: 10) { children(first: 10) { name } } }"), "none");
  // 1 + 100 * (1 + 100 * 1) = 10101
  EXPECT_EQ(cost_error("{ items(first: 100) { children(first: 100) { name } } }"),
            "The operation has an estimated cost of 10101; the limit is 1000.");
  EXPECT_EQ(cost_error("query ($n: Int) { items(last: $n) { children(first: $n) { name } } }",
                       {{"n", 100}}),
            "The operation has an estimated cost of 10101; the limit is 1000.");
}

TEST(Limits, DefaultLimitsLetOrdinaryQueriesThrough) {
  auto out = run("{ dog { name owner { name pets { name } } } }", Limits{});
  EXPECT_FALSE(out.contains("errors")) << out.dump();
}
