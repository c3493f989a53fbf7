#include "config/parameters.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace halo::config {

namespace {

bool is_env_var_name(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

std::string describe(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_string()) return fmt::format("\"{}\"", v.get<std::string>());
  return v.dump();
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

bool is_element_name(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; });
}

bool is_job_name(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || std::isspace(c);
  });
}

std::optional<json> coerce(const ParamDecl& decl, const json& v,
                           const std::optional<std::string>& text, std::string& why) {
  const std::string& t = decl.type;
  if (t == "steps") {
    if (v.is_array()) return v;
    if (v.is_null()) return json::array();
    why = fmt::format("expected a list of steps, got {}", describe(v));
    return std::nullopt;
  }
  if (t == "executor") {
    if ((v.is_string() && !v.get_ref<const std::string&>().empty()) ||
        (v.is_object() && v.contains("name"))) {
      return v;
    }
    why = fmt::format("expected an executor name or {{name: ...}}, got {}", describe(v));
    return std::nullopt;
  }
  if (v.is_structured()) {
    why = fmt::format("expected a single value, got a {}", v.is_array() ? "list" : "map");
    return std::nullopt;
  }
  if (t == "boolean") {
    if (v.is_boolean()) return v;
    if (v.is_string()) {
      if (auto b = parse_bool_word(v.get<std::string>())) return json(*b);
    }
    why = fmt::format("expected a boolean, got {}", describe(v));
    return std::nullopt;
  }
  if (t == "integer") {
    if (v.is_number_integer()) return v;
    if (v.is_string()) {
      if (auto i = parse_int(v.get<std::string>())) return json(*i);
    }
    why = fmt::format("expected an integer, got {}", describe(v));
    return std::nullopt;
  }
  // String-like types take any scalar as written (`version: 14` for a string is "14").
  std::string s;
  if (text) {
    s = *text;
  } else if (v.is_string()) {
    s = v.get<std::string>();
  } else if (v.is_boolean() || v.is_number_integer()) {
    s = v.dump();
  } else {
    why = fmt::format("expected a string, got {}", describe(v));
    return std::nullopt;
  }
  if (t == "enum") {
    if (std::find(decl.enum_values.begin(), decl.enum_values.end(), s) == decl.enum_values.end()) {
      why = fmt::format("\"{}\" is not one of: {}", s, join(decl.enum_values));
      return std::nullopt;
    }
  } else if (t == "env_var_name" && !is_env_var_name(s)) {
    why = fmt::format("\"{}\" is not a valid environment variable name", s);
    return std::nullopt;
  }
  return json(s);
}

ParamDecls parse_param_decls(const At& at, ParamOwner owner, Diagnostics& diag) {
  ParamDecls out;
  if (!at.node.IsDefined() || at.node.IsNull()) return out;
  for (const Entry& e : entries(at, diag, "parameters")) {
    if (!is_element_name(e.name)) {
      diag.error(e.key, fmt::format("invalid parameter name {}: names start with a letter and "
                                    "use only letters, digits, _ and -",
                                    e.name));
    }
    ParamDecl d;
    d.name = e.name;
    d.at = e.value;
    auto es = entries(e.value, diag, "a parameter declaration");
    if (!e.value.node.IsMap()) continue;
    reject_unknown_keys(es, {"type", "default", "description", "enum"}, diag, "a parameter");
    const Entry* type = find(es, "type");
    if (type == nullptr || !type->value.node.IsScalar()) {
      diag.error(type ? type->value : e.value, fmt::format("parameter {} needs a type", e.name));
      continue;
    }
    d.type = type->value.node.Scalar();
    bool pipeline = owner == ParamOwner::Pipeline;
    bool node_type = d.type == "executor" || d.type == "steps";
    if (d.type != "string" && d.type != "boolean" && d.type != "integer" && d.type != "enum" &&
        ((d.type != "env_var_name" && !node_type) || pipeline)) {
      diag.error(type->value, fmt::format("parameter {} has an invalid type {}{}", e.name, d.type,
                                          pipeline ? " (pipeline parameters are string, boolean, "
                                                     "integer or enum)"
                                                   : ""));
      continue;
    }
    if (d.type == "enum") {
      const Entry* en = find(es, "enum");
      if (en == nullptr) {
        diag.error(type->value, fmt::format("enum parameter {} needs an enum: list", e.name));
        continue;
      }
      for (const At& item : items(en->value, diag, "enum")) {
        if (!item.node.IsScalar()) {
          diag.error(item, "enum values must be strings");
          continue;
        }
        d.enum_values.push_back(item.node.Scalar());
      }
      if (en->value.node.IsSequence() && d.enum_values.empty()) {
        diag.error(en->value, "enum must list at least one value");
      }
    } else if (find(es, "enum") != nullptr) {
      // The schema allows enum: on any type and CircleCI ignores it there (cypress-io/cypress
      // has it on string parameters).
      diag.warning(find(es, "enum")->key,
                   fmt::format("enum: is ignored on parameter {} of type {}", e.name, d.type));
    }
    if (const Entry* def = find(es, "default"); def && node_type) {
      std::string why;
      if (!coerce(d, raw_json(def->value, diag), std::nullopt, why)) {
        diag.error(def->value, fmt::format("invalid default for parameter {}: {}", e.name, why));
        continue;
      }
      d.default_value = raw_json(def->value, diag);
      d.default_node = def->value;
    } else if (def) {
      if (!def->value.node.IsScalar() && !def->value.node.IsNull()) {
        diag.error(def->value, fmt::format("the default of {} must be a single value", e.name));
        continue;
      }
      std::optional<std::string> text;
      if (def->value.node.IsScalar()) text = def->value.node.Scalar();
      std::string why;
      auto v = coerce(d, typed_scalar(def->value.node), text, why);
      if (!v) {
        diag.error(def->value, fmt::format("invalid default for parameter {}: {}", e.name, why));
        continue;
      }
      d.default_value = *v;
    } else if (pipeline) {
      diag.error(e.value, fmt::format("pipeline parameter {} needs a default", e.name));
      continue;
    }
    out.push_back(std::move(d));
  }
  return out;
}

