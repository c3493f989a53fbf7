// Jobs: details by project and number, cancel by number or by id.
#include "api/rest/audit_trail.h"
#include "api/rest/render.h"
#include "api/rest/routes.h"
#include "api/rest/validation.h"
#include "common/error.h"

namespace halo::rest {

namespace {

void require_member(ApiContext& ctx, const store::User& u, const std::string& org_id) {
  ctx.access.require_role(u, org_id, "member", "Job");
}

// GET /api/v2/project/{project-slug}/job/{job-number}
http::Response get_job(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto project = ctx.access.visible_project(u, req.params[0]);
  auto job = ctx.store.job_by_number(project.id, parse_int_param(req.params[1], "Job number", 1));
  // An approval job has a number but no details, as on CircleCI (404 there too).
  if (!job || job->type == "approval") throw not_found("Job not found");
  return http::json_response(200, render_job_details(ctx, *job, project));
}

// POST /api/v2/project/{project-slug}/job/{job-number}/cancel
http::Response cancel_job_by_number(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto project = ctx.access.visible_project(u, req.params[0]);
  auto job = ctx.store.job_by_number(project.id, parse_int_param(req.params[1], "Job number", 1));
  if (!job) throw not_found("Job not found");
  require_member(ctx, u, project.org_id);
  ctx.orchestrator.cancel_job(job->id, u.id);
  audit(ctx, req, u, project.org_id, project);
  return http::json_response(202, {{"message", "Accepted."}});
}

// POST /api/v2/jobs/{job-id}/cancel
http::Response cancel_job_by_id(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto job = ctx.access.visible_job(u, req.params[0]);
  auto project = ctx.store.project_by_id(job.project_id);
  require_member(ctx, u, project->org_id);
  ctx.orchestrator.cancel_job(job.id, u.id);
  audit(ctx, req, u, project->org_id, project);
  return http::json_response(200, {{"message", "Job cancelled."}});
}

}  // namespace

void register_jobs(http::Router& r, ApiContext& ctx) {
  r.add("GET", "/api/v2/project/{project-slug}/job/{job-number}", endpoint(ctx, get_job));
  r.add("POST", "/api/v2/project/{project-slug}/job/{job-number}/cancel",
        endpoint(ctx, cancel_job_by_number));
  r.add("POST", "/api/v2/jobs/{job-id}/cancel", endpoint(ctx, cancel_job_by_id));
}

}  // namespace halo::rest
