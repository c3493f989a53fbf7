// Checks HTTP response bodies against an OpenAPI 3.0 document (by default CircleCI's API v2 spec),
// returning one readable problem per violation, each naming the JSON pointer in the body.
#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace halo::test {

// One operation of the spec, found from a concrete request path.
struct OpenApiOperation {
  std::string method;         // lower case, as in the spec: "get", "post", ...
  std::string path_template;  // as in the spec, relative to /api/v2: "/pipeline/{pipeline-id}"
  std::map<std::string, std::string> path_params;  // decoded: {"project-slug": "gh/acme/app"}
  const nlohmann::json* operation = nullptr;       // the spec's operation object
};

// Schema keywords honoured by validate() (OpenAPI 3.0 subset):
//   $ref (local "#/..." pointers, resolved lazily and cached; cycles are reported, not followed),
//   type, nullable (and Swagger's x-nullable), enum, required, properties, additionalProperties
//   (bool or schema), minProperties, maxProperties, items, minItems, maxItems, uniqueItems,
//   allOf, anyOf, oneOf, not, minimum, maximum, exclusiveMinimum, exclusiveMaximum (bool, 3.0),
//   multipleOf, minLength, maxLength (code points), pattern (ECMAScript, unanchored), and format
//   date-time (RFC 3339), date, uuid, uri, int32, int64. Unknown formats and annotations
//   (description, example, default, title, x-*, ...) are ignored.
// additionalProperties: false also admits properties declared by the schema's direct allOf / anyOf
// / oneOf members (as unevaluatedProperties would): the spec closes two composed schemas that way,
// and read literally they would accept only {}.
// Strictness: null is accepted only where the schema says nullable (or x-nullable) or the schema
// constrains nothing; "integer" rejects JSON numbers written with a fraction or exponent (5.0);
// a schema with object keywords (properties, required, ...) but no "type" demands an object, and
// one with array keywords an array.
class OpenApiSpec {
 public:
  // Takes ownership of a parsed OpenAPI document.
  explicit OpenApiSpec(nlohmann::json document);
  OpenApiSpec(const OpenApiSpec&) = delete;
  OpenApiSpec& operator=(const OpenApiSpec&) = delete;

  // Parses the file; throws std::runtime_error if it cannot be read or parsed.
  static std::unique_ptr<OpenApiSpec> load(const std::string& file);

  // HALO_SHARED_DIR "/specs/circleci-api-v2.openapi.json", parsed once per process.
  static const OpenApiSpec& circleci();

  const nlohmann::json& document() const { return doc_; }

  // Every (method, path template) pair in the spec, in document order.
  std::vector<OpenApiOperation> operations() const;

  // The operation serving `method` on `path`. `path` may be a full URL, may start with "/api/v2",
  // and may carry a query string or fragment (both ignored); it is percent-decoded, so an escaped
  // project slug ("gh%2Facme%2Fapp") matches like an unescaped one. {project-slug} spans three
  // segments, {org-slug} two, {org-slug-or-id} one or two, any other parameter one. When several
  // templates match, the one with a literal segment at the first point of difference wins.
  std::optional<OpenApiOperation> find_operation(const std::string& method,
                                                 const std::string& path) const;

  // The JSON schema of the operation's response for `status` (exact code, then "2XX"-style range,
  // then "default"). nullptr when the status is undocumented or the response has no JSON body.
  const nlohmann::json* response_schema(const OpenApiOperation& op, int status) const;

  // Problems with `body` as the response to `method` `path` with `status`; empty when it
  // conforms. An unknown path gives "no operation for METHOD PATH", an undocumented status
  // "status N is not documented for METHOD TEMPLATE".
  std::vector<std::string> validate_response(const std::string& method, const std::string& path,
                                             int status, const nlohmann::json& body) const;

  // Same, from the raw body text; a body that is not JSON is itself a problem.
  std::vector<std::string> validate_response_text(const std::string& method,
                                                  const std::string& path, int status,
                                                  std::string_view body) const;

  // gtest-friendly wrapper: success, or failure listing method, path, status and every problem.
  ::testing::AssertionResult matches_response(const std::string& method, const std::string& path,
                                              int status, const nlohmann::json& body) const;

  // Problems with `value` against `schema` (which may hold local $refs into this document).
  // Each problem reads "<pointer>: <what is wrong>", the pointer being "(root)" for the value
  // itself. Throws std::runtime_error if a $ref cannot be resolved (a broken spec, not a bad body).
  std::vector<std::string> validate(const nlohmann::json& schema,
                                    const nlohmann::json& value) const;

  // The node a local reference ("#/components/schemas/x") points at; throws std::runtime_error
  // for non-local or dangling references. Results are cached.
  const nlohmann::json& resolve(const std::string& ref) const;

 private:
  struct Template {
    std::string method;
    std::string path;
    std::vector<std::string> segments;
    const nlohmann::json* operation;
  };
  struct Context;

  void check(const nlohmann::json& schema, const nlohmann::json& value, std::string& pointer,
             Context& ctx) const;
  void check_string(const nlohmann::json& schema, const std::string& s, const std::string& pointer,
                    Context& ctx) const;
  void check_number(const nlohmann::json& schema, const nlohmann::json& value,
                    const std::string& pointer, Context& ctx) const;
  bool composed_property(const nlohmann::json& schema, const std::string& key) const;
  const std::regex& compiled(const std::string& pattern) const;
  const nlohmann::json& resolve_response(const nlohmann::json& response) const;

  nlohmann::json doc_;
  std::vector<Template> templates_;

  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::string, const nlohmann::json*> refs_;
  mutable std::unordered_map<std::string, std::unique_ptr<std::regex>> regexes_;
};

}  // namespace halo::test
