#include "config/logic.h"

#include <fmt/format.h>

#include "config/expression.h"
#include "config/regex.h"

namespace halo::config {

namespace {

constexpr int kMaxDepth = 100;

// Bare expression strings (`pipeline.git.branch == "main"`) are the newer syntax.
bool looks_like_expression(const std::string& s) {
  for (const char* op :
       {"==", "!=", " and ", " or ", "not ", "starts-with", " matches ", "contains"}) {
    if (s.find(op) != std::string::npos) return true;
  }
  return s.rfind("pipeline.", 0) == 0;
}

bool is_logic_statement(yaml::Node n) {
  if (!n.IsMap() || n.size() != 1) return false;
  std::string k = n.pairs().front().first.Scalar();
  return k == "and" || k == "or" || k == "not" || k == "equal" || k == "matches";
}

// A plain value (an operand of equal that is a map or list), with references substituted.
std::optional<json> to_value(const At& at, const Scope& scope, Diagnostics& diag, int depth) {
  if (depth > kMaxDepth) {
    diag.error(at, "the value is nested too deeply");
    return std::nullopt;
  }
  if (!diag.spend(at)) return std::nullopt;
  if (at.node.IsMap()) {
    json out = json::object();
    for (const Entry& e : entries(at, diag, "a value")) {
      auto v = to_value(e.value, scope, diag, depth + 1);
      if (!v) return std::nullopt;
      out[e.name] = *v;
    }
    return out;
  }
  if (at.node.IsSequence()) {
    json out = json::array();
    for (const At& item : items(at, diag, "a value")) {
      auto v = to_value(item, scope, diag, depth + 1);
      if (!v) return std::nullopt;
      out.push_back(*v);
    }
    return out;
  }
  return scalar_value(at, scope, diag, "a value");
}

std::optional<json> eval(const At& at, const Scope& scope, Diagnostics& diag, int depth) {
  if (depth > kMaxDepth) {
    diag.error(at, "logic statements are nested too deeply (at most 100 levels)");
    return std::nullopt;
  }
  if (!diag.spend(at)) return std::nullopt;
  const yaml::Node& n = at.node;
  if (n.IsSequence()) {
    diag.error(at, "a logic statement cannot be a list; use and: or or:");
    return std::nullopt;
  }
  if (!n.IsMap()) {
    auto v = scalar_value(at, scope, diag, "a condition");
    if (v && v->is_string() && looks_like_expression(v->get<std::string>())) {
      diag.error(at, "expressions in conditions are not supported yet; use a logic statement");
      return std::nullopt;
    }
    return v;
  }
  auto es = entries(at, diag, "a logic statement");
  if (es.size() != 1) {
    diag.error(at, "a logic statement is a map with exactly one of and, or, not, equal, matches");
    return std::nullopt;
  }
  const Entry& e = es.front();
  auto operands = [&]() -> std::optional<std::vector<At>> {
    if (!e.value.node.IsSequence()) {
      diag.error(e.value, fmt::format("{} takes a list", e.name));
      return std::nullopt;
    }
    auto list = items(e.value, diag, e.name);
    if (list.empty()) {
      diag.error(e.value, fmt::format("{} needs at least one argument", e.name));
      return std::nullopt;
    }
    return list;
  };
  if (e.name == "and" || e.name == "or") {
    auto list = operands();
    if (!list) return std::nullopt;
    // Evaluate every operand (no short circuit) so that all errors are reported.
    bool is_and = e.name == "and";
    bool result = is_and;
    bool ok = true;
    for (const At& item : *list) {
      auto v = eval(item, scope, diag, depth + 1);
      if (!v) {
        ok = false;
        continue;
      }
      result = is_and ? (result && truthy(*v)) : (result || truthy(*v));
    }
    if (!ok) return std::nullopt;
    return json(result);
  }
  if (e.name == "not") {
    auto v = eval(e.value, scope, diag, depth + 1);
    if (!v) return std::nullopt;
    return json(!truthy(*v));
  }
  if (e.name == "equal") {
    auto list = operands();
    if (!list) return std::nullopt;
    std::vector<json> values;
    for (const At& item : *list) {
      // Operands are values; only maps shaped like a logic statement are evaluated.
      bool value = item.node.IsSequence() || (item.node.IsMap() && !is_logic_statement(item.node));
      auto v = value ? to_value(item, scope, diag, depth + 1) : eval(item, scope, diag, depth + 1);
      if (!v) return std::nullopt;
      values.push_back(*v);
    }
    for (const json& v : values) {
      if (v != values.front()) return json(false);
    }
    return json(true);
  }
  if (e.name == "matches") {
    auto ms = entries(e.value, diag, "matches");
    if (!e.value.node.IsMap()) return std::nullopt;
    reject_unknown_keys(ms, {"pattern", "value"}, diag, "matches");
    const Entry* p = find(ms, "pattern");
    const Entry* v = find(ms, "value");
    if (p == nullptr || v == nullptr) {
      diag.error(e.value, "matches needs pattern and value");
      return std::nullopt;
    }
    auto pattern = scalar_text(p->value, scope, diag, "pattern");
    auto value = scalar_text(v->value, scope, diag, "value");
    if (!pattern || !value) return std::nullopt;
    std::string why;
    auto re = compile_regex(*pattern, why);
    if (!re) {
      diag.error(p->value, fmt::format("invalid pattern: {}", why));
      return std::nullopt;
    }
    return json(full_match(*re, *value));
  }
  diag.error(
      e.key,
      fmt::format("unknown logic statement {} (expected and, or, not, equal or matches)", e.name));
  return std::nullopt;
}

}  // namespace

bool truthy(const json& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) return v.get<int64_t>() != 0;
  if (v.is_number_float()) {
    double d = v.get<double>();
    return d == d && d != 0;
  }
  if (v.is_string()) return !v.get_ref<const std::string&>().empty();
  return true;  // arrays and objects, empty or not
}

std::optional<bool> evaluate_condition(const At& at, const Scope& scope, Diagnostics& diag,
                                       bool expressions) {
  if (expressions && at.node.IsScalar() && is_plain(at.node) &&
      is_bare_expression(at.node.Scalar())) {
    auto v = expression_value(at.node.Scalar(), scope, diag, at);
    if (!v) return std::nullopt;
    return truthy(*v);
  }
  auto v = eval(at, scope, diag, 0);
  if (!v) return std::nullopt;
  return truthy(*v);
}

}  // namespace halo::config
