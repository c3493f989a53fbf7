// The JSON bodies of CircleCI outbound webhook events (`workflow-completed` and
// `job-completed`), field for field as CircleCI's outbound-webhooks reference describes them.
// Bodies are built once, stored in the outbox and sent byte for byte on every attempt.
#pragma once
#include <cstdint>
#include <string>

#include "common/json.h"
#include "store/records.h"

namespace halo::webhooks {

// Everything an event describes besides its workflow and job.
struct EventSubject {
  store::Project project;
  store::Org org;
  store::Pipeline pipeline;
  std::string base_url;  // the server's public URL, for workflow.url
};

// Identity of one event: `id` stays the same across delivery attempts (receivers de-duplicate
// on it); `happened_at` is when the state change committed.
struct EventStamp {
  std::string id;
  int64_t happened_at = 0;
};

// "github/acme/app": CircleCI's payloads use the long VCS name, unlike API slugs ("gh/...").
std::string long_slug(const store::Project& p, const store::Org& o);

// Job statuses as the payload's documented enum has them (success, failed, canceled,
// unauthorized): timedout, infrastructure_fail and terminated-unknown are failures.
std::string payload_job_status(const std::string& status);

ordered_json job_completed_payload(const EventSubject& s, const store::Workflow& w,
                                   const store::Job& j, const store::Webhook& hook,
                                   const EventStamp& stamp);
ordered_json workflow_completed_payload(const EventSubject& s, const store::Workflow& w,
                                        const store::Webhook& hook, const EventStamp& stamp);

}  // namespace halo::webhooks
