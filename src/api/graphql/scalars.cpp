#include "api/graphql/scalars.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

namespace halo::graphql {
namespace {

std::string literal_text(const ast::Value& v) {
  switch (v.kind) {
    case ast::ValueKind::String:
      return Json(v.string).dump();
    case ast::ValueKind::List:
      return "[...]";
    case ast::ValueKind::Object:
      return "{...}";
    case ast::ValueKind::Variable:
      return "$" + std::string(v.text);
    default:
      return std::string(v.text.empty() ? "null" : v.text);
  }
}

bool parse_int64(std::string_view text, int64_t* out) {
  auto r = std::from_chars(text.data(), text.data() + text.size(), *out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

// A JSON number as an exact integer, if it is one.
std::optional<int64_t> json_integer(const Json& v) {
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
      return std::nullopt;
    return v.get<int64_t>();
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.2e18) return int64_t(d);
  }
  return std::nullopt;
}

bool fits_int32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
}

}  // namespace

bool is_builtin_scalar(std::string_view n) {
  return n == "Int" || n == "Float" || n == "String" || n == "Boolean" || n == "ID" || n == "Long";
}

std::optional<Json> scalar_from_literal(const NamedType& s, const ast::Value& v,
                                        std::string* error) {
  using K = ast::ValueKind;
  const std::string& n = s.name;
  auto fail = [&](std::string_view what) -> std::optional<Json> {
    *error = fmt::format("{} cannot represent {}: {}", n, what, literal_text(v));
    return std::nullopt;
  };
  if (n == "Int" || n == "Long") {
    if (v.kind != K::Int) return fail("non-integer value");
    int64_t i = 0;
    if (!parse_int64(v.text, &i) || (n == "Int" && !fits_int32(i))) {
      return fail(n == "Int" ? "non 32-bit signed integer value"
                             : "non 64-bit signed integer value");
    }
    return Json(i);
  }
  if (n == "Float") {
    if (v.kind != K::Int && v.kind != K::Float) return fail("non numeric value");
    double d = std::strtod(std::string(v.text).c_str(), nullptr);
    if (!std::isfinite(d)) return fail("non numeric value");
    return Json(d);
  }
  if (n == "String") {
    if (v.kind != K::String) return fail("non string value");
    return Json(v.string);
  }
  if (n == "Boolean") {
    if (v.kind != K::Boolean) return fail("non boolean value");
    return Json(v.text == "true");
  }
  if (n == "ID") {
    if (v.kind == K::String) return Json(v.string);
    if (v.kind == K::Int) return Json(std::string(v.text));
    return fail("non-string and non-integer value");
  }
  return literal_to_json(v, nullptr);
}

std::optional<Json> scalar_from_json(const NamedType& s, const Json& v, std::string* error) {
  const std::string& n = s.name;
  auto fail = [&](std::string_view what) -> std::optional<Json> {
    *error = fmt::format("{} cannot represent {}: {}", n, what, v.dump());
    return std::nullopt;
  };
  if (n == "Int" || n == "Long") {
    auto i = json_integer(v);
    if (!i) return fail("non-integer value");
    if (n == "Int" && !fits_int32(*i)) return fail("non 32-bit signed integer value");
    return Json(*i);
  }
  if (n == "Float") {
    if (!v.is_number()) return fail("non numeric value");
    return Json(v.get<double>());
  }
  if (n == "String") {
    if (!v.is_string()) return fail("non string value");
    return v;
  }
  if (n == "Boolean") {
    if (!v.is_boolean()) return fail("non boolean value");
    return v;
  }
  if (n == "ID") {
    if (v.is_string()) return v;
    if (auto i = json_integer(v); i && v.is_number_integer()) return Json(std::to_string(*i));
    return fail("non-string and non-integer value");
  }
  return v;
}

