// The workflow DAG rules, as a pure function over a workflow's jobs: which blocked jobs
// become queued or not_run after some job changed, and what the workflow's status is.
// The engine calls it inside the store's transaction; it touches no I/O.
#pragma once
#include <string>
#include <vector>

namespace halo::model {

struct GraphRequirement {
  std::string job;                    // workflow-local name of the required job
  std::vector<std::string> statuses;  // allowed outcomes, e.g. {"success"}
};

struct GraphJob {
  std::string name;  // workflow-local, unique
  std::string status;
  std::vector<GraphRequirement> requirements;
};

struct GraphUpdate {
  std::vector<size_t> queued;   // indexes of jobs that move blocked -> queued
  std::vector<size_t> not_run;  // indexes of jobs that move blocked -> not_run
  std::string workflow_status;  // derived after applying the moves
};

// Applies the DAG rules to a fixpoint (a not_run job can make its dependants not_run) and
// updates `jobs` in place. `canceled` is true once someone canceled the workflow.
GraphUpdate advance(std::vector<GraphJob>& jobs, bool canceled);

// The jobs `index` depends on, directly or not, in an order where every job comes after the
// jobs it requires (ties in the order of `jobs`). Unknown requirement names are ignored.
std::vector<size_t> upstream_in_order(const std::vector<GraphJob>& jobs, size_t index);

// The workflow status implied by its jobs' statuses.
std::string derive_workflow_status(const std::vector<GraphJob>& jobs, bool canceled);

}  // namespace halo::model
