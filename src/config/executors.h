// Executors: the `executors:` definitions and the executor part of a job (docker, machine,
// macos, or a named executor), resolved into the settings a Job records.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/parameters.h"
#include "config/plan.h"
#include "config/substitution.h"
#include "config/yaml_source.h"

namespace halo::config {

struct ExecutorDef {
  std::string name;
  At at;  // the definition's map
  ParamDecls params;
  const Elements* home = nullptr;  // where the definition resolves names
};
using ExecutorDefs = std::map<std::string, ExecutorDef>;

ExecutorDefs parse_executor_defs(const At& at, bool strict_names, const Elements* home,
                                 Diagnostics& diag);

// What an executor contributes to a job. Unset optionals leave the job's defaults.
struct ExecutorSettings {
  std::string type;   // docker | machine | macos
  std::string image;  // first docker image, machine image or xcode version
  std::optional<std::string> resource_class;
  std::optional<std::string> shell;
  std::optional<std::string> working_directory;
  std::map<std::string, std::string> environment;
  std::vector<std::string> code_signing;  // macos/machine: the signing bundles to install
  std::vector<ContainerSpec> containers;  // docker: every image, primary first
  bool docker_layer_caching = false;      // machine
};

// Reads the executor keys among `es` (a job's or an executor definition's entries):
// exactly one of docker/machine/macos, or (when `allow_named`) executor: name|{name,...},
// named executors being looked up in `scope.elements`. `owner` is the map itself, for
// errors about a missing or duplicate executor. Nullopt also when the executor belongs to
// an orb that could not be loaded (reported once, elsewhere).
std::optional<ExecutorSettings> resolve_executor(const std::vector<Entry>& es, const At& owner,
                                                 bool allow_named, const Scope& scope,
                                                 Diagnostics& diag);

// The executor type keys; a map with none of them needs no executor (approval jobs).
bool is_executor_key(std::string_view key);

}  // namespace halo::config
