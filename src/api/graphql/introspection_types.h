// The SDL of the built-in definitions every schema holds: the spec's scalars' directives and
// the introspection types of spec section 4.2 (with graphql-js 16's additions: deprecated
// arguments and input fields, so its introspection query works with every option).
#pragma once
#include <string_view>

namespace halo::graphql {

std::string_view built_in_directives_sdl();
std::string_view introspection_types_sdl();

}  // namespace halo::graphql