std::optional<Json> serialize_scalar(const NamedType& s, const Json& v, std::string* error) {
  const std::string& n = s.name;
  auto fail = [&](std::string_view what) -> std::optional<Json> {
    *error = fmt::format("{} cannot represent {}: {}", n, what, v.dump());
    return std::nullopt;
  };
  if (n == "Int" || n == "Long") {
    if (v.is_boolean()) return Json(v.get<bool>() ? 1 : 0);
    std::optional<int64_t> i = json_integer(v);
    if (!i && v.is_string()) {
      int64_t parsed = 0;
      if (parse_int64(v.get_ref<const std::string&>(), &parsed)) i = parsed;
    }
    if (!i) return fail("non-integer value");
    if (n == "Int" && !fits_int32(*i)) return fail("non 32-bit signed integer value");
    return Json(*i);
  }
  if (n == "Float") {
    // NaN and infinities have no JSON form.
    if (v.is_number()) {
      if (std::isfinite(v.get<double>())) return Json(v.get<double>());
      *error = "Float cannot represent a non-finite value.";
      return std::nullopt;
    }
    if (v.is_boolean()) return Json(v.get<bool>() ? 1.0 : 0.0);
    return fail("non numeric value");
  }
  if (n == "String") {
    if (v.is_string()) return v;
    if (v.is_boolean()) return Json(v.get<bool>() ? "true" : "false");
    if (v.is_number()) return Json(v.dump());
    return fail("non string value");
  }
  if (n == "Boolean") {
    if (v.is_boolean()) return v;
    if (v.is_number()) return Json(v.get<double>() != 0);
    return fail("non boolean value");
  }
  if (n == "ID") {
    if (v.is_string()) return v;
    if (auto i = json_integer(v); i && v.is_number_integer()) return Json(std::to_string(*i));
    return fail("non-string and non-integer value");
  }
  return v;
}

Json literal_to_json(const ast::Value& v, const Json* variables) {
  using K = ast::ValueKind;
  switch (v.kind) {
    case K::Null:
      return nullptr;
    case K::Boolean:
      return v.text == "true";
    case K::String:
      return v.string;
    case K::Enum:
      return std::string(v.text);
    case K::Int: {
      int64_t i = 0;
      if (parse_int64(v.text, &i)) return i;
      return std::strtod(std::string(v.text).c_str(), nullptr);
    }
    case K::Float:
      return std::strtod(std::string(v.text).c_str(), nullptr);
    case K::Variable: {
      if (!variables) return nullptr;
      auto it = variables->find(v.text);
      return it == variables->end() ? Json(nullptr) : *it;
    }
    case K::List: {
      Json out = Json::array();
      for (const auto& item : v.list) out.push_back(literal_to_json(item, variables));
      return out;
    }
    case K::Object: {
      Json out = Json::object();
      for (const auto& f : v.fields) out[std::string(f.name)] = literal_to_json(f.value, variables);
      return out;
    }
  }
  return nullptr;
}

std::string print_literal(const Json& value, const TypeRef* type) {
  const TypeRef* t = type ? type->nullable() : nullptr;
  if (value.is_null()) return "null";
  if (t && t->list() && !value.is_array()) return print_literal(value, t->of);
  if (value.is_array()) {
    const TypeRef* item = t && t->list() ? t->of : nullptr;
    std::string out = "[";
    for (size_t i = 0; i < value.size(); ++i) {
      if (i) out += ", ";
      out += print_literal(value[i], item);
    }
    return out + "]";
  }
  const NamedType* named = t && t->kind == TypeRef::Kind::Named ? t->named : nullptr;
  if (value.is_object()) {
    std::string out = "{";
    bool first = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
      const InputValue* f = named ? named->input_field(it.key()) : nullptr;
      out += fmt::format("{}{}: {}", first ? "" : ", ", it.key(),
                         print_literal(it.value(), f ? f->type : nullptr));
      first = false;
    }
    return out + "}";
  }
  if (named && named->kind == TypeKind::Enum && value.is_string()) return value.get<std::string>();
  return value.dump();
}

}  // namespace halo::graphql
