// Workflows: get, list jobs, cancel, approve a job, rerun.
#include "api/rest/audit_trail.h"
#include "api/rest/render.h"
#include "api/rest/routes.h"
#include "api/rest/validation.h"
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

// The project of a workflow the user may change (a member or admin of its org); 404 or 403.
store::Project changeable_project(ApiContext& ctx, const store::User& u, const store::Workflow& w) {
  auto project = ctx.store.project_by_id(w.project_id);
  if (!project) throw not_found("Workflow not found");
  ctx.access.require_role(u, project->org_id, "member", "Workflow");
  return *project;
}

// POST /api/v2/workflow/{id}/cancel
http::Response cancel_workflow(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto w = ctx.access.visible_workflow(u, req.params[0]);
  auto project = changeable_project(ctx, u, w);
  ctx.orchestrator.cancel_workflow(w.id, u.id);
  audit(ctx, req, u, project.org_id, project);
  return http::json_response(202, {{"message", "Accepted."}});
}

// A workflow operation's refusal as the API answers it.
ApiError refused(const engine::Refusal& r) {
  return ApiError(r.kind == engine::Refusal::Kind::NotFound ? 404 : 400, r.message);
}

// POST /api/v2/workflow/{id}/approve/{approval_request_id}
http::Response approve_job(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto w = ctx.access.visible_workflow(u, req.params[0]);
  auto project = changeable_project(ctx, u, w);
  if (auto refusal = ctx.approvals.approve(w.id, req.params[1], u)) throw refused(*refusal);
  audit(ctx, req, u, project.org_id, project);
  return http::json_response(202, {{"message", "Accepted."}});
}

// POST /api/v2/workflow/{id}/rerun
http::Response rerun_workflow(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto w = ctx.access.visible_workflow(u, req.params[0]);
  auto project = changeable_project(ctx, u, w);
  // The spec lets the body be null: a plain rerun, as an empty one.
  json body = req.body == "null" ? json::object() : parse_body(req);
  allow_only(body, {"enable_ssh", "from_failed", "jobs", "sparse_tree"});
  engine::RerunRequest r;
  r.enable_ssh = optional_bool(body, "enable_ssh");
  r.from_failed = optional_bool(body, "from_failed");
  r.jobs = optional_strings(body, "jobs");
  r.sparse_tree = optional_bool(body, "sparse_tree");
  auto result = ctx.reruns.rerun(w.id, r, u);
  if (result.refusal) throw refused(*result.refusal);
  audit(ctx, req, u, project.org_id, project);
  return http::json_response(202, {{"workflow_id", result.workflow_id}});
}

}  // namespace

void register_workflows(http::Router& r, ApiContext& ctx) {
  r.add("GET", "/api/v2/workflow/{id}", endpoint(ctx, get_workflow));
  r.add("GET", "/api/v2/workflow/{id}/job", endpoint(ctx, list_workflow_jobs));
  r.add("POST", "/api/v2/workflow/{id}/cancel", endpoint(ctx, cancel_workflow));
  r.add("POST", "/api/v2/workflow/{id}/approve/{approval_request_id}", endpoint(ctx, approve_job));
  r.add("POST", "/api/v2/workflow/{id}/rerun", endpoint(ctx, rerun_workflow));
}

}  // namespace halo::rest
