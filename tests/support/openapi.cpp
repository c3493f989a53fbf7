#include "support/openapi.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace halo::test {

using nlohmann::json;

namespace {

constexpr int kMaxDepth = 256;              // schema nesting guard, far beyond anything in the spec
constexpr size_t kMaxAlternativeLines = 3;  // sub-problems shown per failed anyOf/oneOf branch

const std::set<std::string> kMethods = {"get",     "put",  "post",  "delete",
                                        "options", "head", "patch", "trace"};

bool flag(const json& schema, const char* key) {
  auto it = schema.find(key);
  return it != schema.end() && it->is_boolean() && it->get<bool>();
}

std::string brief(const json& value, size_t limit = 60) {
  std::string s = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > limit) s = s.substr(0, limit - 3) + "...";
  return s;
}

std::string kind(const json& value) {
  if (value.is_number_integer()) return "integer";
  if (value.is_number_float()) return "number";
  return value.type_name();
}

// "integer 5", "string \"x\"", "object", "array".
std::string describe(const json& value) {
  if (value.is_object() || value.is_array()) return kind(value);
  return kind(value) + " " + brief(value);
}

std::string display(const std::string& pointer) {
  return pointer.empty() ? "(root)" : pointer;
}

void append_token(std::string& pointer, std::string_view token) {
  pointer += '/';
  for (char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; malformed escapes are kept verbatim. '+' is not a space in paths.
std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) {
      parts.emplace_back(s.substr(start));
      return parts;
    }
    parts.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
}

// The request path relative to /api/v2, split into decoded segments ("/me" -> {"me"}).
std::vector<std::string> request_segments(std::string path) {
  if (auto scheme = path.find("://"); scheme != std::string::npos && scheme < path.find('/')) {
    auto slash = path.find('/', scheme + 3);
    path = slash == std::string::npos ? "/" : path.substr(slash);
  }
  path = path.substr(0, path.find_first_of("?#"));
  if (path.empty() || path[0] != '/') path.insert(0, "/");
  constexpr std::string_view kBase = "/api/v2";
  if (path.compare(0, kBase.size(), kBase) == 0 &&
      (path.size() == kBase.size() || path[kBase.size()] == '/')) {
    path = path.substr(kBase.size());
    if (path.empty()) path = "/";
  }
  std::vector<std::string> segments;
  for (const auto& raw : split(std::string_view(path).substr(1), '/')) {
    for (auto& part : split(percent_decode(raw), '/')) segments.push_back(std::move(part));
  }
  return segments;
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// How many path segments a parameter may span: slugs carry their own slashes.
std::vector<size_t> spans(const std::string& param) {
  if (param == "project-slug") return {3};
  if (param == "org-slug") return {2};
  if (param == "org-slug-or-id") return {1, 2};
  return {1};
}

struct Match {
  std::vector<char> literal;  // per request segment: matched by a literal template segment
  std::map<std::string, std::string> params;
};

bool match_from(const std::vector<std::string>& tmpl, size_t ti,
                const std::vector<std::string>& req, size_t ri, Match& m) {
  if (ti == tmpl.size()) return ri == req.size();
  const std::string& seg = tmpl[ti];
  if (!is_param(seg)) {
    if (ri >= req.size() || req[ri] != seg) return false;
    m.literal.push_back(1);
    if (match_from(tmpl, ti + 1, req, ri + 1, m)) return true;
    m.literal.pop_back();
    return false;
  }
  std::string name = seg.substr(1, seg.size() - 2);
  for (size_t n : spans(name)) {
    if (ri + n > req.size()) continue;
    bool nonempty = std::all_of(req.begin() + static_cast<std::ptrdiff_t>(ri),
                                req.begin() + static_cast<std::ptrdiff_t>(ri + n),
                                [](const std::string& s) { return !s.empty(); });
    if (!nonempty) continue;
    std::string value;
    for (size_t k = 0; k < n; ++k) value += (k ? "/" : "") + req[ri + k];
    m.literal.insert(m.literal.end(), n, 0);
    m.params[name] = value;
    if (match_from(tmpl, ti + 1, req, ri + n, m)) return true;
    m.literal.resize(m.literal.size() - n);
    m.params.erase(name);
  }
  return false;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Reads exactly `n` digits at `pos`.
bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// RFC 3339 full-date: "2024-02-29".
bool is_full_date(std::string_view s) {
  int y, m, d;
  return s.size() == 10 && digits(s, 0, 4, y) && s[4] == '-' && digits(s, 5, 2, m) && s[7] == '-' &&
         digits(s, 8, 2, d) && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

// RFC 3339 date-time: "2024-02-29T23:59:60.123+01:00", "...Z".
bool is_date_time(std::string_view s) {
  if (s.size() < 20 || !is_full_date(s.substr(0, 10))) return false;
  if (s[10] != 'T' && s[10] != 't') return false;
  int hh, mm, ss;
  if (!digits(s, 11, 2, hh) || s[13] != ':' || !digits(s, 14, 2, mm) || s[16] != ':' ||
      !digits(s, 17, 2, ss) || hh > 23 || mm > 59 || ss > 60) {
    return false;
  }
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    size_t start = ++pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
    if (pos == start) return false;
  }
  if (pos == s.size()) return false;
  if (s[pos] == 'Z' || s[pos] == 'z') return pos + 1 == s.size();
  if (s[pos] != '+' && s[pos] != '-') return false;
  int oh, om;
  return pos + 6 == s.size() && digits(s, pos + 1, 2, oh) && s[pos + 3] == ':' &&
         digits(s, pos + 4, 2, om) && oh <= 23 && om <= 59;
}

// 8-4-4-4-12 hex digits, either case.
bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (hex_value(s[i]) < 0) {
      return false;
    }
  }
  return true;
}

