#include "engine/runner_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "engine/job_environment.h"
#include "engine/job_graph.h"
#include "engine/job_secrets.h"
#include "engine/reruns.h"
#include "model/status.h"

namespace halo::engine {

namespace js = model::job_status;

RunnerService::RunnerService(store::Store& store, store::LogStore& logs, JobQueue& queue,
                             Orchestrator& orchestrator, RunnerServiceOptions options,
                             const Clock& clock)
    : store_(store),
      logs_(logs),
      queue_(queue),
      orchestrator_(orchestrator),
      options_(std::move(options)),
      clock_(clock) {}

RunnerService::~RunnerService() {
  stop();
}

bool RunnerService::closed() {
  return queue_.closed();
}

std::optional<protocol::Claim> RunnerService::claim_next(const protocol::RunnerInfo& runner,
                                                         std::chrono::milliseconds wait) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto id = queue_.pop(left);
    if (!id) return std::nullopt;
    // The queue only wakes runners; the claim in the store decides (a job may have been
    // canceled, or pushed twice).
    std::optional<store::Job> job;
    try {
      job = orchestrator_.claim_job(*id, runner.id, options_.lease_ttl_ms);
    } catch (...) {
      queue_.push(*id);  // still queued in the store: keep the wakeup for the next claim
      throw;
    }
    if (!job) continue;
    std::optional<protocol::JobPayload> payload;
    try {
      payload = payload_of(*job);
    } catch (const std::exception& e) {
      // Often the store failing for a moment: the claim is given up as if its runner had
      // vanished (queued again once, failed the second time), never lost.
      spdlog::error("runner service: job {}: {}", job->id, e.what());
      orchestrator_.expire_lease(job->id, job->lease_id, std::nullopt, {},
                                 std::string("it could not be dispatched (") + e.what() + ")");
      continue;
    }
    if (!payload) continue;
    protocol::Claim claim;
    claim.lease = {job->id, job->lease_id, job->lease_expires_at};
    claim.payload = std::move(*payload);
    auto active = std::make_shared<Active>();
    active->job_id = job->id;
    active->leased.job_id = job->id;
    active->leased.project_id = job->project_id;
    active->leased.workflow_id = job->workflow_id;
    for (const auto& l : claim.payload.workspace_layers)
      active->leased.workspace_layers.insert(l.id);
    active->leased.uploaded = std::make_shared<std::atomic<uint64_t>>(0);
    active->leased.test_results = std::make_shared<std::atomic<size_t>>(0);
    active->nodes = std::max(1, claim.payload.job.parallelism);
    {
      std::lock_guard lock(mu_);
      active_[job->lease_id] = std::move(active);
    }
    return claim;
  }
}

