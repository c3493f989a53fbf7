// CircleCI's built-in environment variables for one job, from the stored pipeline,
// workflow, job and project. Job and step `environment` are applied later by the executor.
#pragma once
#include <map>
#include <string>

#include "store/records.h"

namespace halo::engine {

// `workspace_id` is CIRCLE_WORKFLOW_WORKSPACE_ID: the job's workflow, or for a rerun the
// workflow first run (see engine/reruns.h).
std::map<std::string, std::string> builtin_environment(
    const store::Project& project, const store::Pipeline& pipeline, const store::Job& job,
    const std::string& workspace_id, const std::string& actor_login, const std::string& base_url);

}  // namespace halo::engine
