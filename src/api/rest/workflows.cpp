// Workflows: get, list jobs, cancel.
#include "api/rest/audit_trail.h"
#include "api/rest/render.h"
#include "api/rest/routes.h"
#include "common/error.h"

namespace halo::rest {

namespace {

// GET /api/v2/workflow/{id}
http::Response get_workflow(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto w = ctx.access.visible_workflow(u, req.params[0]);
  auto p = ctx.store.pipeline_by_id(w.pipeline_id);
  if (!p) throw not_found("Workflow not found");
  return http::json_response(200, render_workflow(w, *p));
}

// GET /api/v2/workflow/{id}/job
http::Response list_workflow_jobs(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto w = ctx.access.visible_workflow(u, req.params[0]);
  parse_page_token(req.query_param("page-token"));
  auto p = ctx.store.pipeline_by_id(w.pipeline_id);
  auto jobs = ctx.store.jobs_of_workflow(w.id);
  json items = json::array();
  for (const auto& j : jobs)
    items.push_back(render_workflow_job(j, jobs, p ? p->project_slug : ""));
  return http::json_response(200, {{"items", items}, {"next_page_token", nullptr}});
}

// POST /api/v2/workflow/{id}/cancel
http::Response cancel_workflow(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto w = ctx.access.visible_workflow(u, req.params[0]);
  auto project = ctx.store.project_by_id(w.project_id);
  if (!project) throw not_found("Workflow not found");
  ctx.access.require_role(u, project->org_id, "member", "Workflow");
  ctx.orchestrator.cancel_workflow(w.id, u.id);
  audit(ctx, req, u, project->org_id, project);
  return http::json_response(202, {{"message", "Accepted."}});
}

}  // namespace

void register_workflows(http::Router& r, ApiContext& ctx) {
  r.add("GET", "/api/v2/workflow/{id}", endpoint(ctx, get_workflow));
  r.add("GET", "/api/v2/workflow/{id}/job", endpoint(ctx, list_workflow_jobs));
  r.add("POST", "/api/v2/workflow/{id}/cancel", endpoint(ctx, cancel_workflow));
}

}  // namespace halo::rest
