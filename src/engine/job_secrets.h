// What a job may know beyond its config: project variables, the variables of the contexts
// its workflow names (after checking their restrictions), and the checkout key. Decrypted
// only here, when the job is dispatched, and handed to the runner in its payload.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "store/store.h"

namespace halo::engine {

struct JobSecrets {
  // Project variables, then context variables over them (the precedence CircleCI documents).
  std::map<std::string, std::string> environment;
  std::vector<std::string> values;  // every secret value, for masking
  std::string ssh_private_key;
  // When set, the job must not run: its final status ("unauthorized" or "failed") and why.
  std::string denied_status;
  std::string message;
};

JobSecrets resolve_job_secrets(store::Store& store, const std::string& master_key,
                               const store::Project& project, const store::Pipeline& pipeline,
                               const store::Job& job);

}  // namespace halo::engine
