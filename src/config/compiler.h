// Compiles .circleci/config.yml text into a Plan. The same compiler serves the server,
// `halo config validate/process` and local execution. Every error found is reported,
// each with its YAML position and the path of the key.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "config/plan.h"

namespace halo::config {

struct ConfigError {
  std::string path;  // e.g. "jobs.build.steps[2].run"; empty for the whole document
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
  std::string message;
  std::string to_string() const;  // "jobs.build.steps[2].run (line 12, column 9): message"
};

struct CompileInput {
  std::string source;  // the YAML text
  // Pipeline values by full name without "pipeline.": {"id": "...", "number": 3,
  // "git.branch": "main", "git.revision": "...", "project.git_url": "...", ...}.
  json pipeline_values = json::object();
  // Pipeline parameters passed at trigger time: name -> string|bool|integer.
  json parameters = json::object();
  // The local orb directory: registry orbs `ns/name@version` are read from the copy of that
  // version there (<orb_dir>/ns/name@version.yml or <orb_dir>/ns/name@version/src, see
  // orb_directory.h). Empty: none can be resolved.
  std::string orb_dir;
};

struct CompileResult {
  std::optional<Plan> plan;  // set when errors is empty
  std::vector<ConfigError> errors;
  // Accepted with a note (deprecated keys CircleCI ignores); `process` and `validate` print
  // them, and they never make a config invalid.
  std::vector<ConfigError> warnings;
  std::string compiled_yaml;  // the processed config (as `circleci config process` prints)
  bool ok() const { return errors.empty(); }
};

CompileResult compile(const CompileInput& input);

}  // namespace halo::config
