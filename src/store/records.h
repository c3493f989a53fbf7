// The rows halo keeps, as plain values shared by every Store implementation.
// Times are epoch milliseconds; 0 means "not yet".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"

namespace halo::store {

struct User {
  std::string id;
  std::string login;
  std::string name;
  bool is_admin = false;
  int64_t created_at = 0;
};

struct Org {
  std::string id;
  std::string vcs_type;  // "github", "bitbucket" or "circleci"
  std::string name;
  int64_t created_at = 0;
};

struct Project {
  std::string id;
  std::string org_id;
  std::string slug;  // canonical short form: "gh/acme/app"
  std::string org_name;
  std::string name;
  std::string vcs_url;
  std::string default_branch;
  int64_t created_at = 0;
};

// Never updated after its creating transaction (the API caches its rendering; whatever
// changes a pipeline later, such as setup workflows, must invalidate that cache).
struct Pipeline {
  std::string id;
  std::string project_id;
  std::string project_slug;
  int64_t number = 0;
  int64_t seq = 0;    // store-wide creation order, for pagination
  std::string state;  // created | errored | setup-pending | setup | pending
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::string trigger_type;  // api | explicit | webhook | scheduled_pipeline
  std::string actor_id;
  std::string branch;
  std::string tag;
  std::string revision;
  std::string commit_subject;
  std::string commit_body;
  json errors = json::array();       // [{type, message}]
  json parameters = json::object();  // trigger-time pipeline parameters
  json values = json::object();      // pipeline values ("pipeline.number" -> ...)
  std::string config_source;         // written at creation; see Store::pipeline_config
  std::string config_compiled;
  // Read-only, joined in for rendering without further queries.
  std::string org_id;
  std::string vcs_url;
  std::string actor_login;
};

struct Workflow {
  std::string id;
  std::string pipeline_id;
  std::string project_id;
  std::string name;
  std::string status;
  bool canceled = false;
  int64_t created_at = 0;
  int64_t stopped_at = 0;
  std::string started_by;
  std::string canceled_by;
  int position = 0;
  std::string rerun_of;  // the workflow this one reruns; empty for a workflow of the trigger
};

struct Job {
  std::string id;
  std::string workflow_id;
  std::string pipeline_id;
  std::string project_id;
  std::string name;  // workflow-local name
  std::string type;  // build | approval | no-op
  std::string status;
  int64_t number = 0;  // per project; 0 until the job is queued (see origin_job_id)
  int position = 0;
  json requirements = json::array();  // [{job, statuses[]}]
  json spec = json::object();         // the compiled config::Job
  json contexts = json::array();
  int64_t created_at = 0;
  int64_t queued_at = 0;
  int64_t started_at = 0;
  int64_t stopped_at = 0;
  std::string canceled_by;  // set on a running job, it is a cancel the runner must act on
  std::string message;      // why the job ended as it did, when that is not obvious
  std::string approved_by;  // the user who approved an approval job
  // Set on a job a rerun workflow did not run again: it stands for the job that really ran
  // (whose status, times and number it carries) and is never queued.
  std::string origin_job_id;
  // Jobs of a project with the same serial group run one at a time, in pipeline order.
  std::string serial_group;
  // The runner lease of a running job (see protocol/runner_protocol.h); lease_count is the
  // number of claims so far, kept after the job ends.
  std::string lease_id;
  std::string lease_holder;
  int64_t lease_expires_at = 0;
  int lease_count = 0;
};

struct Step {
  std::string job_id;
  int index = 0;
  std::string name;
  std::string status;  // running | success | failed | canceled | timedout | skipped
  int exit_code = 0;
  bool has_exit_code = false;
  int64_t started_at = 0;
  int64_t ended_at = 0;
  int node_index = 0;  // which parallel run of the job (0 when parallelism is 1)
};

// A saved cache: immutable once written, per project. `blob` names its file in BlobFiles.
struct CacheEntry {
  std::string project_id;
  std::string key;
  std::string blob;
  int64_t size = 0;
  int64_t created_at = 0;
  int64_t last_used_at = 0;  // saved or restored; least recently used goes first
};

// One persist_to_workspace of a job: a layer that jobs downstream in its workflow attach.
struct WorkspaceLayer {
  std::string id;
  std::string workflow_id;
  std::string job_id;
  std::string blob;
  int64_t size = 0;
  int64_t created_at = 0;
};

// A file a job stored with store_artifacts, under `path` (the destination path).
struct Artifact {
  std::string job_id;
  int node_index = 0;
  std::string path;
  std::string blob;
  int64_t size = 0;
  int64_t created_at = 0;
};

// One test case a job reported through store_test_results (CircleCI's TestsResponse item).
struct TestResult {
  std::string job_id;
  std::string project_id;  // kept for per-project queries (insights)
  int node_index = 0;
  std::string name;
  std::string classname;
  std::string file;
  std::string result;  // success | failure | skipped | error (as written by the tool)
  std::string message;
  std::string source;
  double run_time = 0;  // seconds
};

// Which pipelines a listing wants. Empty strings mean "any".
struct PipelineFilter {
  std::string project_id;
  std::vector<std::string> org_ids;  // restrict to these orgs (empty: no restriction)
  std::string branch;
  std::string actor_id;
};

struct Token {
  std::string id;
  std::string user_id;
  std::string label;
  int64_t created_at = 0;
};

struct Member {
  User user;
  std::string role;  // admin | member | viewer
};

struct Context {
  std::string id;
  std::string org_id;
  std::string name;
  int64_t created_at = 0;
};

// A secret-bearing variable: the value is only ever held sealed (AES-256-GCM) in the store.
struct EnvVar {
  std::string name;
  std::string sealed;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct ContextRestriction {
  std::string id;
  std::string context_id;
  std::string type;   // project | expression | group
  std::string value;  // project id, or the expression
  std::string name;   // human-readable (project slug for project restrictions)
  int64_t created_at = 0;
};

struct CheckoutKey {
  std::string project_id;
  std::string fingerprint;
  std::string type;  // deploy-key | user-key
  std::string public_key;
  std::string private_sealed;
  bool preferred = false;
  int64_t created_at = 0;
};

// An additional SSH key of a project (add_ssh_keys), for one host ("" for any host).
struct SshKey {
  std::string project_id;
  std::string fingerprint;  // MD5 colon-hex
  std::string hostname;
  std::string public_key;
  std::string private_sealed;
  int64_t created_at = 0;
};

struct Webhook {
  std::string id;
  std::string project_id;
  std::string name;
  std::string url;
  bool verify_tls = true;
  std::string secret_sealed;  // empty: no signing secret
  json events = json::array();
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct OrgSettings {
  std::string org_id;
  std::string cirrus_url;  // empty: no Cirrus-style hook
  std::string cirrus_secret_sealed;
};

// An event waiting for (or done with) delivery. Written in the same transaction as the
// state change that caused it.
struct OutboxEvent {
  int64_t seq = 0;
  std::string id;    // the payload's id; stays the same across retries
  std::string kind;  // "circleci" (target: webhook id) or "cirrus" (target: org id)
  std::string target_id;
  std::string event_type;  // workflow-completed, job-completed, build, task, audit_event
  std::string body;        // the exact bytes to POST
  int64_t created_at = 0;
  int64_t next_attempt_at = 0;
  int attempts = 0;
  std::string status = "pending";  // pending | delivered | failed
  std::string last_error;
};

struct Delivery {
  int64_t event_seq = 0;
  int64_t attempted_at = 0;
  int status_code = 0;  // 0: no HTTP answer
  std::string error;
  int64_t duration_ms = 0;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<int64_t> next_seq;  // pass back as `before_seq` for the next page
};

}  // namespace halo::store
