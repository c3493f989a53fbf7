// The persistence seam. Every durable fact goes through a Store; SQLite is the embedded
// implementation and PostgreSQL will be the distributed one. Methods that change several
// rows do it atomically. Lookups return nullopt for "not found" and throw only on I/O
// failure.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/records.h"

namespace halo::store {

// A workflow and its jobs, loaded for one atomic read-modify-write. Events the change
// appends to `outbox` are written in the same transaction.
struct WorkflowState {
  Workflow workflow;
  std::vector<Job> jobs;
  std::vector<OutboxEvent> outbox;
};

// What extending a lease found: the lease is current, and whether a cancel was requested.
struct LeaseCheck {
  bool cancel_requested = false;
};

// The contract is split by aggregate, so that code can name the part it uses and each part
// reads as one unit; `Store` is all of them, and every implementation provides it whole.

// Users and their API tokens. Tokens are stored as their SHA-256 only.
class UserStore {
 public:
  virtual ~UserStore() = default;
  virtual User create_user(const std::string& login, const std::string& name, bool is_admin) = 0;
  virtual std::optional<User> user_by_id(const std::string& id) = 0;
  virtual std::optional<User> user_by_login(const std::string& login) = 0;
  // Returns the new token's id (not the token).
  virtual std::string add_token(const std::string& user_id, const std::string& token_sha256,
                                const std::string& label) = 0;
  virtual std::vector<Token> tokens_of_user(const std::string& user_id) = 0;
  // False if no such token of that user.
  virtual bool revoke_token(const std::string& user_id, const std::string& token_id) = 0;
  virtual std::optional<User> user_by_token(const std::string& token_sha256) = 0;
  virtual int64_t count_users() = 0;
};

// Organizations, membership and projects with their settings, variables and checkout keys.
class ProjectStore {
 public:
  virtual ~ProjectStore() = default;
  virtual Org ensure_org(const std::string& vcs_type, const std::string& name,
                         bool* created = nullptr) = 0;
  virtual std::optional<Org> org_by_id(const std::string& id) = 0;
  virtual void add_member(const std::string& org_id, const std::string& user_id,
                          const std::string& role) = 0;
  virtual std::optional<std::string> member_role(const std::string& org_id,
                                                 const std::string& user_id) = 0;
  virtual std::vector<Org> orgs_of_user(const std::string& user_id) = 0;
  virtual std::vector<Org> all_orgs() = 0;
  virtual std::vector<Member> members_of_org(const std::string& org_id) = 0;
  // Fails (returns nullopt) if the slug is taken.
  virtual std::optional<Project> create_project(Project p) = 0;
  virtual std::optional<Project> project_by_slug(const std::string& slug) = 0;
  virtual std::optional<Project> project_by_id(const std::string& id) = 0;

  // Deletes the project with its pipelines, workflows, jobs, steps and settings. Log files
  // are the caller's to remove.
  virtual bool delete_project(const std::string& project_id) = 0;
  virtual json project_settings(const std::string& project_id) = 0;  // {} when never set
  virtual void set_project_settings(const std::string& project_id, const json& settings) = 0;