std::optional<protocol::JobPayload> RunnerService::payload_of(const store::Job& job) {
  if (job.lease_count > 1) {
    // A re-queued job starts over: the failed attempt's steps and output are dropped.
    store_.delete_steps(job.id);
    std::error_code ec;
    std::filesystem::remove_all(logs_.path(job.id, 0).parent_path(), ec);
  }
  auto pipeline = store_.pipeline_by_id(job.pipeline_id);
  auto project = store_.project_by_id(job.project_id);
  if (!pipeline || !project) throw std::runtime_error("job without pipeline or project");
  auto actor = store_.user_by_id(pipeline->actor_id);

  config::Job spec = config::job_from_json(job.spec);
  bool adds_keys = false;
  for (const auto& step : spec.steps)
    adds_keys = adds_keys || step.kind == config::Step::Kind::AddSshKeys;
  JobSecrets secrets =
      resolve_job_secrets(store_, options_.master_key, *project, *pipeline, job, adds_keys);
  if (!secrets.denied_status.empty()) {
    orchestrator_.finish_job(job.id, secrets.denied_status, secrets.message, job.lease_id);
    return std::nullopt;
  }
  protocol::JobPayload payload;
  payload.job_id = job.id;
  payload.job = std::move(spec);
  // Precedence: project < context < built-in; job and step environment apply on top in the
  // executor.
  payload.environment = std::move(secrets.environment);
  for (auto& [k, v] :
       builtin_environment(*project, *pipeline, job, first_run_of(store_, job.workflow_id),
                           actor ? actor->login : "", options_.base_url))
    payload.environment[k] = v;
  payload.secrets = std::move(secrets.values);
  payload.ssh_private_key = std::move(secrets.ssh_private_key);
  payload.ssh_keys = std::move(secrets.ssh_keys);
  payload.checkout_url =
      project->vcs_url.rfind("file://", 0) == 0 ? project->vcs_url.substr(7) : project->vcs_url;
  payload.checkout_sha = pipeline->revision;
  payload.checkout_ref = pipeline->tag.empty() ? pipeline->branch : "";
  payload.workspace_layers = workspace_layers_for(job);
  // Only jobs that split tests by timings need earlier results: the look-up is skipped for
  // the others.
  bool splits = false;
  for (const auto& step : payload.job.steps)
    splits = splits || step.command.find("circleci tests") != std::string::npos;
  if (splits) {
    for (auto& t :
         store_.latest_test_results(project->id, job.name, project->default_branch, 100'000)) {
      payload.test_timings.push_back({t.name, t.classname, t.file, "", "", "", t.run_time});
    }
  }
  return payload;
}

std::vector<protocol::WorkspaceLayerRef> RunnerService::workspace_layers_for(
    const store::Job& job) {
  auto jobs = store_.jobs_of_workflow(job.workflow_id);
  auto graph = graph_of(jobs);
  size_t self = 0;
  while (self < jobs.size() && jobs[self].id != job.id) ++self;
  if (self == jobs.size()) return {};
  std::vector<std::string> ids;
  std::map<std::string, std::string> names;
  for (size_t i : model::upstream_in_order(graph, self)) {
    // A job a rerun carried over did not run here: its layers are those of the job it
    // stands for, as on CircleCI, where a rerun workflow sees the jobs it does not re-run.
    const std::string& id = jobs[i].origin_job_id.empty() ? jobs[i].id : jobs[i].origin_job_id;
    ids.push_back(id);
    names[id] = jobs[i].name;
  }
  std::vector<protocol::WorkspaceLayerRef> out;
  for (const auto& l : store_.workspace_layers_of_jobs(ids))
    out.push_back({l.id, names[l.job_id], static_cast<uint64_t>(l.size)});
  return out;
}

std::optional<LeasedJob> RunnerService::leased_job(const protocol::Lease& lease) {
  auto a = find(lease);
  if (!a) return std::nullopt;
  return a->leased;
}

std::shared_ptr<RunnerService::Active> RunnerService::find(const protocol::Lease& lease) {
  std::lock_guard lock(mu_);
  auto it = active_.find(lease.id);
  if (it == active_.end() || it->second->job_id != lease.job_id) return nullptr;
  return it->second;
}

void RunnerService::forget(const std::string& lease_id) {
  std::shared_ptr<Active> gone;
  {
    std::lock_guard lock(mu_);
    auto it = active_.find(lease_id);
    if (it == active_.end()) return;
    gone = std::move(it->second);
    active_.erase(it);
    // A pending cancel stays for another (newer) lease of the same job.
    bool other = false;
    for (const auto& [id, a] : active_) other = other || a->job_id == gone->job_id;
    if (!other) canceled_jobs_.erase(gone->job_id);
  }
  cv_.notify_all();
  std::lock_guard lock(gone->mu);
  gone->writers.clear();  // closes the log files
  logs_.notify();
}

protocol::LeaseState RunnerService::extend(const protocol::Lease& lease,
                                           std::chrono::milliseconds wait) {
  auto check = store_.extend_lease(lease.job_id, lease.id, clock_.now_ms() + options_.lease_ttl_ms);
  if (!check) {
    forget(lease.id);
    return protocol::LeaseState::Stale;
  }
  if (check->cancel_requested) return protocol::LeaseState::Canceled;
  // Never wait so long that the lease could run out while its runner waits here.
  wait = std::min(wait, std::chrono::milliseconds(options_.lease_ttl_ms / 3));
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, wait,
               [&] { return !active_.count(lease.id) || canceled_jobs_.count(lease.job_id); });
  if (canceled_jobs_.count(lease.job_id)) return protocol::LeaseState::Canceled;
  // Gone from this service: ended, or expired by the reaper.
  if (!active_.count(lease.id)) return protocol::LeaseState::Stale;
  return protocol::LeaseState::Ok;
}

bool RunnerService::step_started(const protocol::Lease& lease, int node, int index,
                                 const std::string& name, int64_t at_ms) {
  auto a = find(lease);
  if (!a || node < 0 || node >= a->nodes) return false;
  std::lock_guard lock(a->mu);
  store::Step s;
  s.job_id = lease.job_id;
  s.node_index = node;
  s.index = index;
  s.name = name;
  s.status = "running";
  s.started_at = at_ms;
  store_.upsert_step(s);
  a->steps[{node, index}] = s;
  return true;
}

