// The compiled form of a .circleci/config.yml: what the engine schedules and the runner
// executes. A Plan is self-contained (parameters substituted, commands expanded), so a
// job can be run from its Job value alone. Plans round-trip through JSON for storage.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace halo::config {

struct Step {
  // Run and Checkout are executed by the runner; the others are CircleCI's built-in steps,
  // whose validated keys are kept in `params` (see step_kind_name for their config names).
  enum class Kind {
    Run,
    Checkout,
    SaveCache,           // params: {key, paths[]}; `when` below
    RestoreCache,        // params: {keys[]} (`key` first when both were given)
    StoreArtifacts,      // params: {path, destination?}
    StoreTestResults,    // params: {path}
    PersistToWorkspace,  // params: {root, paths[]}
    AttachWorkspace,     // params: {at}
    AddSshKeys,          // params: {fingerprints[]?}
    SetupRemoteDocker,   // params: {version?, docker_layer_caching?}
    // No params: the executor's code_signing names the bundles.
    InstallSigningBundle,
  };
  Kind kind = Kind::Run;
  std::string name;                                // display name; for run, defaults to command
  std::string command;                             // run only
  std::map<std::string, std::string> environment;  // step environment (run only)
  std::string shell;                               // empty: the job's shell
  std::string working_directory;                   // empty: the job's; relative to it otherwise
  std::string when = "on_success";                 // on_success | on_fail | always
  int64_t no_output_timeout_ms = 10 * 60 * 1000;   // "10m" by default
  bool background = false;
  std::string path = ".";   // checkout only: where to check out, relative to working_directory
  std::string method;       // checkout only: "" (default, blobless) | blobless | full
  int max_auto_reruns = 0;  // run only: 0 = no automatic reruns (1-5 otherwise)
  int64_t auto_rerun_delay_ms = 0;  // run only: delay between automatic reruns
  json params = json::object();     // the built-in steps' keys, by kind (see Kind)

  bool operator==(const Step&) const = default;
};

// Registry credentials of one docker image. Values are kept as written: `$VAR` references
// (the documented way to pass secrets) are expanded by the runner from the job's project
// and context variables, not by the compiler.
struct RegistryAuth {  // auth: docker login credentials
  std::string username;
  std::string password;

  bool operator==(const RegistryAuth&) const = default;
};

struct AwsAuth {  // aws_auth: ECR; either the key pair or oidc_role_arn
  std::string aws_access_key_id;
  std::string aws_secret_access_key;
  std::string oidc_role_arn;

  bool operator==(const AwsAuth&) const = default;
};

struct GcpAuth {  // gcp_auth: Artifact Registry through OIDC workload identity federation
  std::string oidc_service_account;
  std::string workload_identity_pool;  // projects/<n>/locations/global/workloadIdentityPools/<id>
  std::string workload_identity_provider;

  bool operator==(const GcpAuth&) const = default;
};

// One image of a docker executor, with its options (parameters substituted). The first of a
// job's containers is the primary, where the steps run; the others are service containers,
// reachable on localhost or by `name`.
struct ContainerSpec {
  std::string image;
  std::string name;  // hostname of a service container; empty: localhost only
  // Argument vectors; empty when not given (the image's own ENTRYPOINT/CMD apply, except in
  // the primary container, where CircleCI ignores them unless one of the two is set). A
  // string in the config is split into words as a POSIX shell would, with quotes and
  // backslashes but no expansion; a list is taken item by item.
  std::vector<std::string> entrypoint;
  std::vector<std::string> command;
  std::string user;
  // The container's own variables. The primary's also reach the steps (Job::environment),
  // as they always have here, though CircleCI documents them for the entrypoint only.
  std::map<std::string, std::string> environment;
  std::optional<RegistryAuth> auth;
  std::optional<AwsAuth> aws_auth;
  std::optional<GcpAuth> gcp_auth;
  std::vector<std::string> ports;     // as written ("9092:9092"); undocumented, accepted
  bool docker_layer_caching = false;  // undocumented on images, accepted

  bool operator==(const ContainerSpec&) const = default;
};

struct Job {
  std::string name;            // the job's definition name (jobs.<name>)
  std::string type = "build";  // build | approval | no-op
  std::string executor_type;   // docker | machine | macos | windows | "" (approval/no-op)
  std::string image;           // first docker image, machine image or xcode version
  std::vector<ContainerSpec> containers;  // docker: every image, primary first
  bool docker_layer_caching = false;      // machine: docker_layer_caching
  std::vector<std::string> code_signing;  // macos/machine: bundles for install_signing_bundle
  std::string resource_class = "medium";
  std::string working_directory = "~/project";
  std::string shell;  // empty: "/bin/bash -eo pipefail" (or sh when bash is missing)
  std::map<std::string, std::string> environment;
  int parallelism = 1;
  std::vector<Step> steps;
  std::string retention_caches;  // retention.caches ("15d"); empty: the default

  bool operator==(const Job&) const = default;
};

// A dependency of a workflow job on another, by the other's workflow-local name.
struct Requirement {
  std::string job;
  std::vector<std::string> statuses{"success"};  // success|failed|canceled|unauthorized|not_run

  bool operator==(const Requirement&) const = default;
};

struct WorkflowJob {
  std::string name;  // unique in the workflow (alias or job name, with -1/-2 suffixes)
  Job job;           // the job definition with invocation parameters applied
  std::vector<Requirement> requirements;
  std::vector<std::string> contexts;
  std::string serial_group;  // empty: none

  bool operator==(const WorkflowJob&) const = default;
};

// A legacy `triggers: [schedule: {cron, filters}]` entry, kept for the scheduler.
struct ScheduleTrigger {
  std::string cron;
  std::optional<std::vector<std::string>> branches_only;
  std::optional<std::vector<std::string>> branches_ignore;

  bool operator==(const ScheduleTrigger&) const = default;
};

struct Workflow {
  std::string name;
  std::vector<WorkflowJob> jobs;  // in config order
  std::vector<ScheduleTrigger> triggers;
  int max_auto_reruns = 0;  // 0: no automatic reruns

  bool operator==(const Workflow&) const = default;
};

struct Plan {
  std::string version;  // "2", "2.0" or "2.1"
  bool setup = false;
  std::vector<Workflow> workflows;

  bool operator==(const Plan&) const = default;
};

// The config key of a step kind ("save_cache"), and back (nullopt when unknown).
std::string step_kind_name(Step::Kind k);
std::optional<Step::Kind> step_kind_from_name(std::string_view name);

json to_json(const ContainerSpec& c);
json to_json(const Step& s);
json to_json(const Job& j);
json to_json(const Plan& p);
json to_json(const Requirement& r);
json to_json(const WorkflowJob& wj);
json to_json(const Workflow& w);
ContainerSpec container_from_json(const json& j);
Step step_from_json(const json& j);
Job job_from_json(const json& j);
Plan plan_from_json(const json& j);
Requirement requirement_from_json(const json& j);
WorkflowJob workflow_job_from_json(const json& j);
Workflow workflow_from_json(const json& j);

}  // namespace halo::config
