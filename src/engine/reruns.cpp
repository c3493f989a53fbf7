#include "engine/reruns.h"

#include <algorithm>
#include <set>

#include "common/crypto.h"
#include "engine/job_graph.h"
#include "model/rerun_selection.h"
#include "model/status.h"

namespace halo::engine {

namespace {

// The job as it runs again in `workflow`: same compiled job, nothing of the earlier run.
store::Job fresh_copy(const store::Job& old, const store::Workflow& workflow, int64_t now) {
  store::Job j;
  j.id = uuid_v4();
  j.workflow_id = workflow.id;
  j.pipeline_id = old.pipeline_id;
  j.project_id = old.project_id;
  j.name = old.name;
  j.type = old.type;
  j.status = model::job_status::kBlocked;
  j.position = old.position;
  j.requirements = old.requirements;
  j.spec = old.spec;
  j.contexts = old.contexts;
  j.serial_group = old.serial_group;
  j.created_at = now;
  return j;
}

// The job carried over into `workflow`: it stands for the job that really ran, with its
// outcome and number.
store::Job carried_copy(const store::Job& old, const store::Workflow& workflow) {
  store::Job j = old;
  j.id = uuid_v4();
  j.workflow_id = workflow.id;
  j.origin_job_id = old.origin_job_id.empty() ? old.id : old.origin_job_id;
  j.lease_id.clear();
  j.lease_holder.clear();
  j.lease_expires_at = 0;
  return j;
}

std::optional<Refusal> check_request(const RerunRequest& req) {
  if (req.enable_ssh)
    return Refusal::invalid(
        "halo does not offer SSH reruns (enable_ssh); rerun without it and debug with "
        "`halo local execute` instead");
  if (req.from_failed && !req.jobs.empty())
    return Refusal::invalid("from_failed and jobs cannot be used together");
  if (req.sparse_tree && req.jobs.empty())
    return Refusal::invalid("sparse_tree needs jobs: the ids of the jobs to rerun");
  return std::nullopt;
}

}  // namespace

RerunResult Reruns::rerun(const std::string& workflow_id, const RerunRequest& req,
                          const store::User& actor) {
  auto old = store_.workflow_by_id(workflow_id);
  if (!old) return {"", Refusal::not_found("Workflow not found")};
  if (auto bad = check_request(req)) return {"", bad};
  // CircleCI's own answer, word for word.
  if (!model::workflow_is_terminal(old->status))
    return {"", Refusal::invalid("Workflow must be in a terminal state to be rerun")};

  auto jobs = store_.jobs_of_workflow(workflow_id);
  std::set<std::string> chosen;
  for (const auto& id : req.jobs) {
    auto it = std::find_if(jobs.begin(), jobs.end(), [&](const auto& j) { return j.id == id; });
    if (it == jobs.end())
      return {"", Refusal::invalid("Job " + id + " is not a job of workflow " + workflow_id)};
    chosen.insert(it->name);
  }
  auto mode = req.from_failed    ? model::RerunMode::FromFailed
              : req.jobs.empty() ? model::RerunMode::All
              : req.sparse_tree  ? model::RerunMode::SparseTree
                                 : model::RerunMode::Jobs;
  std::vector<size_t> again = model::jobs_to_rerun(graph_of(jobs), mode, chosen);
  if (again.empty())
    return {"", Refusal::invalid("Workflow '" + old->name + "' has no failed jobs to rerun")};

  auto siblings = store_.workflows_of_pipeline(old->pipeline_id);
  int runs = 0, last_position = 0;
  for (const auto& w : siblings) {
    if (w.name == old->name) ++runs;
    last_position = std::max(last_position, w.position);
  }
  if (runs > kMaxReruns)
    return {"", Refusal::invalid("Workflow '" + old->name + "' was already rerun " +
                                 std::to_string(kMaxReruns) +
                                 " times; trigger a new pipeline instead")};

  int64_t now = orchestrator_.clock().now_ms();
  store::WorkflowState st;
  store::Workflow& w = st.workflow;
  w.id = uuid_v4();
  w.pipeline_id = old->pipeline_id;
  w.project_id = old->project_id;
  w.name = old->name;
  w.status = model::workflow_status::kRunning;
  w.created_at = now;
  w.started_by = actor.id;
  w.position = last_position + 1;
  w.rerun_of = old->id;
  std::set<size_t> rerun_set(again.begin(), again.end());
  for (size_t i = 0; i < jobs.size(); ++i)
    st.jobs.push_back(rerun_set.count(i) ? fresh_copy(jobs[i], w, now) : carried_copy(jobs[i], w));
  std::string id = w.id;
  orchestrator_.start_workflow(std::move(st));
  return {id, std::nullopt};
}

std::string first_run_of(store::PipelineStore& store, const std::string& workflow_id) {
  std::string id = workflow_id;
  // Bounded: a chain is at most kMaxReruns long, and a damaged one must not loop.
  for (int i = 0; i <= Reruns::kMaxReruns; ++i) {
    auto w = store.workflow_by_id(id);
    if (!w || w->rerun_of.empty()) break;
    id = w->rerun_of;
  }
  return id;
}

}  // namespace halo::engine
