// Tests for the OpenAPI response validator: each schema keyword, path matching, and the whole
// CircleCI v2 spec (every 2xx response schema resolves and accepts a sample built from it).
#include "support/openapi.h"

#include <regex>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace halo::test {
namespace {

using nlohmann::json;

::testing::AssertionResult no_problems(const std::vector<std::string>& problems) {
  if (problems.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "unexpected problems:\n  " << fmt::format("{}", fmt::join(problems, "\n  "));
}

// Passes when some problem starts with "<pointer>: " and contains `text`.
::testing::AssertionResult has_problem(const std::vector<std::string>& problems,
                                       const std::string& pointer, const std::string& text) {
  for (const auto& p : problems) {
    if (p.rfind(pointer + ": ", 0) == 0 && p.find(text) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure()
         << "no problem at " << pointer << " mentioning \"" << text << "\"; got "
         << (problems.empty() ? "none" : "\n  " + fmt::format("{}", fmt::join(problems, "\n  ")));
}

// A tiny document for keyword tests, with components to $ref (including cycles).
const OpenApiSpec& mini() {
  static const OpenApiSpec spec(json::parse(R"({
    "openapi": "3.0.3",
    "paths": {
      "/things/{id}": {"get": {"responses": {
        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
        "204": {"description": "no body"},
        "4XX": {"$ref": "#/components/responses/Error"}}}}
    },
    "components": {
      "responses": {"Error": {"content": {"application/json": {"schema": {
        "type": "object", "required": ["message"],
        "properties": {"message": {"type": "string"}}}}}}},
      "schemas": {
        "Pet": {"type": "object", "required": ["name"],
                "properties": {"name": {"type": "string"}, "tag": {"$ref": "#/components/schemas/Tag"}}},
        "Tag": {"type": "string", "enum": ["a", "b"]},
        "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}},
        "Loop": {"$ref": "#/components/schemas/Loop2"},
        "Loop2": {"$ref": "#/components/schemas/Loop"},
        "a/b~c": {"type": "integer"}
      }
    }
  })"));
  return spec;
}

std::vector<std::string> check(const json& schema, const json& value) {
  return mini().validate(schema, value);
}

// --- keywords -----------------------------------------------------------------------------------

TEST(OpenApiKeywords, Type) {
  EXPECT_TRUE(no_problems(check({{"type", "string"}}, "x")));
  EXPECT_TRUE(no_problems(check({{"type", "integer"}}, 3)));
  EXPECT_TRUE(no_problems(check({{"type", "integer"}}, -3)));
  EXPECT_TRUE(no_problems(check({{"type", "number"}}, 3)));
  EXPECT_TRUE(no_problems(check({{"type", "number"}}, 3.5)));
  EXPECT_TRUE(no_problems(check({{"type", "boolean"}}, false)));
  EXPECT_TRUE(no_problems(check({{"type", "object"}}, json::object())));
  EXPECT_TRUE(no_problems(check({{"type", "array"}}, json::array())));

  EXPECT_TRUE(
      has_problem(check({{"type", "string"}}, 3), "(root)", "expected string, got integer 3"));
  EXPECT_TRUE(has_problem(check({{"type", "integer"}}, 3.5), "(root)", "expected integer"));
  EXPECT_TRUE(has_problem(check({{"type", "integer"}}, json::parse("3.0")), "(root)",
                          "expected integer, got number"));
  EXPECT_TRUE(has_problem(check({{"type", "integer"}}, "3"), "(root)", "expected integer"));
  EXPECT_TRUE(has_problem(check({{"type", "number"}}, "3"), "(root)", "expected number"));
  EXPECT_TRUE(has_problem(check({{"type", "boolean"}}, 0), "(root)", "expected boolean"));
  EXPECT_TRUE(has_problem(check({{"type", "object"}}, json::array()), "(root)", "expected object"));
  EXPECT_TRUE(has_problem(check({{"type", "array"}}, json::object()), "(root)", "expected array"));
  EXPECT_THROW(check({{"type", "bogus"}}, 1), std::runtime_error);
}

TEST(OpenApiKeywords, NullableAndXNullable) {
  EXPECT_TRUE(has_problem(check({{"type", "string"}}, nullptr), "(root)", "not nullable"));
  EXPECT_TRUE(no_problems(check({{"type", "string"}, {"nullable", true}}, nullptr)));
  EXPECT_TRUE(no_problems(check({{"type", "string"}, {"x-nullable", true}}, nullptr)));
  EXPECT_TRUE(has_problem(check({{"type", "string"}, {"nullable", false}}, nullptr), "(root)",
                          "not nullable"));
  // An object schema without "type" still rejects null; a schema that constrains nothing allows it.
  EXPECT_TRUE(has_problem(check({{"properties", {{"a", {{"type", "string"}}}}}}, nullptr), "(root)",
                          "not nullable"));
  EXPECT_TRUE(no_problems(check(json::object(), nullptr)));
  // Nullable still constrains non-null values.
  EXPECT_TRUE(
      has_problem(check({{"type", "string"}, {"nullable", true}}, 1), "(root)", "expected string"));
}

TEST(OpenApiKeywords, RequiredAndProperties) {
  json schema = {{"type", "object"},
                 {"required", {"id", "name"}},
                 {"properties", {{"id", {{"type", "integer"}}}, {"name", {{"type", "string"}}}}}};
  EXPECT_TRUE(no_problems(check(schema, {{"id", 1}, {"name", "x"}, {"extra", true}})));
  auto problems = check(schema, {{"id", "1"}});
  EXPECT_TRUE(has_problem(problems, "/name", "required property is missing"));
  EXPECT_TRUE(has_problem(problems, "/id", "expected integer, got string \"1\""));
  EXPECT_EQ(problems.size(), 2u);
}

TEST(OpenApiKeywords, PointerEscaping) {
  json schema = {{"type", "object"}, {"properties", {{"a/b~c", {{"type", "integer"}}}}}};
  EXPECT_TRUE(has_problem(check(schema, {{"a/b~c", "x"}}), "/a~1b~0c", "expected integer"));
}

TEST(OpenApiKeywords, AdditionalProperties) {
  json closed = {{"type", "object"},
                 {"properties", {{"a", {{"type", "string"}}}}},
                 {"additionalProperties", false}};
  EXPECT_TRUE(no_problems(check(closed, {{"a", "x"}})));
  EXPECT_TRUE(has_problem(check(closed, {{"a", "x"}, {"b", 1}}), "/b",
                          "not allowed (additionalProperties is false; allowed: a)"));

  json open = {{"type", "object"}, {"additionalProperties", true}};
  EXPECT_TRUE(no_problems(check(open, {{"anything", {1, 2}}})));

  json map = {{"type", "object"}, {"additionalProperties", {{"type", "integer"}}}};
  EXPECT_TRUE(no_problems(check(map, {{"x", 1}, {"y", 2}})));
  EXPECT_TRUE(has_problem(check(map, {{"x", 1}, {"y", "2"}}), "/y", "expected integer"));
}

TEST(OpenApiKeywords, ClosedComposedSchemaAdmitsMembersProperties) {
  // The shape of the spec's update_env_var: closed at the top, properties only in the anyOf.
  json schema = {{"additionalProperties", false},
                 {"anyOf",
                  {{{"type", "object"},
                    {"properties", {{"variable", {{"type", "string"}}}}},
                    {"required", {"variable"}},
                    {"additionalProperties", false}},
                   {{"$ref", "#/components/schemas/Pet"}}}}};
  EXPECT_TRUE(no_problems(check(schema, {{"variable", "X"}})));
  EXPECT_TRUE(no_problems(check(schema, {{"name", "rex"}})));
  EXPECT_TRUE(
      has_problem(check(schema, {{"variable", "X"}, {"other", 1}}), "/other", "not allowed"));
}

TEST(OpenApiKeywords, MinMaxProperties) {
  json schema = {{"type", "object"}, {"minProperties", 1}, {"maxProperties", 2}};
  EXPECT_TRUE(no_problems(check(schema, {{"a", 1}})));
  EXPECT_TRUE(has_problem(check(schema, json::object()), "(root)", "minProperties 1"));
  EXPECT_TRUE(
      has_problem(check(schema, {{"a", 1}, {"b", 2}, {"c", 3}}), "(root)", "maxProperties 2"));
}

TEST(OpenApiKeywords, ItemsAndCounts) {
  json schema = {
      {"type", "array"}, {"items", {{"type", "string"}}}, {"minItems", 1}, {"maxItems", 2}};
  EXPECT_TRUE(no_problems(check(schema, {"a", "b"})));
  EXPECT_TRUE(has_problem(check(schema, {"a", 2}), "/1", "expected string, got integer 2"));
  EXPECT_TRUE(has_problem(check(schema, json::array()), "(root)", "fewer than minItems 1"));
  EXPECT_TRUE(has_problem(check(schema, {"a", "b", "c"}), "(root)", "more than maxItems 2"));
  json unique = {{"type", "array"}, {"uniqueItems", true}};
  EXPECT_TRUE(no_problems(check(unique, {1, 2})));
  EXPECT_TRUE(has_problem(check(unique, {1, 2, 1}), "(root)", "items 0 and 2 are equal"));
}

TEST(OpenApiKeywords, Enum) {
  json schema = {{"type", "string"}, {"enum", {"created", "errored"}}};
  EXPECT_TRUE(no_problems(check(schema, "created")));
  EXPECT_TRUE(
      has_problem(check(schema, "bogus"), "(root)", "\"bogus\" is not one of [\"created\""));
  // nullable admits null even though null is not listed.
  schema["nullable"] = true;
  EXPECT_TRUE(no_problems(check(schema, nullptr)));
}

TEST(OpenApiKeywords, FormatDateTime) {
  json schema = {{"type", "string"}, {"format", "date-time"}};
  for (const char* ok :
       {"2026-01-10T19:45:58.517Z", "2026-01-10T19:45:58Z", "2024-02-29T00:00:00z",
        "2026-01-10t19:45:58+05:30", "2026-01-10T19:45:58.123456-08:00", "2016-12-31T23:59:60Z"}) {
    EXPECT_TRUE(no_problems(check(schema, ok))) << ok;
  }
  for (const char* bad :
       {"yesterday", "2026-01-10", "2026-01-10 19:45:58Z", "2026-01-10T19:45:58",
        "2026-13-10T19:45:58Z", "2023-02-29T00:00:00Z", "2026-01-10T24:00:00Z",
        "2026-01-10T19:45:58.Z", "2026-01-10T19:45:58+0530", "1768074358517", ""}) {
    EXPECT_TRUE(has_problem(check(schema, bad), "(root)", "is not a valid date-time")) << bad;
  }
}

TEST(OpenApiKeywords, FormatUuidUriDateAndUnknown) {
  json uuid = {{"type", "string"}, {"format", "uuid"}};
  EXPECT_TRUE(no_problems(check(uuid, "5034460f-c7c4-4c43-9457-de07e2029e7b")));
  EXPECT_TRUE(no_problems(check(uuid, "5034460F-C7C4-4C43-9457-DE07E2029E7B")));
  for (const char* bad :
       {"5034460f", "5034460fc7c44c439457de07e2029e7b", "5034460f-c7c4-4c43-9457-de07e2029e7g",
        "{5034460f-c7c4-4c43-9457-de07e2029e7}"}) {
    EXPECT_TRUE(has_problem(check(uuid, bad), "(root)", "is not a valid uuid")) << bad;
  }
  json uri = {{"type", "string"}, {"format", "uri"}};
  EXPECT_TRUE(no_problems(check(uri, "https://example.com/a?b=c")));
  EXPECT_TRUE(has_problem(check(uri, "/relative/path"), "(root)", "is not a valid uri"));
  EXPECT_TRUE(has_problem(check(uri, "https://exa mple.com"), "(root)", "is not a valid uri"));
  json date = {{"type", "string"}, {"format", "date"}};
  EXPECT_TRUE(no_problems(check(date, "2024-02-29")));
  EXPECT_TRUE(has_problem(check(date, "2024-02-30"), "(root)", "is not a valid date"));
  // Unknown or numeric formats are ignored for strings.
  EXPECT_TRUE(no_problems(check({{"type", "string"}, {"format", "mystery"}}, "anything")));
  EXPECT_TRUE(no_problems(check({{"type", "integer"}, {"format", "integer"}}, 5)));
}

TEST(OpenApiKeywords, IntegerFormats) {
  json i64 = {{"type", "integer"}, {"format", "int64"}};
  EXPECT_TRUE(no_problems(check(i64, INT64_MAX)));
  EXPECT_TRUE(has_problem(check(i64, json(uint64_t{1} << 63)), "(root)", "int64"));
  json i32 = {{"type", "integer"}, {"format", "int32"}};
  EXPECT_TRUE(no_problems(check(i32, -2147483648LL)));
  EXPECT_TRUE(has_problem(check(i32, 2147483648LL), "(root)", "int32"));
}

TEST(OpenApiKeywords, MinimumMaximum) {
  json schema = {{"type", "integer"}, {"minimum", 0}, {"maximum", 10}};
  EXPECT_TRUE(no_problems(check(schema, 0)));
  EXPECT_TRUE(no_problems(check(schema, 10)));
  EXPECT_TRUE(has_problem(check(schema, -1), "(root)", "-1 is less than minimum 0"));
  EXPECT_TRUE(has_problem(check(schema, 11), "(root)", "11 is greater than maximum 10"));
  json exclusive = {{"type", "number"},
                    {"minimum", 0},
                    {"exclusiveMinimum", true},
                    {"maximum", 1},
                    {"exclusiveMaximum", true}};
  EXPECT_TRUE(no_problems(check(exclusive, 0.5)));
  EXPECT_TRUE(has_problem(check(exclusive, 0), "(root)", "exclusive minimum"));
  EXPECT_TRUE(has_problem(check(exclusive, 1), "(root)", "exclusive maximum"));
  json multiple = {{"type", "number"}, {"multipleOf", 5}};
  EXPECT_TRUE(no_problems(check(multiple, 15)));
  EXPECT_TRUE(has_problem(check(multiple, 7), "(root)", "not a multiple of 5"));
}

TEST(OpenApiKeywords, MinMaxLengthCountsCodePoints) {
  json schema = {{"type", "string"}, {"minLength", 2}, {"maxLength", 3}};
  EXPECT_TRUE(no_problems(check(schema, "ab")));
  EXPECT_TRUE(no_problems(check(schema, "\xC3\xA9\xC3\xA9\xC3\xA9")));  // "ééé": 3 code points
  EXPECT_TRUE(has_problem(check(schema, "a"), "(root)", "shorter than minLength 2"));
  EXPECT_TRUE(has_problem(check(schema, "abcd"), "(root)", "longer than maxLength 3"));
}

TEST(OpenApiKeywords, Pattern) {
  json schema = {{"type", "string"}, {"pattern", "^([0-9]+(ms|s|m|h|d|w)){1,7}$"}};
  EXPECT_TRUE(no_problems(check(schema, "1h30m")));
  EXPECT_TRUE(has_problem(check(schema, "1 hour"), "(root)", "does not match pattern"));
  // Patterns are unanchored, as in JSON Schema.
  EXPECT_TRUE(no_problems(check({{"type", "string"}, {"pattern", "b+"}}, "abbc")));
  EXPECT_THROW(check({{"type", "string"}, {"pattern", "(["}}, "x"), std::runtime_error);
}

TEST(OpenApiKeywords, AllOf) {
  json schema = {{"allOf", {{{"type", "integer"}}, {{"type", "integer"}, {"minimum", 0}}}}};
  EXPECT_TRUE(no_problems(check(schema, 3)));
  EXPECT_TRUE(has_problem(check(schema, -3), "(root)", "less than minimum 0"));
}

TEST(OpenApiKeywords, AnyOf) {
  json schema = {
      {"type", "object"},
      {"additionalProperties",
       {{"anyOf", {{{"type", "string"}}, {{"type", "integer"}}, {{"type", "object"}}}}}}};
  EXPECT_TRUE(no_problems(check(schema, {{"a", "x"}, {"b", 1}, {"c", {{"d", 1}}}})));
  auto problems = check(schema, {{"a", true}});
  EXPECT_TRUE(has_problem(problems, "/a", "matches none of the 3 anyOf alternatives"));
  EXPECT_TRUE(has_problem(problems, "/a", "[0] /a: expected string, got boolean true"));
}

TEST(OpenApiKeywords, OneOf) {
  json schema = {{"oneOf",
                  {{{"type", "object"},
                    {"required", {"id"}},
                    {"properties", {{"id", {{"type", "string"}}}}},
                    {"additionalProperties", false}},
                   {{"type", "object"},
                    {"required", {"slug"}},
                    {"properties", {{"slug", {{"type", "string"}}}}},
                    {"additionalProperties", false}}}}};
  EXPECT_TRUE(no_problems(check(schema, {{"id", "x"}})));
  EXPECT_TRUE(no_problems(check(schema, {{"slug", "x"}})));
  EXPECT_TRUE(has_problem(check(schema, {{"id", "x"}, {"slug", "y"}}), "(root)",
                          "matches none of the 2 oneOf"));
  json loose = {{"oneOf", {{{"type", "integer"}}, {{"type", "number"}}}}};
  EXPECT_TRUE(no_problems(check(loose, 1.5)));
  EXPECT_TRUE(has_problem(check(loose, 1), "(root)", "matches 2 oneOf alternatives (0, 1)"));
}

TEST(OpenApiKeywords, Not) {
  json schema = {{"not", {{"type", "string"}}}};
  EXPECT_TRUE(no_problems(check(schema, 1)));
  EXPECT_TRUE(has_problem(check(schema, "x"), "(root)", "under \"not\""));
}

TEST(OpenApiKeywords, RefResolvesLazilyAndReports) {
  json schema = {{"$ref", "#/components/schemas/Pet"}};
  EXPECT_TRUE(no_problems(check(schema, {{"name", "rex"}, {"tag", "a"}})));
  auto problems = check(schema, {{"tag", "z"}});
  EXPECT_TRUE(has_problem(problems, "/name", "required property is missing"));
  EXPECT_TRUE(has_problem(problems, "/tag", "\"z\" is not one of"));
  // JSON-pointer escapes inside a $ref.
  EXPECT_TRUE(no_problems(check({{"$ref", "#/components/schemas/a~1b~0c"}}, 1)));
  // A dangling ref is a broken spec: it throws, but only when reached.
  EXPECT_THROW(check({{"$ref", "#/components/schemas/Nope"}}, 1), std::runtime_error);
  EXPECT_THROW(check({{"$ref", "other.json#/x"}}, 1), std::runtime_error);
  EXPECT_TRUE(no_problems(
      check({{"anyOf", {{{"type", "integer"}}, {{"$ref", "#/components/schemas/Nope"}}}}}, 1)));
}

TEST(OpenApiKeywords, RefCyclesAreGuarded) {
  // A recursive type is fine: each level is a different place in the value.
  json list = {{"next", {{"next", {{"next", json::object()}}}}}};
  EXPECT_TRUE(no_problems(check({{"$ref", "#/components/schemas/Node"}}, list)));
  list["next"]["next"]["next"] = 5;
  EXPECT_TRUE(has_problem(check({{"$ref", "#/components/schemas/Node"}}, list), "/next/next/next",
                          "expected object"));
  // A ref that only leads back to itself is reported instead of recursing forever.
  EXPECT_TRUE(
      has_problem(check({{"$ref", "#/components/schemas/Loop"}}, 1), "(root)", "cyclic $ref"));
}

// --- responses on the mini document
// ---------------------------------------------------------------

TEST(OpenApiResponses, StatusLookupRangesAndNoBody) {
  const auto& spec = mini();
  EXPECT_TRUE(no_problems(spec.validate_response("GET", "/things/1", 200, {{"name", "rex"}})));
  EXPECT_TRUE(has_problem(spec.validate_response("GET", "/things/1", 404, json::object()),
                          "/message", "required property is missing"));
  EXPECT_TRUE(no_problems(spec.validate_response("GET", "/things/1", 418, {{"message", "no"}})));
  EXPECT_TRUE(no_problems(spec.validate_response("GET", "/things/1", 204, nullptr)));
  EXPECT_TRUE(has_problem(spec.validate_response("GET", "/things/1", 204, {{"a", 1}}), "(root)",
                          "has no JSON body"));
  auto problems = spec.validate_response("GET", "/things/1", 500, {{"message", "x"}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "status 500 is not documented for GET /things/{id}");
}

TEST(OpenApiResponses, RawText) {
  const auto& spec = mini();
  EXPECT_TRUE(no_problems(spec.validate_response_text("GET", "/things/1", 200, R"({"name":"x"})")));
  EXPECT_TRUE(has_problem(spec.validate_response_text("GET", "/things/1", 200, "{nope"), "(root)",
                          "not valid JSON"));
  EXPECT_TRUE(has_problem(spec.validate_response_text("GET", "/things/1", 200, ""), "(root)",
                          "body is empty"));
  EXPECT_TRUE(no_problems(spec.validate_response_text("GET", "/things/1", 204, "")));
}

TEST(OpenApiResponses, MatchesResponseListsProblems) {
  auto result = mini().matches_response("GET", "/things/1", 200, {{"name", 5}});
  EXPECT_FALSE(result);
  std::string message = result.message();
  EXPECT_NE(message.find("GET /things/1 -> 200"), std::string::npos) << message;
  EXPECT_NE(message.find("/name: expected string"), std::string::npos) << message;
  EXPECT_TRUE(mini().matches_response("GET", "/things/1", 200, {{"name", "x"}}));
}

// --- the CircleCI spec
// ----------------------------------------------------------------------------

const OpenApiSpec& circleci() {
  return OpenApiSpec::circleci();
}

json valid_pipeline() {
  return json::parse(R"({
    "id": "5034460f-c7c4-4c43-9457-de07e2029e7b",
    "errors": [],
    "project_slug": "gh/acme/app",
    "updated_at": "2026-01-10T19:45:59.000Z",
    "number": 25,
    "trigger_parameters": {"git": {"branch": "main"}, "count": 3, "flag": true, "s": "x"},
    "state": "created",
    "created_at": "2026-01-10T19:45:58.517Z",
    "trigger": {
      "type": "webhook",
      "received_at": "2026-01-10T19:45:58.000Z",
      "actor": {"login": "octocat", "avatar_url": null}
    },
    "vcs": {
      "provider_name": "GitHub",
      "origin_repository_url": "https://github.com/acme/app",
      "target_repository_url": "https://github.com/acme/app",
      "revision": "f454a02b5d10fcccfd7d9dd7608a76d6493a98b4",
      "branch": "main",
      "commit": {"subject": "Fix", "body": null}
    }
  })");
}

TEST(OpenApiCircleCi, LoadedOnce) {
  EXPECT_EQ(&OpenApiSpec::circleci(), &OpenApiSpec::circleci());
  EXPECT_EQ(circleci().document().at("openapi"), "3.0.3");
  EXPECT_GT(circleci().operations().size(), 100u);
}

TEST(OpenApiCircleCi, ValidPipelinePasses) {
  EXPECT_TRUE(no_problems(circleci().validate_response(
      "GET", "/pipeline/5034460f-c7c4-4c43-9457-de07e2029e7b", 200, valid_pipeline())));
  EXPECT_TRUE(circleci().matches_response(
      "GET", "/api/v2/pipeline/5034460f-c7c4-4c43-9457-de07e2029e7b", 200, valid_pipeline()));
}

TEST(OpenApiCircleCi, PipelineProblemsNameTheField) {
  const std::string path = "/api/v2/pipeline/5034460f-c7c4-4c43-9457-de07e2029e7b";
  json missing = valid_pipeline();
  missing.erase("state");
  EXPECT_TRUE(has_problem(circleci().validate_response("GET", path, 200, missing), "/state",
                          "required property is missing"));

  json bogus = valid_pipeline();
  bogus["state"] = "bogus";
  EXPECT_TRUE(has_problem(circleci().validate_response("GET", path, 200, bogus), "/state",
                          "\"bogus\" is not one of"));

  json not_a_date = valid_pipeline();
  not_a_date["created_at"] = "last tuesday";
  EXPECT_TRUE(has_problem(circleci().validate_response("GET", path, 200, not_a_date), "/created_at",
                          "is not a valid date-time"));

  json epoch = valid_pipeline();
  epoch["created_at"] = 1768074358517;
  EXPECT_TRUE(has_problem(circleci().validate_response("GET", path, 200, epoch), "/created_at",
                          "expected string, got integer"));

  json nested = valid_pipeline();
  nested["trigger"]["actor"]["login"] = nullptr;
  nested["errors"] = {{{"type", "config"}}};
  nested["number"] = 25.0;
  auto problems = circleci().validate_response("GET", path, 200, nested);
  EXPECT_TRUE(has_problem(problems, "/trigger/actor/login", "is null"));
  EXPECT_TRUE(has_problem(problems, "/errors/0/message", "required property is missing"));
  EXPECT_TRUE(has_problem(problems, "/number", "expected integer, got number"));
  EXPECT_EQ(problems.size(), 3u);

  json bad_id = valid_pipeline();
  bad_id["id"] = "42";
  EXPECT_TRUE(has_problem(circleci().validate_response("GET", path, 200, bad_id), "/id",
                          "is not a valid uuid"));
}

TEST(OpenApiCircleCi, ErrorResponsesUseDefault) {
  const std::string path = "/pipeline/5034460f-c7c4-4c43-9457-de07e2029e7b";
  EXPECT_TRUE(
      no_problems(circleci().validate_response("GET", path, 404, {{"message", "Not found"}})));
  EXPECT_TRUE(has_problem(circleci().validate_response("GET", path, 404, {{"message", 404}}),
                          "/message", "expected string"));
  // A $ref'd response object (#/components/responses/...) with additionalProperties: false.
  EXPECT_TRUE(has_problem(
      circleci().validate_response("GET", "/context", 500, {{"message", "x"}, {"code", 1}}),
      "/code", "not allowed"));
}

std::string template_of(const std::string& method, const std::string& path) {
  auto op = circleci().find_operation(method, path);
  return op ? op->path_template : "<none>";
}

TEST(OpenApiCircleCi, PathMatching) {
  EXPECT_EQ(template_of("GET", "/project/gh/acme/app/pipeline/3"),
            "/project/{project-slug}/pipeline/{pipeline-number}");
  EXPECT_EQ(template_of("GET", "/project/gh/acme/app/pipeline/mine"),
            "/project/{project-slug}/pipeline/mine");
  EXPECT_EQ(template_of("POST", "/project/gh/acme/app/pipeline"),
            "/project/{project-slug}/pipeline");
  EXPECT_EQ(template_of("GET", "/project/gh/acme/app/job/5"),
            "/project/{project-slug}/job/{job-number}");
  EXPECT_EQ(template_of("GET", "/project/gh/acme/app/5/artifacts"),
            "/project/{project-slug}/{job-number}/artifacts");
  EXPECT_EQ(template_of("GET", "/workflow/5034460f-c7c4-4c43-9457-de07e2029e7b/job"),
            "/workflow/{id}/job");
  EXPECT_EQ(template_of("GET", "/me"), "/me");
  EXPECT_EQ(template_of("GET", "/me/collaborations"), "/me/collaborations");
  EXPECT_EQ(template_of("GET", "/pipeline?org-slug=gh/acme&mine=true"), "/pipeline");
  EXPECT_EQ(template_of("POST", "/pipeline/continue"), "/pipeline/continue");
  EXPECT_EQ(template_of("get", "/api/v2/project/gh/acme/app"), "/project/{project-slug}");
  EXPECT_EQ(template_of("POST", "/project/gh/acme/app"),
            "/project/{provider}/{organization}/{project}");
  EXPECT_EQ(template_of("GET", "/project/gh/acme/app/settings"),
            "/project/{provider}/{organization}/{project}/settings");
  EXPECT_EQ(template_of("GET", "/insights/gh/acme/summary"), "/insights/{org-slug}/summary");
  EXPECT_EQ(template_of("GET", "/insights/pages/gh/acme/app/summary"),
            "/insights/pages/{project-slug}/summary");
  EXPECT_EQ(template_of("GET", "http://127.0.0.1:8080/api/v2/project/gh%2Facme%2Fapp/job/5#x"),
            "/project/{project-slug}/job/{job-number}");
  EXPECT_EQ(template_of("GET", "/project/gh/acme/pipeline/3"), "<none>");  // slug is 3 segments
  EXPECT_EQ(template_of("PUT", "/me"), "<none>");
  EXPECT_EQ(template_of("GET", "/me/"), "<none>");
}

TEST(OpenApiCircleCi, PathParamsAreDecoded) {
  auto op = circleci().find_operation("GET", "/project/gh%2Facme%2Fapp/job/5");
  ASSERT_TRUE(op);
  EXPECT_EQ(op->method, "get");
  EXPECT_EQ(op->path_params.at("project-slug"), "gh/acme/app");
  EXPECT_EQ(op->path_params.at("job-number"), "5");
}

TEST(OpenApiCircleCi, UnknownPath) {
  auto problems = circleci().validate_response("GET", "/api/v2/nope/1", 200, json::object());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "no operation for GET /api/v2/nope/1");
  EXPECT_EQ(circleci().validate_response("DELETE", "/me", 200, json::object()).at(0),
            "no operation for DELETE /me");
}

TEST(OpenApiCircleCi, MeAndWorkflowJobs) {
  json me = {{"id", "5034460f-c7c4-4c43-9457-de07e2029e7b"},
             {"login", "octocat"},
             {"name", "Octo Cat"},
             {"avatar_url", nullptr}};
  EXPECT_TRUE(no_problems(circleci().validate_response("GET", "/me", 200, me)));
  me.erase("name");
  EXPECT_TRUE(has_problem(circleci().validate_response("GET", "/me", 200, me), "/name", "missing"));

  auto jobs =
      circleci().validate_response("GET", "/workflow/5034460f-c7c4-4c43-9457-de07e2029e7b/job", 200,
                                   {{"items", json::array()}, {"next_page_token", nullptr}});
  EXPECT_TRUE(no_problems(jobs));
}

// Walks every schema reachable from `schema`, resolving each $ref once, and collects keywords the
// validator neither checks nor knows to be an annotation.
void walk(const OpenApiSpec& spec, const json& schema, std::set<const json*>& seen,
          std::set<std::string>& unknown, size_t& refs) {
  static const std::set<std::string> kKnown = {
      "$ref", "type", "nullable", "x-nullable", "enum", "required", "properties",
      "additionalProperties", "minProperties", "maxProperties", "items", "minItems", "maxItems",
      "uniqueItems", "allOf", "anyOf", "oneOf", "not", "minimum", "maximum", "exclusiveMinimum",
      "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern", "format",
      // annotations
      "description", "example", "examples", "default", "title", "deprecated", "readOnly",
      "writeOnly", "externalDocs", "xml"};
  if (!schema.is_object() || !seen.insert(&schema).second) return;
  for (const auto& [key, sub] : schema.items()) {
    if (!kKnown.count(key) && key.rfind("x-", 0) != 0) unknown.insert(key);
  }
  if (auto ref = schema.find("$ref"); ref != schema.end()) {
    ++refs;
    walk(spec, spec.resolve(ref->get<std::string>()), seen, unknown, refs);
    return;
  }
  if (auto p = schema.find("properties"); p != schema.end()) {
    for (const auto& [_, sub] : p->items()) walk(spec, sub, seen, unknown, refs);
  }
  for (const char* key : {"items", "additionalProperties", "not"}) {
    if (auto it = schema.find(key); it != schema.end()) walk(spec, *it, seen, unknown, refs);
  }
  for (const char* key : {"allOf", "anyOf", "oneOf"}) {
    if (auto it = schema.find(key); it != schema.end()) {
      for (const auto& sub : *it) walk(spec, sub, seen, unknown, refs);
    }
  }
}

// A value the schema should accept: every property present, first anyOf/oneOf alternative, first
// enum value, formats and bounds honoured.
json sample(const OpenApiSpec& spec, const json& schema, int depth = 0) {
  if (depth > 32) return nullptr;
  if (auto ref = schema.find("$ref"); ref != schema.end()) {
    return sample(spec, spec.resolve(ref->get<std::string>()), depth + 1);
  }
  if (auto all = schema.find("allOf"); all != schema.end()) {
    json merged = schema;
    merged.erase("allOf");
    for (const auto& sub : *all) {
      const json& s = sub.contains("$ref") ? spec.resolve(sub["$ref"].get<std::string>()) : sub;
      merged.update(s);
    }
    return sample(spec, merged, depth + 1);
  }
  for (const char* key : {"anyOf", "oneOf"}) {
    if (auto alts = schema.find(key); alts != schema.end())
      return sample(spec, alts->at(0), depth + 1);
  }
  if (auto e = schema.find("enum"); e != schema.end()) return e->at(0);
  std::string type = schema.value("type", "");
  if (type.empty() && schema.contains("properties")) type = "object";
  if (type.empty() && schema.contains("items")) type = "array";
  if (type == "object") {
    json out = json::object();
    if (auto p = schema.find("properties"); p != schema.end()) {
      for (const auto& [name, sub] : p->items()) out[name] = sample(spec, sub, depth + 1);
    }
    if (auto ap = schema.find("additionalProperties"); ap != schema.end() && ap->is_object()) {
      out["some-key"] = sample(spec, *ap, depth + 1);
    }
    return out;
  }
  if (type == "array") {
    json out = json::array();
    if (auto items = schema.find("items"); items != schema.end()) {
      out.push_back(sample(spec, *items, depth + 1));
    }
    return out;
  }
  const std::string format = schema.value("format", "");
  if (type == "string") {
    if (auto pattern = schema.find("pattern"); pattern != schema.end()) {
      if (schema.contains("example")) return schema["example"];
      for (const char* candidate : {"1h30m", "x", "0"}) {
        if (std::regex_search(candidate, std::regex(pattern->get<std::string>()))) return candidate;
      }
      return "no sample matches the pattern";
    }
    if (format == "date-time") return "2026-01-10T19:45:58.517Z";
    if (format == "uuid") return "5034460f-c7c4-4c43-9457-de07e2029e7b";
    if (format == "uri") return "https://example.com/file";
    if (format == "date") return "2026-01-10";
    return std::string(schema.value("minLength", 1), 'x');
  }
  if (type == "integer") return schema.value("minimum", 0);
  if (type == "number") return schema.value("minimum", 0.5);
  if (type == "boolean") return true;
  return "anything";
}

TEST(OpenApiCircleCi, EverySuccessSchemaResolvesAndAcceptsASample) {
  const auto& spec = circleci();
  size_t schemas = 0;
  size_t refs = 0;
  std::set<std::string> unknown;
  for (const auto& op : spec.operations()) {
    for (const auto& [code, response] : op.operation->at("responses").items()) {
      if (code.empty() || code[0] != '2') continue;
      const json* schema = nullptr;
      ASSERT_NO_THROW(schema = spec.response_schema(op, std::stoi(code)))
          << op.method << " " << op.path_template << " " << code;
      if (!schema) continue;
      ++schemas;
      std::set<const json*> seen;
      ASSERT_NO_THROW(walk(spec, *schema, seen, unknown, refs))
          << op.method << " " << op.path_template << " " << code;
      json value;
      ASSERT_NO_THROW(value = sample(spec, *schema)) << op.method << " " << op.path_template;
      std::vector<std::string> problems;
      ASSERT_NO_THROW(problems = spec.validate(*schema, value)) << op.path_template;
      EXPECT_TRUE(no_problems(problems))
          << op.method << " " << op.path_template << " " << code << "\n"
          << value.dump(2);
    }
  }
  EXPECT_GT(schemas, 100u);
  EXPECT_GT(refs, 10u);  // the spec's 2xx schemas do reach components via $ref
  EXPECT_TRUE(unknown.empty()) << "schema keywords the validator ignores: "
                               << fmt::format("{}", fmt::join(unknown, ", "));
}

TEST(OpenApiCircleCi, EveryDocumentedStatusResolves) {
  const auto& spec = circleci();
  for (const auto& op : spec.operations()) {
    for (const auto& [code, response] : op.operation->at("responses").items()) {
      int status = code == "default" ? 599 : std::stoi(code);
      EXPECT_NO_THROW(spec.response_schema(op, status)) << op.method << " " << op.path_template;
    }
  }
}

}  // namespace
}  // namespace halo::test
