// What a runner receives for one job and what it reports back: the self-contained payload
// (compiled steps, environment with secrets, checkout information) and the step and job
// outcomes. Shared by the server (which builds payloads) and every runner (embedded, remote
// agent, local execute), so it holds nothing runner-local: where the job's files go on the
// runner's host is the runner's business.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "config/plan.h"

namespace halo::protocol {

// One test case of store_test_results, as the API reports it (CircleCI's TestsResponse).
struct TestCase {
  std::string name;
  std::string classname;
  std::string file;
  std::string result;  // success | failure | skipped | error ...
  std::string message;
  std::string source;
  double run_time = 0;  // seconds
};

// An SSH key add_ssh_keys may install: the project's additional keys (for `hostname`, ""
// for any host) and its checkout keys (installed only when a step names them).
struct SshKeyRef {
  std::string fingerprint_md5;
  std::string fingerprint_sha256;
  std::string hostname;
  std::string private_pem;
  bool checkout_key = false;
};

struct WorkspaceLayerRef {
  std::string id;
  std::string job_name;  // the workflow job that persisted it
  uint64_t size = 0;
};

struct JobPayload {
  std::string job_id;
  config::Job job;
  // Built-in and project environment, already merged by the server (job and step
  // environment from `job` are applied on top by the executor).
  std::map<std::string, std::string> environment;
  std::string checkout_url;  // git URL or local path the `checkout` step clones
  std::string checkout_sha;  // commit to check out
  std::string checkout_ref;  // branch or tag name, for the local branch
  // Secret values (project and context variables) to mask as "********" in the output.
  std::vector<std::string> secrets;
  // PEM private key for ssh checkouts (the project's preferred checkout key); may be empty.
  std::string ssh_private_key;
  // The workspace layers attach_workspace applies, in order (later layers win): those of
  // every job upstream of this one in its workflow, in dependency order.
  std::vector<WorkspaceLayerRef> workspace_layers;
  // Results of the latest earlier run of this job that stored some (the default branch's
  // first), for `circleci tests split --split-by=timings`; only file, classname, name and
  // run_time are set. Empty when the job never splits by timings.
  std::vector<TestCase> test_timings;
  // For add_ssh_keys steps; empty when the job has none.
  std::vector<SshKeyRef> ssh_keys;
};

enum class StepStatus { Success, Failed, Canceled, TimedOut, Skipped };
enum class JobOutcome { Success, Failed, Canceled, TimedOut, InfrastructureFail };

// "success", "failed", "canceled", "timedout", "skipped"
const char* to_string(StepStatus s);
// "success", "failed", "canceled", "timedout", "infrastructure_fail" (the job statuses)
const char* to_string(JobOutcome o);

struct StepResult {
  StepStatus status = StepStatus::Success;
  int exit_code = 0;  // -1 when the process did not exit normally
  int64_t started_ms = 0;
  int64_t ended_ms = 0;
};

}  // namespace halo::protocol
