// What a job may know beyond its config: project variables, the variables of the contexts
// its workflow names (after checking their restrictions), and the checkout key. Decrypted
// only here, when the job is dispatched, and handed to the runner in its payload.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "protocol/job_payload.h"
#include "store/store.h"

namespace halo::engine {

struct JobSecrets {
  // Project variables, then context variables over them (the precedence CircleCI documents).
  std::map<std::string, std::string> environment;
  std::vector<std::string> values;  // every secret value, for masking
  std::string ssh_private_key;
  // Every additional and checkout key of the project, opened (for add_ssh_keys).
  std::vector<protocol::SshKeyRef> ssh_keys;
  // When set, the job must not run: its final status ("unauthorized" or "failed") and why.
  std::string denied_status;
  std::string message;
};

// `with_ssh_keys`: also open every SSH key of the project (the job has add_ssh_keys).
JobSecrets resolve_job_secrets(store::Store& store, const std::string& master_key,
                               const store::Project& project, const store::Pipeline& pipeline,
                               const store::Job& job, bool with_ssh_keys = false);

}  // namespace halo::engine