ParamValues bind_arguments(const ParamDecls& decls, const std::vector<Arg>& args, const At& where,
                           Diagnostics& diag, std::string_view element, NodeValues* nodes,
                           const Scope* defaults) {
  std::string to = element.empty() ? std::string() : fmt::format(" (for {})", element);
  ParamValues out;
  std::vector<std::string> unexpected;
  for (const Arg& a : args) {
    auto d = std::find_if(decls.begin(), decls.end(),
                          [&](const ParamDecl& p) { return p.name == a.name; });
    if (d == decls.end()) unexpected.push_back(a.name);
  }
  if (!unexpected.empty()) {
    diag.error(where, fmt::format("Unexpected argument(s): {}{}", join(unexpected), to));
  }
  std::vector<std::string> missing;
  for (const ParamDecl& d : decls) {
    auto a = std::find_if(args.begin(), args.end(), [&](const Arg& x) { return x.name == d.name; });
    if (a != args.end()) {
      std::string why;
      if (auto v = coerce(d, a->value, a->text, why)) {
        out[d.name] = *v;
        if (nodes != nullptr && (d.type == "steps" || d.type == "executor")) {
          (*nodes)[d.name] = NodeValue{a->at, a->scope};
        }
      } else {
        diag.error(a->at, fmt::format("argument {}: {}{}", d.name, why, to));
        out[d.name] = d.default_value.value_or(json(nullptr));
      }
    } else if (d.default_value) {
      out[d.name] = *d.default_value;
      if (nodes != nullptr && d.default_node) {
        (*nodes)[d.name] = NodeValue{*d.default_node, defaults ? *defaults : Scope{}};
      }
    } else {
      missing.push_back(d.name);
      out[d.name] = nullptr;
    }
  }
  if (!missing.empty()) {
    diag.error(where, fmt::format("Missing required argument(s): {}{}", join(missing), to));
  }
  return out;
}

}  // namespace halo::config

namespace halo::config {

namespace {

constexpr int kMaxRawDepth = 64;

json raw(const At& at, Diagnostics& diag, int depth) {
  if (!diag.spend(at)) return nullptr;
  const yaml::Node& n = at.node;
  if (depth > kMaxRawDepth) return nullptr;
  if (n.IsMap()) {
    json out = json::object();
    for (const Entry& e : entries(at, diag, "a value")) out[e.name] = raw(e.value, diag, depth + 1);
    return out;
  }
  if (n.IsSequence()) {
    json out = json::array();
    for (const At& item : items(at, diag, "a value")) out.push_back(raw(item, diag, depth + 1));
    return out;
  }
  return typed_scalar(n);
}

}  // namespace

json raw_json(const At& at, Diagnostics& diag) {
  return raw(at, diag, 0);
}

std::vector<Arg> read_arguments(const std::vector<Entry>& es, const Scope& scope, Diagnostics& diag,
                                std::initializer_list<std::string_view> skip) {
  std::vector<Arg> args;
  for (const Entry& e : es) {
    if (std::find(skip.begin(), skip.end(), e.name) != skip.end()) continue;
    if (e.value.node.IsMap() || e.value.node.IsSequence()) {
      args.push_back({e.name, raw_json(e.value, diag), std::nullopt, e.value, scope});
      continue;
    }
    // Passing a steps/executor parameter on passes its value, with the scope it came from.
    if (e.value.node.IsScalar() && scope.nodes != nullptr) {
      if (auto ref = whole_parameter_reference(e.value.node.Scalar())) {
        if (auto it = scope.nodes->find(*ref); it != scope.nodes->end()) {
          const NodeValue& nv = it->second;
          args.push_back({e.name, raw_json(nv.at, diag), std::nullopt, nv.at, nv.scope});
          continue;
        }
      }
    }
    auto v = scalar_value(e.value, scope, diag, fmt::format("argument {}", e.name));
    if (!v) continue;
    std::optional<std::string> text;
    if (e.value.node.IsScalar() && v->is_primitive()) {
      text = scalar_text(e.value, scope, diag, e.name);
    }
    args.push_back({e.name, *v, text, e.value, scope});
  }
  return args;
}

}  // namespace halo::config
