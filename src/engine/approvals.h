// Approving an approval job (`type: approval`), the one way a workflow on hold goes on: the
// job, named by its id in its workflow, must be on hold; it ends `success` with `approved_by`,
// and the jobs that require it run. Who may approve (a member or admin of the project's org)
// is the caller's to check with engine::Access first.
#pragma once
#include <optional>
#include <string>

#include "engine/orchestrator.h"
#include "engine/refusal.h"
#include "store/store.h"

namespace halo::engine {

class Approvals {
 public:
  explicit Approvals(Orchestrator& orchestrator) : orchestrator_(orchestrator) {}

  // nullopt once the job is approved. Else why not, with nothing changed: NotFound when the
  // workflow is unknown or has no job `job_id`; Invalid when that job is not an approval job,
  // was already approved, or is not on hold (still blocked, canceled, not run).
  std::optional<Refusal> approve(const std::string& workflow_id, const std::string& job_id,
                                 const store::User& actor);

 private:
  Orchestrator& orchestrator_;
};

}  // namespace halo::engine
