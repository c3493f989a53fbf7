// Spec 5.4: argument names, uniqueness and required arguments (fields and directives).
#include "api/graphql/validation_context.h"

namespace halo::graphql {

void Validation::check_arguments(const std::vector<ast::Argument>& args,
                                 const std::vector<InputValue>* defs, const std::string& owner,
                                 Location owner_loc) {
  // 5.4.2 Argument Uniqueness
  std::map<std::string_view, Location> seen;
  for (const auto& a : args) {
    auto [it, fresh] = seen.emplace(a.name, a.loc);
    if (!fresh) {
      report(fmt::format("There can be only one argument named \"{}\".", a.name),
             {it->second, a.loc});
    }
  }
  if (!defs) return;
  // 5.4.1 Argument Names
  for (const auto& a : args) {
    bool known = false;
    for (const auto& d : *defs) known = known || d.name == a.name;
    if (!known) report(fmt::format("Unknown argument \"{}\" on {}.", a.name, owner), {a.loc});
  }
  // 5.4.2.1 Required Arguments
  for (const auto& d : *defs) {
    if (!d.type->non_null() || d.default_value) continue;
    bool given = false;
    for (const auto& a : args) given = given || a.name == d.name;
    if (!given) {
      report(fmt::format("Argument \"{}\" of type \"{}\" is required on {}, but it was not "
                         "provided.",
                         d.name, d.type->to_string(), owner),
             {owner_loc});
    }
  }
}

}  // namespace halo::graphql
