// The walk shared by the validation rules: it visits every operation and fragment definition
// once, knowing at each node the parent type, field definition and expected input type (what
// graphql-js calls TypeInfo), and calls the rule checks of each spec subsection. Internal to
// the validator.
#pragma once
#include "api/graphql/ast.h"
#include "api/graphql/schema.h"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <vector>

namespace halo::graphql {

class FieldMerging;

class Validation {
 public:
  Validation(const Schema& schema, const ast::Document& document);
  std::vector<Error> run();

 private:
  struct VariableUsage {
    std::string_view name;
    Location loc;
    const TypeRef* type;  // the input type the position expects; null when unknown
    bool location_has_default;
  };
  // What an operation or fragment definition holds, for the rules that follow spreads.
  struct Scope {
    std::vector<VariableUsage> usages;
    std::vector<std::pair<std::string_view, Location>> spreads;
  };

  // --- the walk (validation_context.cpp) ---
  void run_rules();
  void walk_operation(const ast::OperationDefinition& op);
  void walk_fragment(const ast::FragmentDefinition& f);
  void walk_selection_set(const ast::SelectionSet& set, const NamedType* parent);
  void walk_field(const ast::Selection& field, const NamedType* parent);
  void walk_directives(const std::vector<ast::Directive>& directives, DirectiveLocation where);
  void walk_arguments(const std::vector<ast::Argument>& args, const std::vector<InputValue>* defs,
                      const std::string& owner, Location owner_loc);
  void walk_value(const ast::Value& value, const TypeRef* expected, bool location_has_default);
  const TypeRef* resolve_type(const ast::Type& type);
  void report(std::string message, std::vector<Location> locations);

  // --- 5.1 and 5.2 (validation_operations.cpp) ---
  void check_executable_definitions();
  void check_operation_names();
  void check_subscription_single_root(const ast::OperationDefinition& op);
  // --- 5.3 (validation_fields.cpp, field_merging.cpp) ---
  void check_field_selection(const ast::Selection& field, const NamedType* parent,
                             const FieldDef* def);
  void check_leaf_selection(const ast::Selection& field, const FieldDef& def);
  void check_field_merging(const ast::SelectionSet& set, const NamedType* parent);
  // --- 5.4 (validation_arguments.cpp) ---
  void check_arguments(const std::vector<ast::Argument>& args, const std::vector<InputValue>* defs,
                       const std::string& owner, Location owner_loc);
  // --- 5.5 (validation_fragments.cpp) ---
  void check_fragment_definitions();
  void check_type_condition(std::string_view name, Location loc, bool inline_fragment);
  void check_spread(const ast::Selection& spread, const NamedType* parent);
  void check_inline_fragment_possible(const ast::Selection& inline_fragment,
                                      const NamedType* parent);
  void check_fragments_used_and_acyclic();
  bool any_fragment_cycle() const;
  bool types_overlap(const NamedType& a, const NamedType& b) const;
  // --- 5.6 (validation_values.cpp): walk_value checks literals as it records variables ---
  // --- 5.7 (validation_directives.cpp) ---
  void check_directives(const std::vector<ast::Directive>& directives, DirectiveLocation where);
  // --- 5.8 (validation_variables.cpp) ---
  void check_variable_definitions(const ast::OperationDefinition& op);
  void check_variable_usages(const ast::OperationDefinition& op);
  const std::vector<const VariableUsage*>& transitive_usages(const void* definition);

  const Schema& schema_;
  const ast::Document& doc_;
  std::vector<Error> errors_;
  std::map<std::string_view, const ast::FragmentDefinition*> fragments_;
  std::map<const void*, Scope> scopes_;
  Scope* scope_ = nullptr;
  // Field merging expands fragments; with a cycle (itself an error) it would never end.
  bool fragment_cycle_ = false;
  TypeArena arena_;
  // Pairs of fields already reported as conflicting, so each conflict is reported once.
  std::set<std::pair<const void*, const void*>> reported_conflicts_;
  std::shared_ptr<FieldMerging> merging_;
  // The variable usages of a definition and of every fragment it reaches, one per distinct
  // (variable, expected type, default) so that many operations spreading one large fragment
  // cost no more than one. Null marks a definition being computed (a fragment cycle).
  std::map<const void*, std::unique_ptr<std::vector<const VariableUsage*>>> usages_memo_;
  size_t max_errors_ = 100;  // keeps each fragment's fields once collected
};

}  // namespace halo::graphql
