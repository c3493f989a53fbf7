// The embedded Store: one SQLite file in WAL mode. Writes are serialized through one
// connection (SQLite has one writer anyway); reads use a connection per thread, so
// readers never wait for writers.
#pragma once
#include <filesystem>
#include <memory>
#include <mutex>

#include "store/sqlite_db.h"
#include "store/store.h"

namespace halo::store {

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database file and applies migrations.
  explicit SqliteStore(std::filesystem::path file);
  ~SqliteStore() override;

  User create_user(const std::string& login, const std::string& name, bool is_admin) override;
  std::optional<User> user_by_id(const std::string& id) override;
  std::optional<User> user_by_login(const std::string& login) override;
  std::string add_token(const std::string& user_id, const std::string& token_sha256,
                        const std::string& label) override;
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
  std::optional<Project> create_project(Project p) override;
  std::optional<Project> project_by_slug(const std::string& slug) override;
  std::optional<Project> project_by_id(const std::string& id) override;

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
  void delete_steps(const std::string& job_id) override;

  void upsert_step(const Step& s) override;
  std::vector<Step> steps_of_job(const std::string& job_id) override;
  void close_running_steps(const std::string& job_id, const std::string& status,
                           int64_t now) override;

  std::vector<Token> tokens_of_user(const std::string& user_id) override;
  bool revoke_token(const std::string& user_id, const std::string& token_id) override;
  std::vector<Member> members_of_org(const std::string& org_id) override;
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

 private:
  Db& reader();  // this thread's read connection
  // Runs fn inside BEGIN IMMEDIATE ... COMMIT on the writer connection.
  template <typename Fn>
  auto write(Fn&& fn) -> decltype(fn(std::declval<Db&>())) {
    std::lock_guard lock(write_mu_);
    Db& db = *writer_;
    db.exec_script("BEGIN IMMEDIATE");
    try {
      if constexpr (std::is_void_v<decltype(fn(db))>) {
        fn(db);
        db.exec_script("COMMIT");
      } else {
        auto result = fn(db);
        db.exec_script("COMMIT");
        return result;
      }
    } catch (...) {
      db.exec_script("ROLLBACK");
      throw;
    }
  }
  static void insert_event(Db& db, const OutboxEvent& e);

  std::filesystem::path file_;
  uint64_t instance_;  // distinguishes thread-local connections of different stores
  std::mutex write_mu_;
  std::unique_ptr<Db> writer_;
};

}  // namespace halo::store
