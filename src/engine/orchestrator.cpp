#include "engine/orchestrator.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>
#include <vector>

#include "common/crypto.h"
#include "common/time.h"
#include "config/compiler.h"
#include "engine/job_graph.h"
#include "model/pipeline_values.h"
#include "model/project_slug.h"
#include "model/status.h"
#include "model/workflow_graph.h"
#include "store/blob_files.h"
#include "vcs/git_repository.h"

namespace halo::engine {

namespace js = model::job_status;

namespace {

constexpr const char* kConfigPath = ".circleci/config.yml";

json requires_to_json(const std::vector<config::Requirement>& reqs) {
  json out = json::array();
  for (const auto& r : reqs) out.push_back({{"job", r.job}, {"statuses", r.statuses}});
  return out;
}

// "github", "bitbucket" or "circleci", for pipeline.project.type (slugs are canonical here).
std::string vcs_type_of(const std::string& slug) {
  auto parsed = model::ProjectSlug::parse(slug);
  return std::string(model::vcs_type(parsed ? parsed->vcs : model::Vcs::GitHub));
}

}  // namespace

Orchestrator::Orchestrator(store::Store& store, JobQueue& queue, std::filesystem::path data_dir,
                           const Clock& clock)
    : store_(store), queue_(queue), data_dir_(std::move(data_dir)), clock_(clock) {}

store::Pipeline Orchestrator::trigger(const store::Project& project, const store::User& actor,
                                      const TriggerRequest& req) {
  store::Pipeline p;
  p.id = uuid_v4();
  p.project_id = project.id;
  p.project_slug = project.slug;
  p.created_at = p.updated_at = clock_.now_ms();
  p.trigger_type = req.trigger_type;
  p.actor_id = actor.id;
  p.parameters = req.parameters;
  p.tag = req.tag;
  p.branch = req.tag.empty() ? (req.branch.empty() ? project.default_branch : req.branch) : "";
  p.number = store_.reserve_pipeline_number(project.id);
  p.state = "created";

  auto error = [&](const std::string& type, const std::string& message) {
    p.state = "errored";
    p.errors.push_back({{"type", type}, {"message", message}});
  };

  vcs::GitRepository repo(project.vcs_url, data_dir_ / "repos" / (project.id + ".git"));
  auto resolved = repo.resolve(p.branch, p.tag);
  std::optional<config::Plan> plan;
  if (!resolved.commit) {
    error("config-fetch", resolved.error);
  } else {
    p.revision = resolved.commit->sha;
    p.commit_subject = resolved.commit->subject;
    p.commit_body = resolved.commit->body;
  }

  p.values = {{"pipeline.id", p.id},
              {"pipeline.number", p.number},
              {"pipeline.project.git_url", project.vcs_url},
              {"pipeline.project.type", vcs_type_of(project.slug)},
              {"pipeline.git.tag", p.tag},
              {"pipeline.git.branch", p.branch},
              {"pipeline.git.revision", p.revision},
              {"pipeline.git.base_revision", p.revision},
              {"pipeline.trigger_source", req.trigger_type},
              {"pipeline.trigger_parameters.circleci.trigger_type", req.trigger_type},
              {"pipeline.trigger_parameters.circleci.event_time", rfc3339(p.created_at)},
              {"pipeline.trigger_parameters.circleci.actor_id", actor.id},
              {"pipeline.schedule.name", ""},
              {"pipeline.schedule.id", ""}};

  std::string config_sha = p.revision;
  if (resolved.commit && (!req.config_branch.empty() || !req.config_tag.empty())) {
    auto config_ref = repo.resolve(req.config_branch, req.config_tag);
    if (!config_ref.commit) {
      error("config-fetch", config_ref.error);
      resolved.commit.reset();
    } else {
      config_sha = config_ref.commit->sha;
    }
  }

  if (resolved.commit) {
    auto source = repo.read_file(config_sha, kConfigPath);
    if (!source) {
      error("config-fetch", std::string("No config found: ") + kConfigPath +
                                " does not exist at commit " + config_sha);
    } else {
      p.config_source = *source;
      config::CompileInput in;
      in.source = *source;
      for (auto& [k, v] : p.values.items()) in.pipeline_values[model::pipeline_value_key(k)] = v;
      in.parameters = req.parameters;
      in.orb_dir = orb_dir_.string();
      auto result = config::compile(in);
      if (!result.ok()) {
        for (const auto& e : result.errors) error("config", e.to_string());
      } else {
        plan = std::move(result.plan);
        p.config_compiled = result.compiled_yaml;
      }
    }
  }

  std::vector<store::Workflow> workflows;
  std::vector<store::Job> jobs;
  if (plan) {
    int wpos = 0;
    for (const auto& wf : plan->workflows) {
      store::WorkflowState st;
      st.workflow.id = uuid_v4();
      st.workflow.pipeline_id = p.id;
      st.workflow.project_id = project.id;
      st.workflow.name = wf.name;
      st.workflow.status = model::workflow_status::kRunning;
      st.workflow.created_at = p.created_at;
      st.workflow.started_by = actor.id;
      st.workflow.position = wpos++;
      int jpos = 0;
      for (const auto& wj : wf.jobs) {
        store::Job j;
        j.id = uuid_v4();
        j.workflow_id = st.workflow.id;
        j.pipeline_id = p.id;
        j.project_id = project.id;
        j.name = wj.name;
        j.type = wj.job.type;
        j.status = js::kBlocked;
        j.position = jpos++;
        j.requirements = requires_to_json(wj.requirements);
        j.spec = config::to_json(wj.job);
        j.contexts = wj.contexts;
        j.serial_group = wj.serial_group;
        j.created_at = p.created_at;
        st.jobs.push_back(std::move(j));
      }
      advance(st, p.created_at);
      workflows.push_back(st.workflow);
      for (auto& j : st.jobs) jobs.push_back(std::move(j));
    }
  }

  std::vector<store::OutboxEvent> outbox;
  if (creation_observer_) creation_observer_(p, jobs, outbox);
  store_.create_pipeline(p, workflows, jobs, outbox);
  if (!outbox.empty() && events_committed_) events_committed_();
  for (const auto& j : jobs)
    if (j.status == js::kQueued) queue_.push(j.id);

  // autocancel_builds: a newer pipeline on a branch (never the default one) cancels the
  // branch's older unfinished workflows.
  json settings = store_.project_settings(project.id);
  if (!p.branch.empty() && p.branch != project.default_branch &&
      settings.value("/advanced/autocancel_builds"_json_pointer, false)) {
    for (const auto& w : store_.unfinished_workflows(project.id, p.branch))
      if (w.pipeline_id != p.id) cancel_workflow(w.id, actor.id);
  }
  return p;
}

void Orchestrator::advance(store::WorkflowState& st, int64_t now) {
  // Approval and no-op jobs never reach a runner: the graph resolves them here, which can
  // make more jobs ready, so iterate to a fixpoint.
  while (true) {
    auto graph = graph_of(st.jobs);
    auto update = model::advance(graph, st.workflow.canceled);
    bool again = false;
    for (size_t i : update.queued) {
      store::Job& j = st.jobs[i];
      j.queued_at = now;
      if (j.type == "approval") {
        j.status = js::kOnHold;
      } else if (j.type == "no-op") {
        j.status = js::kSuccess;
        j.started_at = j.stopped_at = now;
        again = true;
      } else {
        j.status = js::kQueued;
      }
    }
    for (size_t i : update.not_run) {
      st.jobs[i].status = js::kNotRun;
      st.jobs[i].stopped_at = now;
    }
    if (again) continue;
    // Derived again from the jobs as set here: the graph saw approval jobs as queued.
    st.workflow.status = model::derive_workflow_status(graph_of(st.jobs), st.workflow.canceled);
    if (model::workflow_is_terminal(st.workflow.status) && st.workflow.stopped_at == 0) {
      // A canceled workflow stops once its running jobs are gone.
      bool active = false;
      for (const auto& j : st.jobs) active |= !model::job_is_terminal(j.status);
      if (!active) st.workflow.stopped_at = now;
    }
    return;
  }
}

void Orchestrator::enqueue_runnable(const store::WorkflowState& st) {
  for (const auto& j : st.jobs)
    if (j.status == js::kQueued) queue_.push(j.id);
}

std::optional<store::Job> Orchestrator::claim_job(const std::string& job_id,
                                                  const std::string& holder, int64_t ttl_ms) {
  auto job = store_.job_by_id(job_id);
  if (!job) return std::nullopt;
  std::unique_lock<std::mutex> serial;
  if (!job->serial_group.empty()) {
    serial = std::unique_lock(serial_mu_);
    // Not now: it stays queued, and the end of the job it waits for wakes it again.
    if (!serial_group_allows(*job)) return std::nullopt;
  }
  std::optional<store::Job> claimed;
  int64_t now = clock_.now_ms();
  update(job->workflow_id, [&](store::WorkflowState& st) {
    for (auto& j : st.jobs) {
      if (j.id != job_id || j.status != js::kQueued) continue;
      j.status = js::kRunning;
      j.started_at = now;
      j.lease_id = uuid_v4();
      j.lease_holder = holder;
      j.lease_expires_at = now + ttl_ms;
      j.lease_count += 1;
      claimed = j;
    }
  });
  return claimed;
}

bool Orchestrator::finish_job(const std::string& job_id, const std::string& status,
                              const std::string& message, const std::string& lease_id) {
  auto job = store_.job_by_id(job_id);
  if (!job) return false;
  int64_t now = clock_.now_ms();
  bool finished = false;
  std::vector<std::string> newly_queued;
  auto st = update(job->workflow_id, [&](store::WorkflowState& st) {
    std::set<std::string> was_queued;
    for (const auto& j : st.jobs)
      if (j.status == js::kQueued) was_queued.insert(j.id);
    for (auto& j : st.jobs) {
      if (j.id != job_id) continue;
      if (model::job_is_terminal(j.status)) return;  // already final (e.g. canceled)
      if (!lease_id.empty() && (j.lease_id != lease_id || j.status != js::kRunning)) return;
      j.status = status;
      if (status == js::kInfrastructureFail && !j.canceled_by.empty()) j.status = js::kCanceled;
      j.stopped_at = now;
      if (j.started_at == 0) j.started_at = now;
      if (!message.empty()) j.message = message;
      j.lease_id.clear();
      j.lease_holder.clear();
      j.lease_expires_at = 0;
      finished = true;
    }
    if (!finished) return;
    advance(st, now);
    for (const auto& j : st.jobs)
      if (j.status == js::kQueued && !was_queued.count(j.id)) newly_queued.push_back(j.id);
  });
  for (auto& id : newly_queued) queue_.push(id);
  if (finished) wake_serial_group(*job);
  return finished;
}

bool Orchestrator::serial_group_allows(const store::Job& job) {
  auto pipeline = store_.pipeline_by_id(job.pipeline_id);
  int64_t mine = pipeline ? pipeline->number : 0;
  for (const auto& [other, number] :
       store_.active_jobs_of_serial_group(job.project_id, job.serial_group)) {
    if (other.id == job.id) continue;
    if (other.status == js::kRunning) return false;
    // Pipeline order: an earlier pipeline's queued job of the group goes first (within one
    // pipeline, the job queued first).
    if (number < mine || (number == mine && other.queued_at < job.queued_at)) return false;
  }
  return true;
}

void Orchestrator::wake_serial_group(const store::Job& job) {
  if (job.serial_group.empty()) return;
  for (const auto& [other, number] :
       store_.active_jobs_of_serial_group(job.project_id, job.serial_group)) {
    if (other.status == js::kQueued) queue_.push(other.id);
  }
}

Orchestrator::Expiry Orchestrator::expire_lease(const std::string& job_id,
                                                const std::string& lease_id,
                                                std::optional<int64_t> expired_by,
                                                const std::function<void()>& after_commit,
                                                const std::string& why) {
  auto job = store_.job_by_id(job_id);
  if (!job || lease_id.empty()) return Expiry::None;
  int64_t now = clock_.now_ms();
  Expiry what = Expiry::None;
  std::vector<std::string> newly_queued;
  update(job->workflow_id, [&](store::WorkflowState& st) {
    std::set<std::string> was_queued;
    for (const auto& j : st.jobs)
      if (j.status == js::kQueued) was_queued.insert(j.id);
    for (auto& j : st.jobs) {
      if (j.id != job_id || j.status != js::kRunning || j.lease_id != lease_id) continue;
      if (expired_by && j.lease_expires_at > *expired_by) continue;  // renewed meanwhile
      j.lease_id.clear();
      j.lease_holder.clear();
      j.lease_expires_at = 0;
      if (j.lease_count < 2 && j.canceled_by.empty()) {
        // Queued again, same job and number. started_at keeps the first attempt's time until
        // the next claim sets it anew (the API never shows a job that ran without one).
        j.status = js::kQueued;
        j.queued_at = now;
        j.message = why + "; the job was queued again";
        what = Expiry::Requeued;
      } else {
        j.status = j.canceled_by.empty() ? js::kInfrastructureFail : js::kCanceled;
        j.stopped_at = now;
        j.message = j.canceled_by.empty() ? why + " again; the job was not queued a third time"
                                          : "canceled; " + why;
        what = Expiry::Failed;
      }
    }
    if (what == Expiry::None) return;
    advance(st, now);
    for (const auto& j : st.jobs)
      if (j.status == js::kQueued && !was_queued.count(j.id)) newly_queued.push_back(j.id);
  });
  if (what == Expiry::None) return what;
  if (after_commit) after_commit();
  if (what == Expiry::Failed) store_.close_running_steps(job_id, "failed", now);
  for (auto& id : newly_queued) queue_.push(id);
  wake_serial_group(*job);
  return what;
}

bool Orchestrator::cancel_workflow(const std::string& workflow_id, const std::string& actor_id) {
  int64_t now = clock_.now_ms();
  std::vector<std::string> to_kill;
  auto st = update(workflow_id, [&](store::WorkflowState& st) {
    if (model::workflow_is_terminal(st.workflow.status)) return;
    st.workflow.canceled = true;
    st.workflow.canceled_by = actor_id;
    for (auto& j : st.jobs) {
      if (j.status == js::kRunning) {
        j.canceled_by = actor_id;  // the runner hears it when it next extends its lease
        to_kill.push_back(j.id);
      } else if (!model::job_is_terminal(j.status)) {
        j.status = js::kCanceled;
        j.canceled_by = actor_id;
        j.stopped_at = now;
      }
    }
    advance(st, now);
  });
  if (!st) return false;
  if (cancel_listener_)
    for (auto& id : to_kill) cancel_listener_(id);
  // A queued job canceled here may have held back later jobs of its serial group.
  for (const auto& j : st->jobs) wake_serial_group(j);
  return true;
}

bool Orchestrator::cancel_job(const std::string& job_id, const std::string& actor_id) {
  auto job = store_.job_by_id(job_id);
  if (!job) return false;
  int64_t now = clock_.now_ms();
  bool kill = false;
  std::vector<std::string> newly_queued;
  update(job->workflow_id, [&](store::WorkflowState& st) {
    for (auto& j : st.jobs) {
      if (j.id != job_id || model::job_is_terminal(j.status)) continue;
      j.canceled_by = actor_id;
      if (j.status == js::kRunning) {
        kill = true;
      } else {
        j.status = js::kCanceled;
        j.stopped_at = now;
      }
    }
    advance(st, now);
  });
  if (kill && cancel_listener_) cancel_listener_(job_id);
  wake_serial_group(*job);
  return true;
}

std::optional<store::WorkflowState> Orchestrator::change_workflow(
    const std::string& workflow_id, const std::function<bool(store::WorkflowState&)>& change) {
  int64_t now = clock_.now_ms();
  std::vector<std::string> newly_queued;
  auto st = update(workflow_id, [&](store::WorkflowState& st) {
    std::set<std::string> was_queued;
    for (const auto& j : st.jobs)
      if (j.status == js::kQueued) was_queued.insert(j.id);
    if (!change(st)) return;
    advance(st, now);
    for (const auto& j : st.jobs)
      if (j.status == js::kQueued && !was_queued.count(j.id)) newly_queued.push_back(j.id);
  });
  for (auto& id : newly_queued) queue_.push(id);
  return st;
}

void Orchestrator::start_workflow(store::WorkflowState st) {
  const store::WorkflowState before = st;
  advance(st, clock_.now_ms());
  if (observer_) observer_(before, st);
  store_.create_workflow(st);
  if (!st.outbox.empty() && events_committed_) events_committed_();
  enqueue_runnable(st);
}

std::optional<store::WorkflowState> Orchestrator::update(
    const std::string& workflow_id, const std::function<void(store::WorkflowState&)>& change) {
  auto st = store_.update_workflow(workflow_id, [&](store::WorkflowState& st) {
    if (!observer_) return change(st);
    const store::WorkflowState before = st;
    change(st);
    observer_(before, st);
  });
  if (st && !st->outbox.empty() && events_committed_) events_committed_();
  return st;
}

void Orchestrator::delete_project(const std::string& project_id, const std::string& actor_id) {
  for (const auto& w : store_.unfinished_workflows(project_id, "")) cancel_workflow(w.id, actor_id);
  // Running jobs end within moments of the kill; wait so no runner writes for a deleted job.
  auto project_running = [&] {
    for (const auto& j : store_.jobs_with_status(js::kRunning))
      if (j.project_id == project_id) return true;
    return false;
  };
  for (int i = 0; i < 300 && project_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto job_ids = store_.job_ids_of_project(project_id);
  // Files go after their records: a crash in between leaves files no record names (space),
  // never records naming files that are gone.
  auto blobs = store_.blobs_of_jobs(job_ids);
  for (const auto& c : store_.caches_of_project(project_id)) blobs.push_back(c.blob);
  store_.delete_project(project_id);
  std::error_code ec;
  for (const auto& id : job_ids) std::filesystem::remove_all(data_dir_ / "logs" / id, ec);
  store::BlobFiles files(data_dir_ / "blobs");
  for (const auto& b : blobs) files.remove(b);
  std::filesystem::remove_all(data_dir_ / "repos" / (project_id + ".git"), ec);
}

void Orchestrator::recover() {
  for (const auto& j : store_.jobs_with_status(js::kQueued)) queue_.push(j.id);
}

}  // namespace halo::engine