bool RunnerService::step_output(const protocol::Lease& lease, int node, int index,
                                std::string_view data, int64_t at_ms) {
  auto a = find(lease);
  if (!a || node < 0 || node >= a->nodes) return false;
  std::lock_guard lock(a->mu);
  auto& w = a->writers[{node, index}];
  if (!w) w = std::make_unique<store::LogWriter>(logs_, lease.job_id, index, node);
  w->append(at_ms, data);
  return true;
}

bool RunnerService::step_finished(const protocol::Lease& lease, int node, int index,
                                  const protocol::StepResult& r) {
  auto a = find(lease);
  if (!a || node < 0 || node >= a->nodes) return false;
  {
    std::lock_guard lock(a->mu);
    store::Step s = a->steps[{node, index}];
    s.job_id = lease.job_id;
    s.node_index = node;
    s.index = index;
    s.status = protocol::to_string(r.status);
    s.has_exit_code = r.status != protocol::StepStatus::Skipped && r.exit_code >= 0;
    s.exit_code = r.exit_code;
    if (s.started_at == 0) s.started_at = r.started_ms;
    s.ended_at = r.ended_ms;
    store_.upsert_step(s);
    a->writers.erase({node, index});  // closes the file
  }
  logs_.notify();  // wakes followers
  return true;
}

bool RunnerService::done(const protocol::Lease& lease, protocol::JobOutcome outcome,
                         const std::string& message) {
  // Recorded first: if the store fails, the lease stays current here and in the store, and
  // the runner can say it again.
  bool recorded =
      orchestrator_.finish_job(lease.job_id, protocol::to_string(outcome), message, lease.id);
  forget(lease.id);
  // A step a failed report left "running" ends with its job.
  if (recorded && outcome != protocol::JobOutcome::Success)
    store_.close_running_steps(lease.job_id,
                               outcome == protocol::JobOutcome::Canceled ? "canceled" : "failed",
                               clock_.now_ms());
  return recorded;
}

int RunnerService::expire(const std::vector<store::Job>& jobs, bool only_past_expiry) {
  int touched = 0;
  int64_t now = clock_.now_ms();
  for (const auto& j : jobs) {
    if (j.lease_id.empty()) {
      spdlog::warn("job {} was running without a lease; marking it infrastructure_fail", j.id);
      store_.close_running_steps(j.id, "failed", now);
      if (orchestrator_.finish_job(j.id, js::kInfrastructureFail,
                                   "halo stopped while this job was running; its runner is gone"))
        ++touched;
      continue;
    }
    if (only_past_expiry && j.lease_expires_at > now) continue;
    // The old attempt is forgotten before the job is queued again, so none of its late
    // reports can reach the next attempt.
    auto what = orchestrator_.expire_lease(
        j.id, j.lease_id, only_past_expiry ? std::optional<int64_t>(now) : std::nullopt,
        [&] { forget(j.lease_id); });
    if (what == Orchestrator::Expiry::None) continue;
    spdlog::warn("job {}: the lease of runner {} expired; {}", j.id, j.lease_holder,
                 what == Orchestrator::Expiry::Requeued ? "queued again" : "failed");
    ++touched;
  }
  return touched;
}

int RunnerService::expire_leases() {
  return expire(store_.jobs_with_status(js::kRunning), true);
}

int RunnerService::expire_leases_of(const std::string& holder) {
  std::vector<store::Job> held;
  for (auto& j : store_.jobs_with_status(js::kRunning))
    if (j.lease_holder == holder || j.lease_id.empty()) held.push_back(std::move(j));
  return expire(held, false);
}

void RunnerService::on_cancel(const std::string& job_id) {
  {
    std::lock_guard lock(mu_);
    bool here = false;
    for (const auto& [id, a] : active_) here = here || a->job_id == job_id;
    if (!here) return;  // another server's runner: it hears it from the store
    canceled_jobs_.insert(job_id);
  }
  cv_.notify_all();
}

void RunnerService::start_reaper() {
  reaper_ = std::thread([this] {
    // Leases are checked a few times per lifetime, so a dead runner's job moves on within
    // about 1.25 lease lifetimes.
    auto period = std::chrono::milliseconds(std::max<int64_t>(options_.lease_ttl_ms / 4, 100));
    std::unique_lock lock(mu_);
    while (!stopping_) {
      cv_.wait_for(lock, period, [&] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      try {
        expire_leases();
      } catch (const std::exception& e) {
        spdlog::error("runner service: expiring leases failed: {}", e.what());
      }
      lock.lock();
    }
  });
}

void RunnerService::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (reaper_.joinable()) reaper_.join();
}

}  // namespace halo::engine
