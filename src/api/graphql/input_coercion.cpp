#include "api/graphql/input_coercion.h"

#include "api/graphql/scalars.h"

#include <fmt/format.h>

namespace halo::graphql {

bool is_absent_variable(const ast::Value& v, const Json* variables) {
  return v.kind == ast::ValueKind::Variable &&
         (!variables || !variables->is_object() || !variables->contains(v.text));
}

std::optional<Json> coerce_literal(const ast::Value& v, const TypeRef* type, const Json* variables,
                                   std::string* error) {
  using K = ast::ValueKind;
  if (v.kind == K::Variable) {
    if (is_absent_variable(v, variables)) {
      if (type->non_null()) {
        *error = fmt::format("Variable \"${}\" of required type \"{}\" was not provided.", v.text,
                             type->to_string());
        return std::nullopt;
      }
      return Json(nullptr);
    }
    const Json& value = (*variables)[std::string(v.text)];
    if (value.is_null() && type->non_null()) {
      *error = fmt::format("Variable \"${}\" must not be null.", v.text);
      return std::nullopt;
    }
    // Variable values were coerced to the variable's type already; validation proved that
    // type compatible with this position.
    return value;
  }
  if (v.kind == K::Null) {
    if (type->non_null()) {
      *error = fmt::format("Expected value of type \"{}\", found null.", type->to_string());
      return std::nullopt;
    }
    return Json(nullptr);
  }
  const TypeRef* t = type->nullable();
  if (t->list()) {
    if (v.kind != K::List) {
      auto item = coerce_literal(v, t->of, variables, error);
      if (!item) return std::nullopt;
      return Json::array({std::move(*item)});
    }
    Json out = Json::array();
    for (const auto& item : v.list) {
      auto c = coerce_literal(item, t->of, variables, error);
      if (!c) return std::nullopt;
      out.push_back(std::move(*c));
    }
    return out;
  }
  const NamedType& named = *t->named;
  switch (named.kind) {
    case TypeKind::Scalar:
      // A custom scalar takes any literal, variables inside it included.
      if (!is_builtin_scalar(named.name)) return literal_to_json(v, variables);
      return scalar_from_literal(named, v, error);
    case TypeKind::Enum:
      if (v.kind != K::Enum || !named.enum_value(v.text)) {
        *error =
            v.kind == K::Enum
                ? fmt::format("Value \"{}\" does not exist in \"{}\" enum.", v.text, named.name)
                : fmt::format("Enum \"{}\" cannot represent non-enum value.", named.name);
        return std::nullopt;
      }
      return Json(std::string(v.text));
    case TypeKind::InputObject: {
      if (v.kind != K::Object) {
        *error =
            fmt::format("Expected value of type \"{}\", found a non-object value.", named.name);
        return std::nullopt;
      }
      for (const auto& f : v.fields) {
        if (!named.input_field(f.name)) {
          *error = fmt::format("Field \"{}\" is not defined by type \"{}\".", f.name, named.name);
          return std::nullopt;
        }
      }
      Json out = Json::object();
      for (const auto& def : named.input_fields) {
        const ast::ObjectField* given = nullptr;
        for (const auto& f : v.fields) {
          if (f.name == def.name) given = &f;
        }
        if (!given || is_absent_variable(given->value, variables)) {
          if (def.default_value) {
            out[def.name] = *def.default_value;
          } else if (def.type->non_null()) {
            *error = fmt::format("Field \"{}.{}\" of required type \"{}\" was not provided.",
                                 named.name, def.name, def.type->to_string());
            return std::nullopt;
          }
          continue;
        }
        auto c = coerce_literal(given->value, def.type, variables, error);
        if (!c) return std::nullopt;
        out[def.name] = std::move(*c);
      }
      return out;
    }
    default:
      *error = fmt::format("Type \"{}\" is not an input type.", named.name);
      return std::nullopt;
  }
}

namespace {

std::optional<Json> coerce_json_at(const Json& v, const TypeRef* type, std::string& path,
                                   std::string* error) {
  auto at = [&]() { return path.empty() ? std::string() : fmt::format(" at \"{}\"", path); };
  if (v.is_null()) {
    if (type->non_null()) {
      *error = fmt::format("Expected non-nullable type \"{}\" not to be null{}.", type->to_string(),
                           at());
      return std::nullopt;
    }
    return Json(nullptr);
  }
  const TypeRef* t = type->nullable();
  if (t->list()) {
    if (!v.is_array()) {
      auto item = coerce_json_at(v, t->of, path, error);
      if (!item) return std::nullopt;
      return Json::array({std::move(*item)});
    }
    Json out = Json::array();
    size_t mark = path.size();
    for (size_t i = 0; i < v.size(); ++i) {
      path += fmt::format("[{}]", i);
      auto c = coerce_json_at(v[i], t->of, path, error);
      if (!c) return std::nullopt;
      path.resize(mark);
      out.push_back(std::move(*c));
    }
    return out;
  }
  const NamedType& named = *t->named;
  switch (named.kind) {
    case TypeKind::Scalar: {
      std::string e;
      auto c = scalar_from_json(named, v, &e);
      if (!c) *error = e + at() + ".";
      return c;
    }
    case TypeKind::Enum:
      if (!v.is_string() || !named.enum_value(v.get_ref<const std::string&>())) {
        *error =
            fmt::format("Value {} does not exist in \"{}\" enum{}.", v.dump(), named.name, at());
        return std::nullopt;
      }
      return v;
    case TypeKind::InputObject: {
      if (!v.is_object()) {
        *error = fmt::format("Expected type \"{}\" to be an object{}.", named.name, at());
        return std::nullopt;
      }
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!named.input_field(it.key())) {
          *error = fmt::format("Field \"{}\" is not defined by type \"{}\"{}.", it.key(),
                               named.name, at());
          return std::nullopt;
        }
      }
      Json out = Json::object();
      size_t mark = path.size();
      for (const auto& def : named.input_fields) {
        auto it = v.find(def.name);
        if (it == v.end()) {
          if (def.default_value) {
            out[def.name] = *def.default_value;
          } else if (def.type->non_null()) {
            *error = fmt::format("Field \"{}\" of required type \"{}\" was not provided{}.",
                                 def.name, def.type->to_string(), at());
            return std::nullopt;
          }
          continue;
        }
        path += (path.empty() ? "" : ".") + def.name;
        auto c = coerce_json_at(*it, def.type, path, error);
        if (!c) return std::nullopt;
        path.resize(mark);
        out[def.name] = std::move(*c);
      }
      return out;
    }
    default:
      *error = fmt::format("Type \"{}\" is not an input type.", named.name);
      return std::nullopt;
  }
}

}  // namespace

std::optional<Json> coerce_json(const Json& value, const TypeRef* type, std::string* error) {
  std::string path;
  return coerce_json_at(value, type, path, error);
}

std::optional<Json> coerce_arguments(const std::vector<InputValue>& definitions,
                                     const std::vector<ast::Argument>& arguments,
                                     const Json& variables, std::string* error) {
  Json out = Json::object();
  for (const auto& def : definitions) {
    const ast::Argument* given = nullptr;
    for (const auto& a : arguments) {
      if (a.name == def.name) given = &a;
    }
    if (!given || is_absent_variable(given->value, &variables)) {
      if (def.default_value) {
        out[def.name] = *def.default_value;
      } else if (def.type->non_null()) {
        *error = fmt::format("Argument \"{}\" of required type \"{}\" was not provided.", def.name,
                             def.type->to_string());
        return std::nullopt;
      }
      continue;
    }
    std::string e;
    auto c = coerce_literal(given->value, def.type, &variables, &e);
    if (!c) {
      *error = fmt::format("Argument \"{}\" has invalid value: {}", def.name, e);
      return std::nullopt;
    }
    out[def.name] = std::move(*c);
  }
  return out;
}

}  // namespace halo::graphql
