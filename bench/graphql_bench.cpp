// Parse + validate + execute time of the GraphQL engine: a query of 100 fields (five nested
// levels of twenty fields) over constant resolvers, so the figure is the engine's own cost;
// and the standard introspection query over the Cirrus schema. `bench/run.sh` prints medians.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "api/graphql/executor.h"
#include "api/graphql/schema_builder.h"

namespace {

using namespace halo::graphql;

std::shared_ptr<const Schema> node_schema() {
  static auto schema = [] {
    std::string sdl = "type Query { node: Node }\ntype Node { child: Node ";
    for (int i = 0; i < 20; ++i) sdl += "f" + std::to_string(i) + ": String ";
    sdl += "}";
    return build_schema(sdl).schema;
  }();
  return schema;
}

// Five levels of twenty scalar fields: 100 leaf fields (plus the five object fields).
std::string hundred_field_query() {
  std::string q = "query Hundred { node { ";
  for (int level = 0; level < 5; ++level) {
    for (int i = 0; i < 20; ++i) q += "f" + std::to_string(i) + " ";
    if (level < 4) q += "child { ";
  }
  q += std::string(4, '}') + " } }";
  return q;
}

struct ConstantResolver : Resolver {
  void resolve(const FieldRequest& request, std::span<const Value> parents,
               std::span<Value> out) const override {
    bool child = request.field.name == "child" || request.field.name == "node";
    for (size_t i = 0; i < parents.size(); ++i) {
      out[i] = child ? Value::object(int64_t(1)) : Value(Json("value"));
    }
  }
};

void BM_HundredFieldQuery(benchmark::State& state) {
  auto schema = node_schema();
  ConstantResolver resolver;
  Request request{hundred_field_query(), std::nullopt, Json::object()};
  for (auto _ : state) {
    Json out = execute(*schema, resolver, request);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_HundredFieldQuery)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

void BM_CirrusIntrospection(benchmark::State& state) {
  std::ifstream in(std::string(HALO_SHARED_DIR) + "/specs/cirrus-ci.schema.graphql");
  std::stringstream sdl;
  sdl << in.rdbuf();
  SchemaOptions options;
  options.redeclared_int_as = "Long";
  auto schema = build_schema(sdl.str(), options).schema;
  ResolverMap resolver(schema);
  Request request{R"(query IntrospectionQuery { __schema { queryType { name } mutationType { name }
    subscriptionType { name } types { ...FullType } directives { name description locations args { ...InputValue } } } }
    fragment FullType on __Type { kind name description fields(includeDeprecated: true) { name description
      args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason } inputFields { ...InputValue }
      interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
      possibleTypes { ...TypeRef } }
    fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
    fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
      ofType { kind name ofType { kind name ofType { kind name } } } } } } } })",
                  std::nullopt, Json::object()};
  for (auto _ : state) {
    Json out = execute(*schema, resolver, request);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_CirrusIntrospection)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
