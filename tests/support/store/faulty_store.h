// A Store decorator that fails on demand, for tests that prove what survives an I/O error
// or a crash: the atomicity of the store's multi-row writes, and the recovery of callers
// (the engine's Orchestrator takes a `store::Store&`, so it can run over a FaultyStore).
//
//   SqliteStore sqlite(dir / "halo.db");
//   FaultyStore store(sqlite);
//   store.arm({.method = "create_pipeline"});              // the next create_pipeline throws
//   store.arm({.method = "write", .nth = 3});              // the 3rd write from now throws
//   store.arm({.method = "update_workflow", .when = FaultyStore::When::during});
//   store.arm({.method = "*", .times = -1});               // everything fails from now on
//
// Disarmed, it forwards every call unchanged (the contract suite runs over it to prove so).
// Thread-safe: counting and firing are serialized; forwarded calls are not.
#pragma once
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace halo::store {

// What an injected failure throws: a std::runtime_error, as a real store's I/O error is.
class InjectedFault : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class FaultyStore final : public Store {
 public:
  enum class When {
    // The call fails before it reaches the wrapped store: nothing is read or written.
    before,
    // update_workflow: the failure is thrown from inside the transaction, after the caller's
    // `change` ran (the wrapped store must roll everything back). Other methods: as `before`.
    during,
    // The wrapped store completes (commits) the call, then the caller sees the failure: a
    // reply lost after the write, as when the process dies right after a commit.
    after,
  };
  struct Fault {
    // A Store method name ("create_pipeline"), "write" for any method that changes state,
    // or "*" for any call.
    std::string method;
    int nth = 1;    // the first matching call (counted from arming) that fails; 1 = the next
    int times = 1;  // how many matching calls fail from then on; -1 = every one (an outage)
    When when = When::before;
  };

  explicit FaultyStore(Store& inner) : inner_(inner) {}
  explicit FaultyStore(std::unique_ptr<Store> owned) : inner_(*owned), owned_(std::move(owned)) {}

  // Adds a fault; several may be armed at once (the first that fires wins).
  void arm(Fault f);
  void disarm();
  // Calls seen since construction, by method name, "write" or "*".
  int calls(std::string_view method) const;
  int faults_thrown() const;
  // Whether `method` changes state (what the "write" selector matches).
  static bool is_write(std::string_view method);
  Store& inner() { return inner_; }

  User create_user(const std::string& login, const std::string& name, bool is_admin) override;
  std::optional<User> user_by_id(const std::string& id) override;
  std::optional<User> user_by_login(const std::string& login) override;
  std::string add_token(const std::string& user_id, const std::string& token_sha256,
                        const std::string& label) override;
  std::vector<Token> tokens_of_user(const std::string& user_id) override;
  bool revoke_token(const std::string& user_id, const std::string& token_id) override;
  std::optional<User> user_by_token(const std::string& token_sha256) override;
  int64_t count_users() override;

  Org ensure_org(const std::string& vcs_type, const std::string& name,
                 bool* created = nullptr) override;
  std::optional<Org> org_by_id(const std::string& id) override;
  void add_member(const std::string& org_id, const std::string& user_id,
                  const std::string& role) override;
  std::optional<std::string> member_role(const std::string& org_id,
                                         const std::string& user_id) override;
  std::vector<Org> orgs_of_user(const std::string& user_id) override;
  std::vector<Org> all_orgs() override;
  std::vector<Member> members_of_org(const std::string& org_id) override;
  std::optional<Project> create_project(Project p) override;
  std::optional<Project> project_by_slug(const std::string& slug) override;
  std::optional<Project> project_by_id(const std::string& id) override;
  bool delete_project(const std::string& project_id) override;
  json project_settings(const std::string& project_id) override;
  void set_project_settings(const std::string& project_id, const json& settings) override;

  std::optional<Context> create_context(const std::string& org_id,
                                        const std::string& name) override;
  std::optional<Context> context_by_id(const std::string& id) override;
  std::optional<Context> context_by_name(const std::string& org_id,
                                         const std::string& name) override;
  std::vector<Context> contexts_of_org(const std::string& org_id) override;
  bool delete_context(const std::string& id) override;
  EnvVar put_context_env(const std::string& context_id, const std::string& name,
                         const std::string& sealed) override;
  std::vector<EnvVar> context_env(const std::string& context_id) override;
  bool delete_context_env(const std::string& context_id, const std::string& name) override;
  void add_restriction(const ContextRestriction& r) override;
  std::vector<ContextRestriction> restrictions(const std::string& context_id) override;
  bool delete_restriction(const std::string& context_id, const std::string& id) override;

  EnvVar put_project_env(const std::string& project_id, const std::string& name,
                         const std::string& sealed) override;
  std::vector<EnvVar> project_env(const std::string& project_id) override;
  bool delete_project_env(const std::string& project_id, const std::string& name) override;
  void add_checkout_key(const CheckoutKey& k) override;
  bool add_ssh_key(const SshKey& k) override;
  std::vector<SshKey> ssh_keys(const std::string& project_id) override;
  bool delete_ssh_key(const std::string& project_id, const std::string& fingerprint,
                      const std::string& hostname) override;
  std::vector<CheckoutKey> checkout_keys(const std::string& project_id) override;
  bool delete_checkout_key(const std::string& project_id, const std::string& fingerprint) override;

  bool create_webhook(const Webhook& w, int max_per_project) override;
  void update_webhook(const Webhook& w) override;
  std::optional<Webhook> webhook_by_id(const std::string& id) override;
  std::vector<Webhook> webhooks_of_project(const std::string& project_id) override;
  bool delete_webhook(const std::string& id) override;
  OrgSettings org_settings(const std::string& org_id) override;
  void set_org_settings(const OrgSettings& s) override;
  void insert_events(const std::vector<OutboxEvent>& events) override;
  std::vector<OutboxEvent> due_events(int64_t now, int limit) override;
  std::optional<int64_t> next_event_due() override;
  void record_delivery(const Delivery& d, const std::string& status,
                       int64_t next_attempt_at) override;
  std::vector<Delivery> deliveries_of(int64_t event_seq) override;
  std::vector<OutboxEvent> events_for_target(const std::string& target_id) override;

  std::optional<CacheEntry> find_cache(const std::string& project_id, const std::string& key,
                                       bool prefix) override;
  bool insert_cache(const CacheEntry& e) override;
  void touch_cache(const std::string& project_id, const std::string& key, int64_t now) override;
  std::vector<CacheEntry> caches_to_evict(int64_t created_before, int64_t max_total_bytes) override;
  std::vector<CacheEntry> caches_of_project(const std::string& project_id) override;
  bool delete_cache(const std::string& project_id, const std::string& key) override;
  void insert_workspace_layer(const WorkspaceLayer& l) override;
  std::vector<WorkspaceLayer> workspace_layers_of_jobs(
      const std::vector<std::string>& job_ids) override;
  std::optional<WorkspaceLayer> workspace_layer_by_id(const std::string& id) override;
  std::optional<std::string> put_artifact(const Artifact& a) override;
  std::vector<Artifact> artifacts_of_job(const std::string& job_id) override;
  std::optional<Artifact> artifact(const std::string& job_id, int node_index,
                                   const std::string& path) override;
  void insert_test_results(const std::vector<TestResult>& results) override;
  std::vector<std::pair<int64_t, TestResult>> test_results_of_job(const std::string& job_id,
                                                                  int64_t after,
                                                                  int limit) override;
  std::vector<TestResult> latest_test_results(const std::string& project_id,
                                              const std::string& job_name,
                                              const std::string& branch, int limit) override;
  std::vector<std::string> blobs_of_jobs(const std::vector<std::string>& job_ids) override;

  int64_t reserve_pipeline_number(const std::string& project_id) override;
  void create_pipeline(Pipeline& p, std::vector<Workflow>& workflows, std::vector<Job>& jobs,
                       const std::vector<OutboxEvent>& outbox = {}) override;
  std::optional<Pipeline> pipeline_by_id(const std::string& id) override;
  std::optional<std::pair<std::string, std::string>> pipeline_config(
      const std::string& id) override;
  std::optional<Pipeline> pipeline_by_number(const std::string& project_id,
                                             int64_t number) override;
  Page<Pipeline> list_pipelines(const PipelineFilter& f, std::optional<int64_t> before_seq,
                                int limit) override;

  std::optional<Workflow> workflow_by_id(const std::string& id) override;
  std::vector<Workflow> workflows_of_pipeline(const std::string& pipeline_id) override;
  std::optional<Job> job_by_id(const std::string& id) override;
  std::optional<Job> job_by_number(const std::string& project_id, int64_t number) override;
  std::vector<Job> jobs_of_workflow(const std::string& workflow_id) override;
  std::vector<Job> jobs_with_status(const std::string& status) override;
  std::vector<Workflow> unfinished_workflows(const std::string& project_id,
                                             const std::string& branch) override;
  std::vector<std::pair<Job, int64_t>> active_jobs_of_serial_group(
      const std::string& project_id, const std::string& group) override;
  std::vector<std::string> job_ids_of_project(const std::string& project_id) override;
  void create_workflow(WorkflowState& st) override;
  std::optional<WorkflowState> update_workflow(
      const std::string& workflow_id, const std::function<void(WorkflowState&)>& change) override;
  bool claim_job(const std::string& job_id, int64_t now) override;
  std::optional<LeaseCheck> extend_lease(const std::string& job_id, const std::string& lease_id,
                                         int64_t expires_at) override;

  void upsert_step(const Step& s) override;
  void delete_steps(const std::string& job_id) override;
  std::vector<Step> steps_of_job(const std::string& job_id) override;
  void close_running_steps(const std::string& job_id, const std::string& status,
                           int64_t now) override;

 private:
  struct Armed {
    Fault fault;
    int seen = 0;  // matching calls since arming
  };
  // Counts the call and returns the fault that fires on it, if any.
  std::optional<When> enter(std::string_view method);
  [[noreturn]] void fail(std::string_view method, When when);
  // Forwards `fn` with the fault handling of `before`/`during` and `after`.
  template <typename Fn>
  auto forward(std::string_view method, Fn&& fn) -> decltype(fn());

  Store& inner_;
  std::unique_ptr<Store> owned_;
  mutable std::mutex mu_;
  std::vector<Armed> armed_;
  std::unordered_map<std::string, int> calls_;
  int faults_ = 0;
};

}  // namespace halo::store
