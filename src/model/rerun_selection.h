// Which jobs of a finished workflow a rerun runs again, as a pure function over the
// workflow's DAG (CircleCI's rules; see docs/api-compatibility.md). The jobs it does not run
// again are carried over into the new workflow with their outcome, and count as done for
// their dependants there.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "model/workflow_graph.h"

namespace halo::model {

enum class RerunMode {
  All,         // every job (a plain rerun)
  FromFailed,  // every job that did not succeed; successful ones are carried over
  Jobs,        // the chosen jobs and everything downstream of them; upstream ones carried over
  SparseTree,  // the chosen jobs and everything downstream of them; all others carried over
};

// Indexes into `jobs` of the jobs to run again, in order. `chosen` (names) is used by Jobs and
// SparseTree only. For Jobs, a job that is neither upstream nor downstream of a chosen job
// runs again as well (that is what SparseTree saves, in workflows of disconnected subgraphs).
std::vector<size_t> jobs_to_rerun(const std::vector<GraphJob>& jobs, RerunMode mode,
                                  const std::set<std::string>& chosen = {});

}  // namespace halo::model
