#include "support/store/faulty_store.h"

#include <algorithm>
#include <array>
#include <type_traits>

namespace halo::store {

namespace {

// Every Store method that changes state; keep in step with store.h.
constexpr std::array<std::string_view, 33> kWrites = {"create_user",
                                                      "add_token",
                                                      "revoke_token",
                                                      "ensure_org",
                                                      "add_member",
                                                      "create_project",
                                                      "delete_project",
                                                      "set_project_settings",
                                                      "create_context",
                                                      "delete_context",
                                                      "put_context_env",
                                                      "delete_context_env",
                                                      "add_restriction",
                                                      "delete_restriction",
                                                      "put_project_env",
                                                      "delete_project_env",
                                                      "add_checkout_key",
                                                      "delete_checkout_key",
                                                      "create_webhook",
                                                      "update_webhook",
                                                      "delete_webhook",
                                                      "set_org_settings",
                                                      "insert_events",
                                                      "record_delivery",
                                                      "reserve_pipeline_number",
                                                      "create_pipeline",
                                                      "create_workflow",
                                                      "update_workflow",
                                                      "claim_job",
                                                      "extend_lease",
                                                      "upsert_step",
                                                      "delete_steps",
                                                      "close_running_steps"};

}  // namespace

bool FaultyStore::is_write(std::string_view method) {
  return std::find(kWrites.begin(), kWrites.end(), method) != kWrites.end();
}

void FaultyStore::arm(Fault f) {
  std::lock_guard lock(mu_);
  armed_.push_back(Armed{std::move(f), 0});
}

void FaultyStore::disarm() {
  std::lock_guard lock(mu_);
  armed_.clear();
}

int FaultyStore::calls(std::string_view method) const {
  std::lock_guard lock(mu_);
  auto it = calls_.find(std::string(method));
  return it == calls_.end() ? 0 : it->second;
}

int FaultyStore::faults_thrown() const {
  std::lock_guard lock(mu_);
  return faults_;
}

std::optional<FaultyStore::When> FaultyStore::enter(std::string_view method) {
  std::lock_guard lock(mu_);
  const bool write = is_write(method);
  ++calls_[std::string(method)];
  ++calls_["*"];
  if (write) ++calls_["write"];
  std::optional<When> fires;
  for (auto& a : armed_) {
    const std::string& m = a.fault.method;
    if (!(m == "*" || m == method || (m == "write" && write))) continue;
    ++a.seen;
    bool in_window =
        a.seen >= a.fault.nth && (a.fault.times < 0 || a.seen < a.fault.nth + a.fault.times);
    if (in_window && !fires) fires = a.fault.when;
  }
  if (fires) ++faults_;
  return fires;
}

void FaultyStore::fail(std::string_view method, When when) {
  const char* at = when == When::before ? "before" : when == When::during ? "during" : "after";
  throw InjectedFault("injected I/O failure " + std::string(at) + " " + std::string(method));
}

template <typename Fn>
auto FaultyStore::forward(std::string_view method, Fn&& fn) -> decltype(fn()) {
  std::optional<When> when = enter(method);
  if (when && *when != When::after) fail(method, *when);
  if constexpr (std::is_void_v<decltype(fn())>) {
    fn();
    if (when) fail(method, *when);
  } else {
    auto result = fn();
    if (when) fail(method, *when);
    return result;
  }
}

// ---- forwarding ----------------------------------------------------------------------

User FaultyStore::create_user(const std::string& login, const std::string& name, bool is_admin) {
  return forward("create_user", [&] { return inner_.create_user(login, name, is_admin); });
}
std::optional<User> FaultyStore::user_by_id(const std::string& id) {
  return forward("user_by_id", [&] { return inner_.user_by_id(id); });
}
std::optional<User> FaultyStore::user_by_login(const std::string& login) {
  return forward("user_by_login", [&] { return inner_.user_by_login(login); });
}
std::string FaultyStore::add_token(const std::string& user_id, const std::string& token_sha256,
                                   const std::string& label) {
  return forward("add_token", [&] { return inner_.add_token(user_id, token_sha256, label); });
}
std::vector<Token> FaultyStore::tokens_of_user(const std::string& user_id) {
  return forward("tokens_of_user", [&] { return inner_.tokens_of_user(user_id); });
}
bool FaultyStore::revoke_token(const std::string& user_id, const std::string& token_id) {
  return forward("revoke_token", [&] { return inner_.revoke_token(user_id, token_id); });
}
std::optional<User> FaultyStore::user_by_token(const std::string& token_sha256) {
  return forward("user_by_token", [&] { return inner_.user_by_token(token_sha256); });
}
int64_t FaultyStore::count_users() {
  return forward("count_users", [&] { return inner_.count_users(); });
}

Org FaultyStore::ensure_org(const std::string& vcs_type, const std::string& name, bool* created) {
  return forward("ensure_org", [&] { return inner_.ensure_org(vcs_type, name, created); });
}
std::optional<Org> FaultyStore::org_by_id(const std::string& id) {
  return forward("org_by_id", [&] { return inner_.org_by_id(id); });
}
void FaultyStore::add_member(const std::string& org_id, const std::string& user_id,
                             const std::string& role) {
  forward("add_member", [&] { inner_.add_member(org_id, user_id, role); });
}
std::optional<std::string> FaultyStore::member_role(const std::string& org_id,
                                                    const std::string& user_id) {
  return forward("member_role", [&] { return inner_.member_role(org_id, user_id); });
}
std::vector<Org> FaultyStore::orgs_of_user(const std::string& user_id) {
  return forward("orgs_of_user", [&] { return inner_.orgs_of_user(user_id); });
}
std::vector<Org> FaultyStore::all_orgs() {
  return forward("all_orgs", [&] { return inner_.all_orgs(); });
}
std::vector<Member> FaultyStore::members_of_org(const std::string& org_id) {
  return forward("members_of_org", [&] { return inner_.members_of_org(org_id); });
}
std::optional<Project> FaultyStore::create_project(Project p) {
  return forward("create_project", [&] { return inner_.create_project(std::move(p)); });
}
std::optional<Project> FaultyStore::project_by_slug(const std::string& slug) {
  return forward("project_by_slug", [&] { return inner_.project_by_slug(slug); });
}
std::optional<Project> FaultyStore::project_by_id(const std::string& id) {
  return forward("project_by_id", [&] { return inner_.project_by_id(id); });
}
bool FaultyStore::delete_project(const std::string& project_id) {
  return forward("delete_project", [&] { return inner_.delete_project(project_id); });
}
json FaultyStore::project_settings(const std::string& project_id) {
  return forward("project_settings", [&] { return inner_.project_settings(project_id); });
}
void FaultyStore::set_project_settings(const std::string& project_id, const json& settings) {
  forward("set_project_settings", [&] { inner_.set_project_settings(project_id, settings); });
}

std::optional<Context> FaultyStore::create_context(const std::string& org_id,
                                                   const std::string& name) {
  return forward("create_context", [&] { return inner_.create_context(org_id, name); });
}
std::optional<Context> FaultyStore::context_by_id(const std::string& id) {
  return forward("context_by_id", [&] { return inner_.context_by_id(id); });
}
std::optional<Context> FaultyStore::context_by_name(const std::string& org_id,
                                                    const std::string& name) {
  return forward("context_by_name", [&] { return inner_.context_by_name(org_id, name); });
}
std::vector<Context> FaultyStore::contexts_of_org(const std::string& org_id) {
  return forward("contexts_of_org", [&] { return inner_.contexts_of_org(org_id); });
}
bool FaultyStore::delete_context(const std::string& id) {
  return forward("delete_context", [&] { return inner_.delete_context(id); });
}
EnvVar FaultyStore::put_context_env(const std::string& context_id, const std::string& name,
                                    const std::string& sealed) {
  return forward("put_context_env",
                 [&] { return inner_.put_context_env(context_id, name, sealed); });
}
std::vector<EnvVar> FaultyStore::context_env(const std::string& context_id) {
  return forward("context_env", [&] { return inner_.context_env(context_id); });
}
bool FaultyStore::delete_context_env(const std::string& context_id, const std::string& name) {
  return forward("delete_context_env", [&] { return inner_.delete_context_env(context_id, name); });
}
void FaultyStore::add_restriction(const ContextRestriction& r) {
  forward("add_restriction", [&] { inner_.add_restriction(r); });
}
std::vector<ContextRestriction> FaultyStore::restrictions(const std::string& context_id) {
  return forward("restrictions", [&] { return inner_.restrictions(context_id); });
}
bool FaultyStore::delete_restriction(const std::string& context_id, const std::string& id) {
  return forward("delete_restriction", [&] { return inner_.delete_restriction(context_id, id); });
}

EnvVar FaultyStore::put_project_env(const std::string& project_id, const std::string& name,
                                    const std::string& sealed) {
  return forward("put_project_env",
                 [&] { return inner_.put_project_env(project_id, name, sealed); });
}
std::vector<EnvVar> FaultyStore::project_env(const std::string& project_id) {
  return forward("project_env", [&] { return inner_.project_env(project_id); });
}
bool FaultyStore::delete_project_env(const std::string& project_id, const std::string& name) {
  return forward("delete_project_env", [&] { return inner_.delete_project_env(project_id, name); });
}
void FaultyStore::add_checkout_key(const CheckoutKey& k) {
  forward("add_checkout_key", [&] { inner_.add_checkout_key(k); });
}
bool FaultyStore::add_ssh_key(const SshKey& k) {
  return forward("add_ssh_key", [&] { return inner_.add_ssh_key(k); });
}
std::vector<SshKey> FaultyStore::ssh_keys(const std::string& project_id) {
  return forward("ssh_keys", [&] { return inner_.ssh_keys(project_id); });
}
bool FaultyStore::delete_ssh_key(const std::string& project_id, const std::string& fingerprint,
                                 const std::string& hostname) {
  return forward("delete_ssh_key",
                 [&] { return inner_.delete_ssh_key(project_id, fingerprint, hostname); });
}
std::vector<CheckoutKey> FaultyStore::checkout_keys(const std::string& project_id) {
  return forward("checkout_keys", [&] { return inner_.checkout_keys(project_id); });
}
bool FaultyStore::delete_checkout_key(const std::string& project_id,
                                      const std::string& fingerprint) {
  return forward("delete_checkout_key",
                 [&] { return inner_.delete_checkout_key(project_id, fingerprint); });
}

bool FaultyStore::create_webhook(const Webhook& w, int max_per_project) {
  return forward("create_webhook", [&] { return inner_.create_webhook(w, max_per_project); });
}
void FaultyStore::update_webhook(const Webhook& w) {
  forward("update_webhook", [&] { inner_.update_webhook(w); });
}
std::optional<Webhook> FaultyStore::webhook_by_id(const std::string& id) {
  return forward("webhook_by_id", [&] { return inner_.webhook_by_id(id); });
}
std::vector<Webhook> FaultyStore::webhooks_of_project(const std::string& project_id) {
  return forward("webhooks_of_project", [&] { return inner_.webhooks_of_project(project_id); });
}
bool FaultyStore::delete_webhook(const std::string& id) {
  return forward("delete_webhook", [&] { return inner_.delete_webhook(id); });
}
OrgSettings FaultyStore::org_settings(const std::string& org_id) {
  return forward("org_settings", [&] { return inner_.org_settings(org_id); });
}
void FaultyStore::set_org_settings(const OrgSettings& s) {
  forward("set_org_settings", [&] { inner_.set_org_settings(s); });
}
void FaultyStore::insert_events(const std::vector<OutboxEvent>& events) {
  forward("insert_events", [&] { inner_.insert_events(events); });
}
std::vector<OutboxEvent> FaultyStore::due_events(int64_t now, int limit) {
  return forward("due_events", [&] { return inner_.due_events(now, limit); });
}
std::optional<int64_t> FaultyStore::next_event_due() {
  return forward("next_event_due", [&] { return inner_.next_event_due(); });
}
void FaultyStore::record_delivery(const Delivery& d, const std::string& status,
                                  int64_t next_attempt_at) {
  forward("record_delivery", [&] { inner_.record_delivery(d, status, next_attempt_at); });
}
std::vector<Delivery> FaultyStore::deliveries_of(int64_t event_seq) {
  return forward("deliveries_of", [&] { return inner_.deliveries_of(event_seq); });
}
std::vector<OutboxEvent> FaultyStore::events_for_target(const std::string& target_id) {
  return forward("events_for_target", [&] { return inner_.events_for_target(target_id); });
}

std::optional<CacheEntry> FaultyStore::find_cache(const std::string& project_id,
                                                  const std::string& key, bool prefix) {
  return forward("find_cache", [&] { return inner_.find_cache(project_id, key, prefix); });
}

bool FaultyStore::insert_cache(const CacheEntry& e) {
  return forward("insert_cache", [&] { return inner_.insert_cache(e); });
}

void FaultyStore::touch_cache(const std::string& project_id, const std::string& key, int64_t now) {
  forward("touch_cache", [&] { inner_.touch_cache(project_id, key, now); });
}

std::vector<CacheEntry> FaultyStore::caches_to_evict(int64_t created_before,
                                                     int64_t max_total_bytes) {
  return forward("caches_to_evict",
                 [&] { return inner_.caches_to_evict(created_before, max_total_bytes); });
}

std::vector<CacheEntry> FaultyStore::caches_of_project(const std::string& project_id) {
  return forward("caches_of_project", [&] { return inner_.caches_of_project(project_id); });
}

bool FaultyStore::delete_cache(const std::string& project_id, const std::string& key) {
  return forward("delete_cache", [&] { return inner_.delete_cache(project_id, key); });
}

void FaultyStore::insert_workspace_layer(const WorkspaceLayer& l) {
  forward("insert_workspace_layer", [&] { inner_.insert_workspace_layer(l); });
}

std::vector<WorkspaceLayer> FaultyStore::workspace_layers_of_jobs(
    const std::vector<std::string>& job_ids) {
  return forward("workspace_layers_of_jobs",
                 [&] { return inner_.workspace_layers_of_jobs(job_ids); });
}

std::optional<WorkspaceLayer> FaultyStore::workspace_layer_by_id(const std::string& id) {
  return forward("workspace_layer_by_id", [&] { return inner_.workspace_layer_by_id(id); });
}

std::optional<std::string> FaultyStore::put_artifact(const Artifact& a) {
  return forward("put_artifact", [&] { return inner_.put_artifact(a); });
}

std::vector<Artifact> FaultyStore::artifacts_of_job(const std::string& job_id) {
  return forward("artifacts_of_job", [&] { return inner_.artifacts_of_job(job_id); });
}

std::optional<Artifact> FaultyStore::artifact(const std::string& job_id, int node_index,
                                              const std::string& path) {
  return forward("artifact", [&] { return inner_.artifact(job_id, node_index, path); });
}

void FaultyStore::insert_test_results(const std::vector<TestResult>& results) {
  forward("insert_test_results", [&] { inner_.insert_test_results(results); });
}

std::vector<std::pair<int64_t, TestResult>> FaultyStore::test_results_of_job(
    const std::string& job_id, int64_t after, int limit) {
  return forward("test_results_of_job",
                 [&] { return inner_.test_results_of_job(job_id, after, limit); });
}

std::vector<TestResult> FaultyStore::latest_test_results(const std::string& project_id,
                                                         const std::string& job_name,
                                                         const std::string& branch, int limit) {
  return forward("latest_test_results",
                 [&] { return inner_.latest_test_results(project_id, job_name, branch, limit); });
}

std::vector<std::string> FaultyStore::blobs_of_jobs(const std::vector<std::string>& job_ids) {
  return forward("blobs_of_jobs", [&] { return inner_.blobs_of_jobs(job_ids); });
}

int64_t FaultyStore::reserve_pipeline_number(const std::string& project_id) {
  return forward("reserve_pipeline_number",
                 [&] { return inner_.reserve_pipeline_number(project_id); });
}
void FaultyStore::create_pipeline(Pipeline& p, std::vector<Workflow>& workflows,
                                  std::vector<Job>& jobs, const std::vector<OutboxEvent>& outbox) {
  forward("create_pipeline", [&] { inner_.create_pipeline(p, workflows, jobs, outbox); });
}
std::optional<Pipeline> FaultyStore::pipeline_by_id(const std::string& id) {
  return forward("pipeline_by_id", [&] { return inner_.pipeline_by_id(id); });
}
std::optional<std::pair<std::string, std::string>> FaultyStore::pipeline_config(
    const std::string& id) {
  return forward("pipeline_config", [&] { return inner_.pipeline_config(id); });
}
std::optional<Pipeline> FaultyStore::pipeline_by_number(const std::string& project_id,
                                                        int64_t number) {
  return forward("pipeline_by_number",
                 [&] { return inner_.pipeline_by_number(project_id, number); });
}
Page<Pipeline> FaultyStore::list_pipelines(const PipelineFilter& f,
                                           std::optional<int64_t> before_seq, int limit) {
  return forward("list_pipelines", [&] { return inner_.list_pipelines(f, before_seq, limit); });
}

std::optional<Workflow> FaultyStore::workflow_by_id(const std::string& id) {
  return forward("workflow_by_id", [&] { return inner_.workflow_by_id(id); });
}
std::vector<Workflow> FaultyStore::workflows_of_pipeline(const std::string& pipeline_id) {
  return forward("workflows_of_pipeline",
                 [&] { return inner_.workflows_of_pipeline(pipeline_id); });
}
std::optional<Job> FaultyStore::job_by_id(const std::string& id) {
  return forward("job_by_id", [&] { return inner_.job_by_id(id); });
}
std::optional<Job> FaultyStore::job_by_number(const std::string& project_id, int64_t number) {
  return forward("job_by_number", [&] { return inner_.job_by_number(project_id, number); });
}
std::vector<Job> FaultyStore::jobs_of_workflow(const std::string& workflow_id) {
  return forward("jobs_of_workflow", [&] { return inner_.jobs_of_workflow(workflow_id); });
}
std::vector<Job> FaultyStore::jobs_with_status(const std::string& status) {
  return forward("jobs_with_status", [&] { return inner_.jobs_with_status(status); });
}
std::vector<Workflow> FaultyStore::unfinished_workflows(const std::string& project_id,
                                                        const std::string& branch) {
  return forward("unfinished_workflows",
                 [&] { return inner_.unfinished_workflows(project_id, branch); });
}
std::vector<std::pair<Job, int64_t>> FaultyStore::active_jobs_of_serial_group(
    const std::string& project_id, const std::string& group) {
  return forward("active_jobs_of_serial_group",
                 [&] { return inner_.active_jobs_of_serial_group(project_id, group); });
}

std::vector<std::string> FaultyStore::job_ids_of_project(const std::string& project_id) {
  return forward("job_ids_of_project", [&] { return inner_.job_ids_of_project(project_id); });
}

void FaultyStore::create_workflow(WorkflowState& st) {
  forward("create_workflow", [&] { inner_.create_workflow(st); });
}
std::optional<WorkflowState> FaultyStore::update_workflow(
    const std::string& workflow_id, const std::function<void(WorkflowState&)>& change) {
  std::optional<When> when = enter("update_workflow");
  if (when == When::before) fail("update_workflow", *when);
  if (when == When::during) {
    inner_.update_workflow(workflow_id, [&](WorkflowState& st) {
      change(st);
      fail("update_workflow", When::during);
    });
    // An unknown workflow: the change never ran; the call fails all the same.
    fail("update_workflow", When::during);
  }
  auto result = inner_.update_workflow(workflow_id, change);
  if (when) fail("update_workflow", *when);
  return result;
}

bool FaultyStore::claim_job(const std::string& job_id, int64_t now) {
  return forward("claim_job", [&] { return inner_.claim_job(job_id, now); });
}

std::optional<LeaseCheck> FaultyStore::extend_lease(const std::string& job_id,
                                                    const std::string& lease_id,
                                                    int64_t expires_at) {
  return forward("extend_lease", [&] { return inner_.extend_lease(job_id, lease_id, expires_at); });
}

void FaultyStore::delete_steps(const std::string& job_id) {
  forward("delete_steps", [&] { inner_.delete_steps(job_id); });
}

void FaultyStore::upsert_step(const Step& s) {
  forward("upsert_step", [&] { inner_.upsert_step(s); });
}
std::vector<Step> FaultyStore::steps_of_job(const std::string& job_id) {
  return forward("steps_of_job", [&] { return inner_.steps_of_job(job_id); });
}
void FaultyStore::close_running_steps(const std::string& job_id, const std::string& status,
                                      int64_t now) {
  forward("close_running_steps", [&] { inner_.close_running_steps(job_id, status, now); });
}

}  // namespace halo::store
