// Spec 5.1 (documents) and 5.2 (operations).
#include "api/graphql/validation_context.h"

#include <functional>

namespace halo::graphql {

// 5.1.1 Executable Definitions
void Validation::check_executable_definitions() {
  for (Location loc : doc_.type_system_locations) {
    report(
        "Type-system definitions are not executable; a request may hold only operations and "
        "fragments.",
        {loc});
  }
}

// 5.2.1.1 Operation Name Uniqueness; 5.2.2.1 Lone Anonymous Operation
void Validation::check_operation_names() {
  std::map<std::string_view, Location> seen;
  for (const auto& op : doc_.operations) {
    if (op.name.empty()) {
      if (doc_.operations.size() > 1) {
        report("This anonymous operation must be the only defined operation.", {op.loc});
      }
      continue;
    }
    auto [it, fresh] = seen.emplace(op.name, op.loc);
    if (!fresh) {
      report(fmt::format("There can be only one operation named \"{}\".", op.name),
             {it->second, op.loc});
    }
  }
}

// 5.2.3.1 Single root field
void Validation::check_subscription_single_root(const ast::OperationDefinition& op) {
  std::vector<std::string_view> keys;
  std::vector<const ast::Selection*> introspection;
  std::set<std::string_view> visited;
  std::function<void(const ast::SelectionSet&)> collect = [&](const ast::SelectionSet& set) {
    for (const auto& sel : set.selections) {
      if (sel.kind == ast::Selection::Kind::Field) {
        if (std::find(keys.begin(), keys.end(), sel.response_key()) == keys.end()) {
          keys.push_back(sel.response_key());
        }
        if (sel.name.substr(0, 2) == "__") introspection.push_back(&sel);
      } else if (sel.kind == ast::Selection::Kind::InlineFragment) {
        collect(sel.selection_set);
      } else if (visited.insert(sel.name).second) {
        auto it = fragments_.find(sel.name);
        if (it != fragments_.end()) collect(it->second->selection_set);
      }
    }
  };
  collect(op.selection_set);
  std::string name =
      op.name.empty() ? "Anonymous Subscription" : fmt::format("Subscription \"{}\"", op.name);
  if (keys.size() > 1) {
    report(fmt::format("{} must select only one top level field.", name), {op.loc});
  }
  for (const auto* sel : introspection) {
    report(fmt::format("{} must not select an introspection top level field.", name), {sel->loc});
  }
}

}  // namespace halo::graphql
