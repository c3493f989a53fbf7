// JSON shapes of the CircleCI API v2 objects, exactly as the spec names their fields.
#pragma once
#include "api/rest/api_context.h"
#include "common/json.h"
#include "store/records.h"

namespace halo::rest {

json render_pipeline(ApiContext& ctx, const store::Pipeline& p);
json render_workflow(const store::Workflow& w, const store::Pipeline& p);
// `all` is every job of the workflow (to turn `requires` names into dependency ids).
json render_workflow_job(const store::Job& j, const std::vector<store::Job>& all,
                         const std::string& project_slug);
json render_job_details(ApiContext& ctx, const store::Job& j, const store::Project& project);
json render_project(ApiContext& ctx, const store::Project& p);
json render_user(const store::User& u);

// null for "not yet", RFC 3339 otherwise.
json time_or_null(int64_t ms);
// "GitHub", "Bitbucket" or "CircleCI" from a slug's first segment.
std::string provider_title(const std::string& slug);

}  // namespace halo::rest
