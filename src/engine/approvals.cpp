#include "engine/approvals.h"

#include "model/status.h"

namespace halo::engine {

namespace js = model::job_status;

std::optional<Refusal> Approvals::approve(const std::string& workflow_id, const std::string& job_id,
                                          const store::User& actor) {
  std::optional<Refusal> refusal;
  int64_t now = orchestrator_.clock().now_ms();
  // Checked inside the workflow's transaction, so of two approvals at once one is refused.
  auto st = orchestrator_.change_workflow(workflow_id, [&](store::WorkflowState& st) {
    store::Job* job = nullptr;
    for (auto& j : st.jobs)
      if (j.id == job_id) job = &j;
    if (!job) {
      refusal = Refusal::not_found("Approval request " + job_id + " is not a job of workflow " +
                                   workflow_id);
    } else if (job->type != "approval") {
      refusal = Refusal::invalid("Job '" + job->name + "' is not an approval job");
    } else if (!job->approved_by.empty()) {
      refusal = Refusal::invalid("Job '" + job->name + "' was already approved");
    } else if (job->status != js::kOnHold) {
      refusal = Refusal::invalid("Job '" + job->name + "' is not on hold, so it cannot be " +
                                 "approved (its status is " + job->status + ")");
    }
    if (refusal) return false;
    job->status = js::kSuccess;
    job->approved_by = actor.id;
    // An approval job "runs" while it is on hold: from then until it is approved.
    job->started_at = job->queued_at ? job->queued_at : now;
    job->stopped_at = now;
    return true;
  });
  if (!st) return Refusal::not_found("Workflow not found");
  return refusal;
}

}  // namespace halo::engine
