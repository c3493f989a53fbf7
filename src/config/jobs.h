// Job definitions (`jobs:`) and their compilation, with one invocation's arguments, into
// Plan jobs.
#pragma once
#include <map>
#include <string>

#include "config/executors.h"
#include "config/parameters.h"
#include "config/plan.h"
#include "config/substitution.h"
#include "config/yaml_source.h"

namespace halo::config {

struct JobDef {
  std::string name;
  At at;  // the definition's map
  ParamDecls params;
  const Elements* home = nullptr;  // where the definition resolves names
};
using JobDefs = std::map<std::string, JobDef>;

JobDefs parse_job_defs(const At& at, bool strict_names, const Elements* home, Diagnostics& diag);

// The job with `args` bound to its parameters and substituted everywhere in it.
// `where` is the invocation, for argument errors; `invoked_as` the name it was invoked by
// ("node/test"), for messages.
Job compile_job(const JobDef& def, const std::vector<Arg>& args, const At& where,
                const PipelineScope& pipeline, Diagnostics& diag,
                const std::string& invoked_as = {});

// A job with no parameters lacking defaults can be compiled without an invocation.
bool invocable_without_arguments(const JobDef& def);

// Parallelism above this is refused: each unit is a separate task for the engine.
inline constexpr int kMaxParallelism = 1000;

}  // namespace halo::config
