// Workflows: job invocations (names, arguments, requires, contexts, filters, matrices,
// pre- and post-steps), job groups and when/unless, compiled into Plan workflows with
// filtered-out jobs removed.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/elements.h"
#include "config/filters.h"
#include "config/jobs.h"
#include "config/plan.h"
#include "config/substitution.h"
#include "config/yaml_source.h"

namespace halo::config {

// A workflow as it goes into the Plan, with each job's filters kept for the compiled YAML.
struct CompiledWorkflow {
  Workflow workflow;
  std::vector<std::optional<Filters>> filters;  // parallel to workflow.jobs
};

struct WorkflowsInput {
  const Elements* elements = nullptr;  // the config's own elements and its orbs
  const PipelineScope* pipeline = nullptr;
  const At* job_groups = nullptr;  // `job-groups:`, when the config has it
};

// Compiles `workflows:` (null `at`: the implicit workflow that runs a job named build).
// Workflows whose when/unless say no, and workflows left with no jobs, are not returned.
// Job groups used in a workflow are expanded in place into their jobs; groups no workflow
// uses are checked all the same.
// `invoked` receives the names of the job definitions that some workflow invokes.
std::vector<CompiledWorkflow> compile_workflows(const At* at, const WorkflowsInput& in,
                                                Diagnostics& diag, std::set<std::string>& invoked);

// The name of the implicit workflow of configs without workflows.
inline constexpr const char* kImplicitWorkflow = "workflow";

}  // namespace halo::config
