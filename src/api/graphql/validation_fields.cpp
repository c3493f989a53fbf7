// Spec 5.3.1 (field selections) and 5.3.3 (leaf field selections); 5.3.2 is field_merging.cpp.
#include "api/graphql/validation_context.h"

namespace halo::graphql {

// 5.3.1 Field Selections
void Validation::check_field_selection(const ast::Selection& field, const NamedType* parent,
                                       const FieldDef* def) {
  if (def) return;
  report(fmt::format("Cannot query field \"{}\" on type \"{}\".", field.name, parent->name),
         {field.loc});
}

// 5.3.3 Leaf Field Selections
void Validation::check_leaf_selection(const ast::Selection& field, const FieldDef& def) {
  const NamedType& base = def.type->base();
  if (base.is_leaf() && !field.selection_set.empty()) {
    report(fmt::format("Field \"{}\" must not have a selection since type \"{}\" has no "
                       "subfields.",
                       field.name, def.type->to_string()),
           {field.selection_set.loc});
  } else if (!base.is_leaf() && field.selection_set.empty()) {
    report(fmt::format("Field \"{}\" of type \"{}\" must have a selection of subfields. Did you "
                       "mean \"{} {{ ... }}\"?",
                       field.name, def.type->to_string(), field.name),
           {field.loc});
  }
}

}  // namespace halo::graphql
