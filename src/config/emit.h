// Writes a compiled plan out as a processed config.yml (version, jobs, workflows) that
// compiles, with the same pipeline values, to the same Plan.
#pragma once
#include <string>
#include <vector>

#include "config/plan.h"
#include "config/workflows.h"

namespace halo::config {

// Job definitions are keyed by their name; when invocations with different arguments
// produced different jobs, the later variants are keyed by the invocation's name instead.
std::string emit_compiled_yaml(const Plan& plan, const std::vector<CompiledWorkflow>& workflows);

}  // namespace halo::config
