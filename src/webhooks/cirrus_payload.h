// The flat JSON bodies of Cirrus-style webhooks (`build`, `task` and `audit_event`), as
// Cirrus's own receiver test data has them, mapped from halo's pipelines (builds) and jobs
// (tasks).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "store/records.h"

namespace halo::webhooks {

// Cirrus ids are 64-bit integers; halo's are UUIDs. This maps a UUID to a stable positive
// integer below 2^53 (so JavaScript receivers read it exactly). The GraphQL layer must use
// the same mapping.
int64_t cirrus_id(const std::string& uuid);

// BuildStatus for a pipeline: ERRORED for a config error, else derived from its jobs
// (CREATED until something runs, EXECUTING, NEEDS_APPROVAL, then COMPLETED, FAILED or ABORTED).
std::string cirrus_build_status(const store::Pipeline& p, const std::vector<store::Job>& jobs);
// TaskStatus for a job status.
std::string cirrus_task_status(const std::string& job_status);

// What a build or task event says about its repository and build.
struct CirrusSubject {
  store::Project project;
  store::Org org;
  store::Pipeline pipeline;
  std::string build_status;
  int64_t now = 0;  // for durations of unfinished builds
  int64_t build_stopped_at = 0;
};

// {action, old_status?, repository, build, task: {}}. `old_status` empty: omitted.
ordered_json cirrus_build_payload(const CirrusSubject& s, const std::string& action,
                                  const std::string& old_status);
// {action, old_status?, repository, build, task}.
ordered_json cirrus_task_payload(const CirrusSubject& s, const store::Job& j,
                                 const std::string& action, const std::string& old_status,
                                 int64_t status_timestamp);

// One mutating API call (or sign-in) by `actor`.
struct AuditFact {
  std::string id;  // uuid
  std::string type = "graphql.mutation";
  int64_t timestamp = 0;
  std::string mutation_name;  // e.g. "POST /api/v2/webhook"
  store::User actor;
  std::string actor_ip;
  std::optional<store::Project> project;  // the repository it touched, if any
};
ordered_json cirrus_audit_payload(const AuditFact& f, const store::Org& org);

}  // namespace halo::webhooks
