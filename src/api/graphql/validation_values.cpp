// Spec 5.6: values of correct type, input object field names, uniqueness and required fields.
// The walk over a literal also records the variables it uses, with the type each position
// expects, for 5.8.
#include "api/graphql/scalars.h"
#include "api/graphql/validation_context.h"

namespace halo::graphql {

void Validation::walk_value(const ast::Value& v, const TypeRef* expected,
                            bool location_has_default) {
  using K = ast::ValueKind;
  if (v.kind == K::Variable) {
    scope_->usages.push_back(VariableUsage{v.text, v.loc, expected, location_has_default});
    return;
  }
  if (!expected) {
    for (const auto& item : v.list) walk_value(item, nullptr, false);
    for (const auto& f : v.fields) walk_value(f.value, nullptr, false);
    return;
  }
  // 5.6.1 Values of Correct Type
  if (v.kind == K::Null) {
    if (expected->non_null()) {
      report(fmt::format("Expected value of type \"{}\", found null.", expected->to_string()),
             {v.loc});
    }
    return;
  }
  const TypeRef* t = expected->nullable();
  if (t->list()) {
    if (v.kind == K::List) {
      for (const auto& item : v.list) walk_value(item, t->of, false);
    } else {
      walk_value(v, t->of, false);  // a single value is coerced to a list of one
    }
    return;
  }
  const NamedType& named = *t->named;
  if (named.kind == TypeKind::InputObject) {
    if (v.kind != K::Object) {
      report(fmt::format("Expected value of type \"{}\", found {}.", expected->to_string(),
                         ast::to_source(v)),
             {v.loc});
      return;
    }
    std::map<std::string_view, Location> seen;
    for (const auto& f : v.fields) {
      // 5.6.3 Input Object Field Uniqueness
      auto [it, fresh] = seen.emplace(f.name, f.loc);
      if (!fresh) {
        report(fmt::format("There can be only one input field named \"{}\".", f.name),
               {it->second, f.loc});
      }
      // 5.6.2 Input Object Field Names
      const InputValue* def = named.input_field(f.name);
      if (!def) {
        report(fmt::format("Field \"{}\" is not defined by type \"{}\".", f.name, named.name),
               {f.loc});
        walk_value(f.value, nullptr, false);
        continue;
      }
      walk_value(f.value, def->type, def->default_value.has_value());
    }
    // 5.6.4 Input Object Required Fields
    for (const auto& def : named.input_fields) {
      if (!def.type->non_null() || def.default_value) continue;
      if (!seen.count(def.name)) {
        report(fmt::format("Field \"{}.{}\" of required type \"{}\" was not provided.", named.name,
                           def.name, def.type->to_string()),
               {v.loc});
      }
    }
    return;
  }
  if (named.kind == TypeKind::Enum) {
    if (v.kind != K::Enum) {
      report(fmt::format("Enum \"{}\" cannot represent non-enum value: {}.", named.name,
                         ast::to_source(v)),
             {v.loc});
    } else if (!named.enum_value(v.text)) {
      report(fmt::format("Value \"{}\" does not exist in \"{}\" enum.", v.text, named.name),
             {v.loc});
    }
    return;
  }
  if (named.kind == TypeKind::Scalar) {
    if (!is_builtin_scalar(named.name)) {
      // A custom scalar takes any literal; variables inside it are still usages.
      for (const auto& item : v.list) walk_value(item, nullptr, false);
      for (const auto& f : v.fields) walk_value(f.value, nullptr, false);
      return;
    }
    std::string error;
    if (!scalar_from_literal(named, v, &error)) {
      report(fmt::format("Expected value of type \"{}\", found {}; {}", expected->to_string(),
                         ast::to_source(v), error),
             {v.loc});
    }
    return;
  }
  report(fmt::format("Expected value of type \"{}\", found {}.", expected->to_string(),
                     ast::to_source(v)),
         {v.loc});
}

}  // namespace halo::graphql
