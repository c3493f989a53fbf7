// Spec 5.8: variable uniqueness, input types, every use defined, every definition used, and
// every use allowed by the variable's type.
#include "api/graphql/validation_context.h"

namespace halo::graphql {

void Validation::check_variable_definitions(const ast::OperationDefinition& op) {
  std::map<std::string_view, Location> seen;
  for (const auto& v : op.variables) {
    // 5.8.1 Variable Uniqueness
    auto [it, fresh] = seen.emplace(v.name, v.loc);
    if (!fresh) {
      report(fmt::format("There can be only one variable named \"${}\".", v.name),
             {it->second, v.loc});
    }
    // 5.8.2 Variables Are Input Types
    const TypeRef* t = resolve_type(v.type);
    const ast::Type* base = &v.type;
    while (base->kind != ast::Type::Kind::Named) base = base->of.get();
    if (!schema_.type(base->name)) {
      report(fmt::format("Unknown type \"{}\".", base->name), {base->loc});
    } else if (t && !t->base().is_input()) {
      report(
          fmt::format("Variable \"${}\" cannot be non-input type \"{}\".", v.name, t->to_string()),
          {v.type.loc});
      t = nullptr;
    }
    walk_directives(v.directives, DirectiveLocation::VariableDefinition);
    if (v.default_value && t) {
      // Default values are constants (the parser refused variables); 5.6 applies to them.
      walk_value(*v.default_value, t, false);
    }
  }
}

const std::vector<const Validation::VariableUsage*>& Validation::transitive_usages(
    const void* definition) {
  static const std::vector<const VariableUsage*> none;
  auto memo = usages_memo_.find(definition);
  if (memo != usages_memo_.end()) return memo->second ? *memo->second : none;
  usages_memo_[definition] = nullptr;
  auto out = std::make_unique<std::vector<const VariableUsage*>>();
  std::set<std::tuple<std::string_view, const TypeRef*, bool>> distinct;
  auto add = [&](const VariableUsage* u) {
    if (distinct.emplace(u->name, u->type, u->location_has_default).second) out->push_back(u);
  };
  const Scope& scope = scopes_[definition];
  for (const auto& u : scope.usages) add(&u);
  for (const auto& [name, loc] : scope.spreads) {
    auto it = fragments_.find(name);
    if (it == fragments_.end()) continue;
    for (const VariableUsage* u : transitive_usages(it->second)) add(u);
  }
  auto& slot = usages_memo_[definition];
  slot = std::move(out);
  return *slot;
}

namespace {

// The spec's AreTypesCompatible(variableType, locationType).
bool compatible(const TypeRef* var, const TypeRef* loc) {
  if (loc->non_null()) {
    if (!var->non_null()) return false;
    return compatible(var->of, loc->of);
  }
  if (var->non_null()) return compatible(var->of, loc);
  if (loc->list()) return var->list() && compatible(var->of, loc->of);
  if (var->list()) return false;
  return var->named == loc->named;
}

}  // namespace

void Validation::check_variable_usages(const ast::OperationDefinition& op) {
  const auto& usages = transitive_usages(&op);
  std::string op_desc = op.name.empty() ? "" : fmt::format(" by operation \"{}\"", op.name);
  std::set<std::string_view> used;
  std::set<std::pair<std::string_view, const void*>> reported;
  std::map<std::string_view, const ast::VariableDefinition*> definitions;
  for (const auto& v : op.variables) definitions.emplace(v.name, &v);
  for (const VariableUsage* u : usages) {
    used.insert(u->name);
    auto found = definitions.find(u->name);
    const ast::VariableDefinition* def = found == definitions.end() ? nullptr : found->second;
    // 5.8.3 All Variable Uses Defined
    if (!def) {
      if (reported.insert({u->name, u}).second) {
        report(fmt::format("Variable \"${}\" is not defined{}.", u->name, op_desc),
               {u->loc, op.loc});
      }
      continue;
    }
    // 5.8.5 All Variable Usages Are Allowed
    if (!u->type) continue;
    const TypeRef* var_type = resolve_type(def->type);
    if (!var_type) continue;
    const TypeRef* loc_type = u->type;
    if (loc_type->non_null() && !var_type->non_null()) {
      bool var_default = def->default_value && def->default_value->kind != ast::ValueKind::Null;
      if (!var_default && !u->location_has_default) {
        report(fmt::format("Variable \"${}\" of type \"{}\" used in position expecting type "
                           "\"{}\".",
                           u->name, var_type->to_string(), loc_type->to_string()),
               {def->loc, u->loc});
        continue;
      }
      loc_type = loc_type->of;
    }
    if (!compatible(var_type, loc_type)) {
      report(fmt::format("Variable \"${}\" of type \"{}\" used in position expecting type \"{}\".",
                         u->name, var_type->to_string(), u->type->to_string()),
             {def->loc, u->loc});
    }
  }
  // 5.8.4 All Variables Used
  for (const auto& v : op.variables) {
    if (!used.count(v.name)) {
      report(fmt::format("Variable \"${}\" is never used{}.", v.name, op_desc), {v.loc});
    }
  }
}

}  // namespace halo::graphql