// Absolute URI: a scheme, ':', then no whitespace or control characters.
bool is_uri(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == s.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (size_t i = 1; i < colon; ++i) {
    char c = s[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return std::none_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

size_t code_points(const std::string& s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The type a schema demands: its "type", or one implied by object/array keywords (strictness:
// {"properties": ...} without "type" still means "an object").
std::string effective_type(const json& schema) {
  if (auto it = schema.find("type"); it != schema.end()) {
    if (!it->is_string()) {
      throw std::runtime_error("schema \"type\" must be a string in OpenAPI 3.0: " + brief(*it));
    }
    return it->get<std::string>();
  }
  for (const char* key :
       {"properties", "required", "additionalProperties", "minProperties", "maxProperties"}) {
    if (schema.contains(key)) return "object";
  }
  for (const char* key : {"items", "minItems", "maxItems", "uniqueItems"}) {
    if (schema.contains(key)) return "array";
  }
  return "";
}

bool has_type(const json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  throw std::runtime_error("unknown schema type \"" + type + "\"");
}

std::optional<double> number_of(const json& schema, const char* key) {
  auto it = schema.find(key);
  if (it == schema.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::optional<uint64_t> count_of(const json& schema, const char* key) {
  auto it = schema.find(key);
  if (it == schema.end() || !it->is_number_integer() || it->get<int64_t>() < 0) {
    return std::nullopt;
  }
  return it->get<uint64_t>();
}

}  // namespace

struct OpenApiSpec::Context {
  std::vector<std::string> problems;
  std::vector<std::pair<const json*, std::string>> active_refs;  // (target, instance pointer)
  int depth = 0;

  void add(const std::string& pointer, const std::string& message) {
    problems.push_back(fmt::format("{}: {}", display(pointer), message));
  }
  Context branch() const {
    Context c;
    c.active_refs = active_refs;
    c.depth = depth;
    return c;
  }
};

OpenApiSpec::OpenApiSpec(json document) : doc_(std::move(document)) {
  auto paths = doc_.find("paths");
  if (paths == doc_.end() || !paths->is_object()) return;
  for (const auto& [path, item] : paths->items()) {
    if (!item.is_object()) continue;
    std::vector<std::string> segments = split(std::string_view(path).substr(1), '/');
    for (const auto& [method, op] : item.items()) {
      if (kMethods.count(method)) templates_.push_back({method, path, segments, &op});
    }
  }
}

std::unique_ptr<OpenApiSpec> OpenApiSpec::load(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read OpenAPI document " + file);
  std::ostringstream text;
  text << in.rdbuf();
  json doc = json::parse(text.str(), nullptr, false);
  if (doc.is_discarded()) throw std::runtime_error("OpenAPI document is not JSON: " + file);
  return std::make_unique<OpenApiSpec>(std::move(doc));
}

const OpenApiSpec& OpenApiSpec::circleci() {
  static const std::unique_ptr<OpenApiSpec> spec =
      load(HALO_SHARED_DIR "/specs/circleci-api-v2.openapi.json");
  return *spec;
}

std::vector<OpenApiOperation> OpenApiSpec::operations() const {
  std::vector<OpenApiOperation> ops;
  ops.reserve(templates_.size());
  for (const auto& t : templates_) ops.push_back({t.method, t.path, {}, t.operation});
  return ops;
}

std::optional<OpenApiOperation> OpenApiSpec::find_operation(const std::string& method,
                                                            const std::string& path) const {
  const std::string m = lower(method);
  const std::vector<std::string> req = request_segments(path);
  std::optional<OpenApiOperation> best;
  std::vector<char> best_literal;
  for (const auto& t : templates_) {
    if (t.method != m) continue;
    Match match;
    if (!match_from(t.segments, 0, req, 0, match)) continue;
    if (best && match.literal <= best_literal) continue;  // ties keep document order
    best_literal = std::move(match.literal);
    best = OpenApiOperation{t.method, t.path, std::move(match.params), t.operation};
  }
  return best;
}

const json& OpenApiSpec::resolve_response(const json& response) const {
  const json* r = &response;
  for (int hops = 0; r->is_object() && r->contains("$ref"); ++hops) {
    if (hops > 16) throw std::runtime_error("$ref chain too long at " + brief((*r)["$ref"]));
    r = &resolve(r->at("$ref").get<std::string>());
  }
  return *r;
}

namespace {

const json* find_response(const json& operation, int status) {
  auto responses = operation.find("responses");
  if (responses == operation.end() || !responses->is_object()) return nullptr;
  const std::string code = std::to_string(status);
  for (const std::string& key :
       {code, code.substr(0, 1) + "XX", code.substr(0, 1) + "xx", std::string("default")}) {
    if (auto it = responses->find(key); it != responses->end()) return &*it;
  }
  return nullptr;
}

const json* json_schema_of(const json& response) {
  auto content = response.find("content");
  if (content == response.end() || !content->is_object()) return nullptr;
  for (const auto& [type, media] : content->items()) {
    bool is_json =
        type.rfind("application/json", 0) == 0 || type.find("+json") != std::string::npos;
    if (is_json && media.is_object() && media.contains("schema")) return &media["schema"];
  }
  return nullptr;
}

}  // namespace

const json* OpenApiSpec::response_schema(const OpenApiOperation& op, int status) const {
  if (op.operation == nullptr) return nullptr;
  const json* response = find_response(*op.operation, status);
  return response ? json_schema_of(resolve_response(*response)) : nullptr;
}

std::vector<std::string> OpenApiSpec::validate_response(const std::string& method,
                                                        const std::string& path, int status,
                                                        const json& body) const {
  auto op = find_operation(method, path);
  if (!op) return {fmt::format("no operation for {} {}", upper(method), path)};
  const json* response = find_response(*op->operation, status);
  if (!response) {
    return {fmt::format("status {} is not documented for {} {}", status, upper(op->method),
                        op->path_template)};
  }
  const json* schema = json_schema_of(resolve_response(*response));
  if (!schema) {
    if (body.is_null() || body.is_discarded()) return {};
    return {fmt::format("(root): response {} of {} {} has no JSON body, got {}", status,
                        upper(op->method), op->path_template, describe(body))};
  }
  return validate(*schema, body);
}

std::vector<std::string> OpenApiSpec::validate_response_text(const std::string& method,
                                                             const std::string& path, int status,
                                                             std::string_view body) const {
  bool blank = std::all_of(body.begin(), body.end(),
                           [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
  if (blank) {
    auto op = find_operation(method, path);
    if (!op) return {fmt::format("no operation for {} {}", upper(method), path)};
    if (response_schema(*op, status) == nullptr) return validate_response(method, path, status, {});
    return {"(root): body is empty, expected JSON"};
  }
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) {
    return {"(root): body is not valid JSON: " + std::string(body.substr(0, 80))};
  }
  return validate_response(method, path, status, parsed);
}

::testing::AssertionResult OpenApiSpec::matches_response(const std::string& method,
                                                         const std::string& path, int status,
                                                         const json& body) const {
  auto problems = validate_response(method, path, status, body);
  if (problems.empty()) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  failure << upper(method) << " " << path << " -> " << status << " does not match the spec ("
          << problems.size() << " problem" << (problems.size() == 1 ? "" : "s") << "):";
  for (const auto& p : problems) failure << "\n  " << p;
  failure << "\n  body: " << brief(body, 2000);
  return failure;
}

const json& OpenApiSpec::resolve(const std::string& ref) const {
  {
    std::lock_guard lock(cache_mutex_);
    if (auto it = refs_.find(ref); it != refs_.end()) return *it->second;
  }
  if (ref.empty() || ref[0] != '#') {
    throw std::runtime_error("only local $refs are supported, got \"" + ref + "\"");
  }
  const json* target = nullptr;
  try {
    target = &doc_.at(json::json_pointer(percent_decode(ref.substr(1))));
  } catch (const json::exception& e) {
    throw std::runtime_error("cannot resolve $ref \"" + ref + "\": " + e.what());
  }
  std::lock_guard lock(cache_mutex_);
  refs_.emplace(ref, target);
  return *target;
}

const std::regex& OpenApiSpec::compiled(const std::string& pattern) const {
  std::lock_guard lock(cache_mutex_);
  auto& slot = regexes_[pattern];
  if (!slot) {
    try {
      slot = std::make_unique<std::regex>(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      regexes_.erase(pattern);
      throw std::runtime_error("schema pattern \"" + pattern +
                               "\" is not a valid regex: " + e.what());
    }
  }
  return *slot;
}

bool OpenApiSpec::composed_property(const json& schema, const std::string& key) const {
  for (const char* keyword : {"allOf", "anyOf", "oneOf"}) {
    auto subs = schema.find(keyword);
    if (subs == schema.end() || !subs->is_array()) continue;
    for (const auto& sub : *subs) {
      const json* s = &sub;
      if (s->is_object() && s->contains("$ref")) s = &resolve(s->at("$ref").get<std::string>());
      if (!s->is_object()) continue;
      if (auto p = s->find("properties"); p != s->end() && p->is_object() && p->contains(key)) {
        return true;
      }
    }
  }
  return false;
}

std::vector<std::string> OpenApiSpec::validate(const json& schema, const json& value) const {
  Context ctx;
  std::string pointer;
  check(schema, value, pointer, ctx);
  return std::move(ctx.problems);
}

void OpenApiSpec::check(const json& schema, const json& value, std::string& pointer,
                        Context& ctx) const {
  if (schema.is_boolean()) {
    if (!schema.get<bool>()) ctx.add(pointer, "no value is allowed here");
    return;
  }
  if (!schema.is_object()) throw std::runtime_error("schema is not an object: " + brief(schema));
  if (ctx.depth >= kMaxDepth) {
    ctx.add(pointer, "schema nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    return;
  }
  struct DepthGuard {
    int& depth;
    explicit DepthGuard(int& d) : depth(d) { ++depth; }
    ~DepthGuard() { --depth; }
  } guard(ctx.depth);

  // OpenAPI 3.0: a Reference Object replaces the schema; sibling keywords are ignored.
  if (auto ref = schema.find("$ref"); ref != schema.end()) {
    if (!ref->is_string()) throw std::runtime_error("$ref is not a string: " + brief(*ref));
    const json& target = resolve(ref->get<std::string>());
    for (const auto& [active, at] : ctx.active_refs) {
      if (active == &target && at == pointer) {
        ctx.add(pointer, "cyclic $ref " + ref->get<std::string>() + " (not followed)");
        return;
      }
    }
    ctx.active_refs.emplace_back(&target, pointer);
    check(target, value, pointer, ctx);
    ctx.active_refs.pop_back();
    return;
  }

  const std::string type = effective_type(schema);
  if (value.is_null()) {
    if (flag(schema, "nullable") || flag(schema, "x-nullable")) return;
    if (!type.empty()) {
      ctx.add(pointer, fmt::format("is null, but the schema (type {}) is not nullable", type));
      return;
    }
  } else if (!type.empty() && !has_type(value, type)) {
    ctx.add(pointer, fmt::format("expected {}, got {}", type, describe(value)));
    return;
  }

  if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
    if (std::find(e->begin(), e->end(), value) == e->end()) {
      ctx.add(pointer, fmt::format("{} is not one of {}", brief(value), brief(*e, 200)));
    }
  }

  if (value.is_object()) {
    const json* properties = nullptr;
    if (auto p = schema.find("properties"); p != schema.end() && p->is_object()) properties = &*p;
    if (auto r = schema.find("required"); r != schema.end() && r->is_array()) {
      for (const auto& name : *r) {
        if (name.is_string() && !value.contains(name.get<std::string>())) {
          const size_t len = pointer.size();
          append_token(pointer, name.get<std::string>());
          ctx.add(pointer, "required property is missing");
          pointer.resize(len);
        }
      }
    }
    auto additional = schema.find("additionalProperties");
    for (const auto& [key, child] : value.items()) {
      const size_t len = pointer.size();
      append_token(pointer, key);
      if (properties && properties->contains(key)) {
        check((*properties)[key], child, pointer, ctx);
      } else if (additional != schema.end()) {
        if (additional->is_boolean()) {
          if (!additional->get<bool>() && !composed_property(schema, key)) {
            std::vector<std::string> allowed;
            if (properties) {
              for (const auto& [name, _] : properties->items()) allowed.push_back(name);
            }
            ctx.add(pointer,
                    fmt::format(
                        "property is not allowed (additionalProperties is false; "
                        "allowed: {})",
                        allowed.empty() ? "none" : fmt::format("{}", fmt::join(allowed, ", "))));
          }
        } else {
          check(*additional, child, pointer, ctx);
        }
      }
      pointer.resize(len);
    }
    if (auto n = count_of(schema, "minProperties"); n && value.size() < *n) {
      ctx.add(pointer,
              fmt::format("has {} properties, fewer than minProperties {}", value.size(), *n));
    }
    if (auto n = count_of(schema, "maxProperties"); n && value.size() > *n) {
      ctx.add(pointer,
              fmt::format("has {} properties, more than maxProperties {}", value.size(), *n));
    }
  } else if (value.is_array()) {
    if (auto items = schema.find("items"); items != schema.end()) {
      if (!items->is_object()) {
        throw std::runtime_error("\"items\" must be a schema object in OpenAPI 3.0");
      }
      for (size_t i = 0; i < value.size(); ++i) {
        const size_t len = pointer.size();
        append_token(pointer, std::to_string(i));
        check(*items, value[i], pointer, ctx);
        pointer.resize(len);
      }
    }
    if (auto n = count_of(schema, "minItems"); n && value.size() < *n) {
      ctx.add(pointer, fmt::format("has {} items, fewer than minItems {}", value.size(), *n));
    }
    if (auto n = count_of(schema, "maxItems"); n && value.size() > *n) {
      ctx.add(pointer, fmt::format("has {} items, more than maxItems {}", value.size(), *n));
    }
    if (flag(schema, "uniqueItems")) {
      for (size_t i = 0; i < value.size(); ++i) {
        for (size_t j = i + 1; j < value.size(); ++j) {
          if (value[i] == value[j]) {
            ctx.add(pointer,
                    fmt::format("items {} and {} are equal, but uniqueItems is set", i, j));
          }
        }
      }
    }
  } else if (value.is_string()) {
    check_string(schema, value.get_ref<const std::string&>(), pointer, ctx);
  } else if (value.is_number()) {
    check_number(schema, value, pointer, ctx);
  }

  if (auto all = schema.find("allOf"); all != schema.end() && all->is_array()) {
    for (const auto& sub : *all) check(sub, value, pointer, ctx);
  }
  for (const char* keyword : {"anyOf", "oneOf"}) {
    auto alts = schema.find(keyword);
    if (alts == schema.end() || !alts->is_array()) continue;
    const bool one = std::string_view(keyword) == "oneOf";
    std::vector<size_t> matched;
    std::vector<std::vector<std::string>> failures;
    for (size_t i = 0; i < alts->size(); ++i) {
      Context sub = ctx.branch();
      check((*alts)[i], value, pointer, sub);
      if (sub.problems.empty()) {
        matched.push_back(i);
        if (!one) break;
      } else {
        failures.push_back(std::move(sub.problems));
      }
    }
    if (matched.empty()) {
      std::string message =
          fmt::format("matches none of the {} {} alternatives", alts->size(), keyword);
      for (size_t i = 0; i < failures.size(); ++i) {
        const auto& f = failures[i];
        for (size_t k = 0; k < std::min(f.size(), kMaxAlternativeLines); ++k) {
          message += fmt::format("\n    [{}] {}", i, f[k]);
        }
        if (f.size() > kMaxAlternativeLines) {
          message += fmt::format("\n    [{}] ... and {} more", i, f.size() - kMaxAlternativeLines);
        }
      }
      ctx.add(pointer, message);
    } else if (one && matched.size() > 1) {
      ctx.add(pointer, fmt::format("matches {} oneOf alternatives ({}), expected exactly one",
                                   matched.size(), fmt::join(matched, ", ")));
    }
  }
  if (auto n = schema.find("not"); n != schema.end()) {
    Context sub = ctx.branch();
    check(*n, value, pointer, sub);
    if (sub.problems.empty()) ctx.add(pointer, "matches the schema under \"not\"");
  }
}

void OpenApiSpec::check_string(const json& schema, const std::string& s, const std::string& pointer,
                               Context& ctx) const {
  const json value = s;
  if (auto n = count_of(schema, "minLength"); n && code_points(s) < *n) {
    ctx.add(pointer, fmt::format("{} is shorter than minLength {}", brief(value), *n));
  }
  if (auto n = count_of(schema, "maxLength"); n && code_points(s) > *n) {
    ctx.add(pointer, fmt::format("{} is longer than maxLength {}", brief(value), *n));
  }
  if (auto p = schema.find("pattern"); p != schema.end() && p->is_string()) {
    if (!std::regex_search(s, compiled(p->get<std::string>()))) {
      ctx.add(pointer,
              fmt::format("{} does not match pattern {}", brief(value), p->get<std::string>()));
    }
  }
  auto f = schema.find("format");
  if (f == schema.end() || !f->is_string()) return;
  const std::string& format = f->get_ref<const std::string&>();
  bool ok = true;
  std::string what = format;
  if (format == "date-time") {
    ok = is_date_time(s);
    what = "date-time (RFC 3339, e.g. 2024-01-31T12:00:00.000Z)";
  } else if (format == "date") {
    ok = is_full_date(s);
    what = "date (RFC 3339 full-date, e.g. 2024-01-31)";
  } else if (format == "uuid") {
    ok = is_uuid(s);
  } else if (format == "uri") {
    ok = is_uri(s);
  }
  if (!ok) ctx.add(pointer, fmt::format("{} is not a valid {}", brief(value), what));
}

void OpenApiSpec::check_number(const json& schema, const json& value, const std::string& pointer,
                               Context& ctx) const {
  const double x = value.get<double>();
  const bool exclusive_min = flag(schema, "exclusiveMinimum");
  const bool exclusive_max = flag(schema, "exclusiveMaximum");
  if (auto min = number_of(schema, "minimum")) {
    if (exclusive_min ? x <= *min : x < *min) {
      ctx.add(pointer, fmt::format("{} is {} minimum {}", brief(value),
                                   exclusive_min ? "not greater than exclusive" : "less than",
                                   brief(schema["minimum"])));
    }
  }
  if (auto max = number_of(schema, "maximum")) {
    if (exclusive_max ? x >= *max : x > *max) {
      ctx.add(pointer, fmt::format("{} is {} maximum {}", brief(value),
                                   exclusive_max ? "not less than exclusive" : "greater than",
                                   brief(schema["maximum"])));
    }
  }
  if (auto m = number_of(schema, "multipleOf"); m && *m > 0) {
    bool ok;
    if (value.is_number_integer() && schema["multipleOf"].is_number_integer()) {
      ok = value.is_number_unsigned()
               ? value.get<uint64_t>() % schema["multipleOf"].get<uint64_t>() == 0
               : value.get<int64_t>() % schema["multipleOf"].get<int64_t>() == 0;
    } else {
      double q = x / *m;
      ok = std::fabs(q - std::round(q)) < 1e-9;
    }
    if (!ok) ctx.add(pointer, fmt::format("{} is not a multiple of {}", brief(value), *m));
  }
  auto f = schema.find("format");
  if (f == schema.end() || !f->is_string() || !value.is_number_integer()) return;
  if (*f == "int64" && value.is_number_unsigned() &&
      value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    ctx.add(pointer, fmt::format("{} does not fit format int64", brief(value)));
  }
  if (*f == "int32") {
    bool fits =
        value.is_number_unsigned()
            ? value.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int32_t>::max())
            : value.get<int64_t>() >= std::numeric_limits<int32_t>::min() &&
                  value.get<int64_t>() <= std::numeric_limits<int32_t>::max();
    if (!fits) ctx.add(pointer, fmt::format("{} does not fit format int32", brief(value)));
  }
}

}  // namespace halo::test
