// `environment:` blocks of jobs, executors and run steps: a map, or a list of KEY=VALUE
// strings or maps, turned into name -> string with values as written.
#pragma once
#include <map>
#include <string>

#include "config/substitution.h"
#include "config/yaml_source.h"

namespace halo::config {

// Adds the variables of `at` to `out` (later ones win).
void read_environment(const At& at, const Scope& scope, Diagnostics& diag,
                      std::map<std::string, std::string>& out);

}  // namespace halo::config
