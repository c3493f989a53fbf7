// Spec 5.4: argument names, uniqueness and required arguments (fields and directives).
#include "api/graphql/validation_context.h"

namespace halo::graphql {

void Validation::check_arguments(const std::vector<ast::Argument>& args,
                                 const std::vector<InputValue>* defs, const std::string& owner,
                                 Location owner_loc) {
  // 5.4.2 Argument Uniqueness
  for (size_t i = 0; i < args.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (args[j].name == args[i].name) {
        report(fmt::format("There can be only one argument named \"{}\".", args[i].name),
               {args[j].loc, args[i].loc});
        break;
      }
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
