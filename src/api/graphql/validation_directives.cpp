// Spec 5.7: directives are defined, in valid locations, and unique per location.
#include "api/graphql/validation_context.h"

namespace halo::graphql {

void Validation::check_directives(const std::vector<ast::Directive>& directives,
                                  DirectiveLocation where) {
  std::map<std::string_view, Location> seen;
  for (const ast::Directive& d : directives) {
    const DirectiveDef* def = schema_.directive(d.name);
    // 5.7.1 Directives Are Defined
    if (!def) {
      report(fmt::format("Unknown directive \"@{}\".", d.name), {d.loc});
      continue;
    }
    // 5.7.2 Directives Are In Valid Locations
    if (!def->allowed_at(where)) {
      report(fmt::format("Directive \"@{}\" may not be used on {}.", d.name,
                         directive_location_name(where)),
             {d.loc});
    }
    // 5.7.3 Directives Are Unique Per Location
    if (def->repeatable) continue;
    auto [it, fresh] = seen.emplace(d.name, d.loc);
    if (!fresh) {
      report(fmt::format("The directive \"@{}\" can only be used once at this location.", d.name),
             {it->second, d.loc});
    }
  }
}

}  // namespace halo::graphql
