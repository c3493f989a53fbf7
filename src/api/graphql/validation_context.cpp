#include "api/graphql/validation_context.h"

#include "api/graphql/validator.h"

namespace halo::graphql {
namespace {
struct TooManyErrors {};
}  // namespace

std::vector<Error> validate(const Schema& schema, const ast::Document& document) {
  return Validation(schema, document).run();
}

Validation::Validation(const Schema& schema, const ast::Document& document)
    : schema_(schema), doc_(document) {
  for (const auto& f : doc_.fragments) fragments_.emplace(f.name, &f);
}

std::vector<Error> Validation::run() {
  try {
    run_rules();
  } catch (const TooManyErrors&) {
    errors_.push_back(
        Error{"Too many validation errors, error limit reached. Validation aborted.", {}, nullptr});
  }
  return std::move(errors_);
}

void Validation::run_rules() {
  check_executable_definitions();
  check_operation_names();
  check_fragment_definitions();
  fragment_cycle_ = any_fragment_cycle();
  for (const auto& op : doc_.operations) walk_operation(op);
  for (const auto& f : doc_.fragments) walk_fragment(f);
  check_fragments_used_and_acyclic();
  for (const auto& op : doc_.operations) check_variable_usages(op);
}

void Validation::report(std::string message, std::vector<Location> locations) {
  // As graphql-js does, stop after 100 errors: a document that bad says all it needs to.
  if (errors_.size() >= max_errors_) throw TooManyErrors{};
  errors_.push_back(Error{std::move(message), std::move(locations), nullptr});
}

const TypeRef* Validation::resolve_type(const ast::Type& t) {
  switch (t.kind) {
    case ast::Type::Kind::Named: {
      const NamedType* named = schema_.type(t.name);
      return named ? schema_.named_ref(named) : nullptr;
    }
    case ast::Type::Kind::List:
    case ast::Type::Kind::NonNull: {
      const TypeRef* of = resolve_type(*t.of);
      if (!of) return nullptr;
      auto kind = t.kind == ast::Type::Kind::List ? TypeRef::Kind::List : TypeRef::Kind::NonNull;
      return &arena_.emplace_back(TypeRef{kind, nullptr, of});
    }
  }
  return nullptr;
}

void Validation::walk_operation(const ast::OperationDefinition& op) {
  scope_ = &scopes_[&op];
  check_variable_definitions(op);
  static constexpr DirectiveLocation where[] = {
      DirectiveLocation::Query, DirectiveLocation::Mutation, DirectiveLocation::Subscription};
  walk_directives(op.directives, where[static_cast<size_t>(op.operation)]);
  const NamedType* root = op.operation == ast::OperationType::Query ? schema_.query_type()
                          : op.operation == ast::OperationType::Mutation
                              ? schema_.mutation_type()
                              : schema_.subscription_type();
  if (!root) {
    report(fmt::format("Schema is not configured to execute {} operation.",
                       ast::operation_type_name(op.operation)),
           {op.loc});
  }
  if (root && op.operation == ast::OperationType::Subscription) check_subscription_single_root(op);
  walk_selection_set(op.selection_set, root);
}

void Validation::walk_fragment(const ast::FragmentDefinition& f) {
  scope_ = &scopes_[&f];
  walk_directives(f.directives, DirectiveLocation::FragmentDefinition);
  const NamedType* t = schema_.type(f.type_condition);
  walk_selection_set(f.selection_set, t && t->is_composite() ? t : nullptr);
}

void Validation::walk_selection_set(const ast::SelectionSet& set, const NamedType* parent) {
  if (parent && !fragment_cycle_) check_field_merging(set, parent);
  for (const auto& sel : set.selections) {
    switch (sel.kind) {
      case ast::Selection::Kind::Field:
        walk_field(sel, parent);
        break;
      case ast::Selection::Kind::FragmentSpread:
        scope_->spreads.emplace_back(sel.name, sel.loc);
        walk_directives(sel.directives, DirectiveLocation::FragmentSpread);
        check_spread(sel, parent);
        break;
      case ast::Selection::Kind::InlineFragment: {
        const NamedType* t = parent;
        if (!sel.type_condition.empty()) {
          check_type_condition(sel.type_condition, sel.loc, true);
          t = schema_.type(sel.type_condition);
          if (t && !t->is_composite()) t = nullptr;
        }
        check_inline_fragment_possible(sel, parent);
        walk_directives(sel.directives, DirectiveLocation::InlineFragment);
        walk_selection_set(sel.selection_set, t);
        break;
      }
    }
  }
}

void Validation::walk_field(const ast::Selection& sel, const NamedType* parent) {
  const FieldDef* def = parent ? schema_.field(*parent, sel.name) : nullptr;
  if (parent) check_field_selection(sel, parent, def);
  walk_arguments(sel.arguments, def ? &def->arguments : nullptr,
                 fmt::format("field \"{}.{}\"", parent ? parent->name : "?", sel.name), sel.loc);
  walk_directives(sel.directives, DirectiveLocation::Field);
  if (def) check_leaf_selection(sel, *def);
  const NamedType* child = nullptr;
  if (def && def->type->base().is_composite()) child = &def->type->base();
  if (!sel.selection_set.empty()) walk_selection_set(sel.selection_set, child);
}

void Validation::walk_directives(const std::vector<ast::Directive>& directives,
                                 DirectiveLocation where) {
  check_directives(directives, where);
  for (const auto& d : directives) {
    const DirectiveDef* def = schema_.directive(d.name);
    walk_arguments(d.arguments, def ? &def->arguments : nullptr,
                   fmt::format("directive \"@{}\"", d.name), d.loc);
  }
}

void Validation::walk_arguments(const std::vector<ast::Argument>& args,
                                const std::vector<InputValue>* defs, const std::string& owner,
                                Location owner_loc) {
  check_arguments(args, defs, owner, owner_loc);
  for (const auto& a : args) {
    const InputValue* def = nullptr;
    if (defs) {
      for (const auto& d : *defs) {
        if (d.name == a.name) def = &d;
      }
    }
    walk_value(a.value, def ? def->type : nullptr, def && def->default_value.has_value());
  }
}

}  // namespace halo::graphql