  // Project environment variables and checkout keys.
  virtual EnvVar put_project_env(const std::string& project_id, const std::string& name,
                                 const std::string& sealed) = 0;
  virtual std::vector<EnvVar> project_env(const std::string& project_id) = 0;
  virtual bool delete_project_env(const std::string& project_id, const std::string& name) = 0;
  virtual void add_checkout_key(const CheckoutKey& k) = 0;
  virtual std::vector<CheckoutKey> checkout_keys(const std::string& project_id) = 0;
  virtual bool delete_checkout_key(const std::string& project_id,
                                   const std::string& fingerprint) = 0;
  // Additional SSH keys: false when the project has that key for that host already.
  virtual bool add_ssh_key(const SshKey& k) = 0;
  virtual std::vector<SshKey> ssh_keys(const std::string& project_id) = 0;
  virtual bool delete_ssh_key(const std::string& project_id, const std::string& fingerprint,
                              const std::string& hostname) = 0;
};

// Contexts (an organization's shared variables), their variables and restrictions.
class ContextStore {
 public:
  virtual ~ContextStore() = default;
  virtual std::optional<Context> create_context(const std::string& org_id,
                                                const std::string& name) = 0;  // nullopt: taken
  virtual std::optional<Context> context_by_id(const std::string& id) = 0;
  virtual std::optional<Context> context_by_name(const std::string& org_id,
                                                 const std::string& name) = 0;
  virtual std::vector<Context> contexts_of_org(const std::string& org_id) = 0;
  virtual bool delete_context(const std::string& id) = 0;
  virtual EnvVar put_context_env(const std::string& context_id, const std::string& name,
                                 const std::string& sealed) = 0;
  virtual std::vector<EnvVar> context_env(const std::string& context_id) = 0;
  virtual bool delete_context_env(const std::string& context_id, const std::string& name) = 0;
  virtual void add_restriction(const ContextRestriction& r) = 0;
  virtual std::vector<ContextRestriction> restrictions(const std::string& context_id) = 0;
  virtual bool delete_restriction(const std::string& context_id, const std::string& id) = 0;
};

// Outbound webhooks, the organization's Cirrus hook settings, and the outbox of events with
// their delivery attempts.
class WebhookStore {
 public:
  virtual ~WebhookStore() = default;
  // False (and nothing written) when the project already has `max_per_project` webhooks.
  virtual bool create_webhook(const Webhook& w, int max_per_project) = 0;
  virtual void update_webhook(const Webhook& w) = 0;
  virtual std::optional<Webhook> webhook_by_id(const std::string& id) = 0;
  virtual std::vector<Webhook> webhooks_of_project(const std::string& project_id) = 0;
  virtual bool delete_webhook(const std::string& id) = 0;
  virtual OrgSettings org_settings(const std::string& org_id) = 0;
  virtual void set_org_settings(const OrgSettings& s) = 0;
  virtual void insert_events(const std::vector<OutboxEvent>& events) = 0;
  // Pending events whose next attempt is due, oldest first.
  virtual std::vector<OutboxEvent> due_events(int64_t now, int limit) = 0;
  // The earliest next_attempt_at of pending events, if any.
  virtual std::optional<int64_t> next_event_due() = 0;
  // Records one attempt; `status` is the event's new status (pending again, delivered, failed).
  virtual void record_delivery(const Delivery& d, const std::string& status,
                               int64_t next_attempt_at) = 0;
  virtual std::vector<Delivery> deliveries_of(int64_t event_seq) = 0;
  virtual std::vector<OutboxEvent> events_for_target(const std::string& target_id) = 0;
};

// Pipelines, their workflows and jobs (with the runner leases of running jobs), and the
// steps runners report.
class PipelineStore {
 public:
  virtual ~PipelineStore() = default;

  // Pipelines. A trigger first reserves the pipeline's number (it is a pipeline value the
  // config can use), then create_pipeline writes the pipeline, its workflows and its jobs in
  // one transaction and fills in seq and the numbers of jobs created queued or on hold (see
  // update_workflow). `outbox` events (the pipeline's "created" webhooks) are written in the
  // same transaction.
  virtual int64_t reserve_pipeline_number(const std::string& project_id) = 0;
  virtual void create_pipeline(Pipeline& p, std::vector<Workflow>& workflows,
                               std::vector<Job>& jobs,
                               const std::vector<OutboxEvent>& outbox = {}) = 0;
  // Reads leave config_source and config_compiled empty (they are large and rarely wanted);
  // pipeline_config returns them: {source, compiled}.
  virtual std::optional<Pipeline> pipeline_by_id(const std::string& id) = 0;
  virtual std::optional<std::pair<std::string, std::string>> pipeline_config(
      const std::string& id) = 0;
  virtual std::optional<Pipeline> pipeline_by_number(const std::string& project_id,
                                                     int64_t number) = 0;
  // Newest first; `before_seq` continues a listing (keyset pagination, stable under inserts).
  virtual Page<Pipeline> list_pipelines(const PipelineFilter& f, std::optional<int64_t> before_seq,
                                        int limit) = 0;

  // Workflows and jobs.
  virtual std::optional<Workflow> workflow_by_id(const std::string& id) = 0;
  virtual std::vector<Workflow> workflows_of_pipeline(const std::string& pipeline_id) = 0;
  virtual std::optional<Job> job_by_id(const std::string& id) = 0;
  // The job that ran under that number (never a rerun's carried-over copy of it).
  virtual std::optional<Job> job_by_number(const std::string& project_id, int64_t number) = 0;
  virtual std::vector<Job> jobs_of_workflow(const std::string& workflow_id) = 0;
  virtual std::vector<Job> jobs_with_status(const std::string& status) = 0;
  // Workflows not yet in a final status, of the project's pipelines on `branch` (any when empty).
  virtual std::vector<Workflow> unfinished_workflows(const std::string& project_id,
                                                     const std::string& branch) = 0;
  // The queued and running jobs of a project's serial group, each with its pipeline's number.
  virtual std::vector<std::pair<Job, int64_t>> active_jobs_of_serial_group(
      const std::string& project_id, const std::string& group) = 0;
  virtual std::vector<std::string> job_ids_of_project(const std::string& project_id) = 0;

