// Records the Cirrus-style audit fact of a mutating REST call, explicitly, from the handler
// that made the change: the org it acted on, the actor, the project (if any) and the
// operation. Nothing is reconstructed from routes afterwards; a handler that changes
// something calls audit() once the change is written and before it answers.
#pragma once
#include <optional>
#include <string>

#include "api/http/message.h"
#include "api/rest/api_context.h"

namespace halo::rest {

// Writes the audit event for `org_id` (only if that org has a Cirrus hook). The operation is
// named by the endpoint that was called, e.g. "POST /api/v2/project/{project-slug}/pipeline",
// and the actor's IP is the request's peer. Never throws: a failure is logged, not answered,
// because the change it describes is already durable.
void audit(ApiContext& ctx, const http::Request& req, const store::User& actor,
           const std::string& org_id, const std::optional<store::Project>& project = std::nullopt);

// The same for a change that concerns a user rather than one org (accounts, tokens): one
// event in every org the user `subject_id` belongs to.
void audit_user_orgs(ApiContext& ctx, const http::Request& req, const store::User& actor,
                     const std::string& subject_id);

}  // namespace halo::rest
