// Rerunning a finished workflow, as CircleCI does: a new workflow of the same pipeline (same
// revision, same compiled jobs) whose jobs run again, all of them or those the request
// selects (model/rerun_selection.h); the others are carried over with their outcome and
// count as done for their dependants. Job numbers continue per project. The new workflow
// remembers the one it reruns (Workflow::rerun_of). Who may rerun (a member or admin of the
// project's org) is the caller's to check with engine::Access first.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "engine/orchestrator.h"
#include "engine/refusal.h"
#include "store/store.h"

namespace halo::engine {

// The body of CircleCI's rerun request.
struct RerunRequest {
  bool from_failed = false;       // rerun the jobs that did not succeed
  std::vector<std::string> jobs;  // ids of the jobs to rerun (with what is downstream of them)
  bool sparse_tree = false;       // with `jobs`: carry over every job that is not downstream
  bool enable_ssh = false;        // always refused: halo offers no SSH reruns
};

struct RerunResult {
  std::string workflow_id;         // the new workflow, when started
  std::optional<Refusal> refusal;  // else why not; nothing was created
};

class Reruns {
 public:
  // A workflow is rerun at most this many times (CircleCI's limit).
  static constexpr int kMaxReruns = 100;

  Reruns(store::Store& store, Orchestrator& orchestrator)
      : store_(store), orchestrator_(orchestrator) {}

  // Starts the rerun of `workflow_id` on behalf of `actor` (its started_by). Refusals:
  // NotFound for an unknown workflow; Invalid for enable_ssh, from_failed with jobs,
  // sparse_tree without jobs, a job id that is not a job of the workflow, a workflow that has
  // not finished, from_failed when every job succeeded, and a workflow rerun kMaxReruns times.
  RerunResult rerun(const std::string& workflow_id, const RerunRequest& req,
                    const store::User& actor);

 private:
  store::Store& store_;
  Orchestrator& orchestrator_;
};

// The workflow a chain of reruns started from: `workflow_id` itself unless it is a rerun.
// Reruns share its workspace id (CIRCLE_WORKFLOW_WORKSPACE_ID), as on CircleCI.
std::string first_run_of(store::PipelineStore& store, const std::string& workflow_id);

}  // namespace halo::engine