  // Atomically loads a workflow with its jobs, lets `change` modify them, and writes back
  // the workflow and every job that changed. Jobs without a number get the project's next
  // job number when they need one: build jobs once queued or running, approval jobs once on
  // hold (no-op jobs never). Returns the state as written, or nullopt if unknown.
  virtual std::optional<WorkflowState> update_workflow(
      const std::string& workflow_id, const std::function<void(WorkflowState&)>& change) = 0;

  // Writes a new workflow of an existing pipeline (a rerun) with its jobs and `st.outbox`, in
  // one transaction; its jobs get numbers as in update_workflow (written back into
  // `st.jobs`). Throws, writing nothing, if the pipeline is unknown.
  virtual void create_workflow(WorkflowState& st) = 0;

  // queued -> running for a runner; false if the job was no longer queued.
  virtual bool claim_job(const std::string& job_id, int64_t now) = 0;

  // Moves a running job's lease expiry to `expires_at` (never backwards). nullopt when
  // `lease_id` is not the job's current lease or the job is no longer running.
  virtual std::optional<LeaseCheck> extend_lease(const std::string& job_id,
                                                 const std::string& lease_id,
                                                 int64_t expires_at) = 0;

  // Steps of a job, as the runner reports them: one row per step and node (parallel run),
  // listed by step, then node.
  virtual void upsert_step(const Step& s) = 0;
  virtual std::vector<Step> steps_of_job(const std::string& job_id) = 0;
  // Forgets a job's steps (before a re-queued job runs again).
  virtual void delete_steps(const std::string& job_id) = 0;
  // Steps still "running" of jobs that are not (after a crash): marks them with `status`.
  virtual void close_running_steps(const std::string& job_id, const std::string& status,
                                   int64_t now) = 0;
};

// Project caches and workflow workspaces: blobs carried from one job to another. The blobs
// themselves are files (BlobFiles); these are their records.
class CacheStore {
 public:
  virtual ~CacheStore() = default;
  // The entry with exactly `key`, or with `prefix` set the most recently created entry whose
  // key starts with `key`.
  virtual std::optional<CacheEntry> find_cache(const std::string& project_id,
                                               const std::string& key, bool prefix) = 0;
  // False (and nothing changed) when the key exists already: keys are immutable.
  virtual bool insert_cache(const CacheEntry& e) = 0;
  virtual void touch_cache(const std::string& project_id, const std::string& key, int64_t now) = 0;
  // Entries to remove so that none is older than `created_before` and the total size is at
  // most `max_total_bytes`, least recently used first.
  virtual std::vector<CacheEntry> caches_to_evict(int64_t created_before,
                                                  int64_t max_total_bytes) = 0;
  virtual std::vector<CacheEntry> caches_of_project(const std::string& project_id) = 0;
  virtual bool delete_cache(const std::string& project_id, const std::string& key) = 0;

  virtual void insert_workspace_layer(const WorkspaceLayer& l) = 0;
  // The layers of these jobs, in the order of `job_ids`, then of creation.
  virtual std::vector<WorkspaceLayer> workspace_layers_of_jobs(
      const std::vector<std::string>& job_ids) = 0;
  virtual std::optional<WorkspaceLayer> workspace_layer_by_id(const std::string& id) = 0;
};

// What jobs produce besides logs: artifacts and test results.
class JobOutputStore {
 public:
  virtual ~JobOutputStore() = default;
  // Replaces an artifact of the same job, node and path (a later store_artifacts wins).
  // Returns the blob it replaced, if any, so its file can go.
  virtual std::optional<std::string> put_artifact(const Artifact& a) = 0;
  virtual std::vector<Artifact> artifacts_of_job(const std::string& job_id) = 0;
  virtual std::optional<Artifact> artifact(const std::string& job_id, int node_index,
                                           const std::string& path) = 0;
  virtual void insert_test_results(const std::vector<TestResult>& results) = 0;
  // A page of a job's results in the order they were reported; `after` is the last seq seen.
  virtual std::vector<std::pair<int64_t, TestResult>> test_results_of_job(const std::string& job_id,
                                                                          int64_t after,
                                                                          int limit) = 0;
  // The results of the most recent job named `job_name` in the project that stored any,
  // preferring jobs of pipelines on `branch`; at most `limit` of them.
  virtual std::vector<TestResult> latest_test_results(const std::string& project_id,
                                                      const std::string& job_name,
                                                      const std::string& branch, int limit) = 0;
  // Blob names of everything these jobs produced (for deleting a project's files).
  virtual std::vector<std::string> blobs_of_jobs(const std::vector<std::string>& job_ids) = 0;
};

class Store : public UserStore,
              public ProjectStore,
              public ContextStore,
              public WebhookStore,
              public PipelineStore,
              public CacheStore,
              public JobOutputStore {};

}  // namespace halo::store
