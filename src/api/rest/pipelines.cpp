// Pipelines: trigger (legacy /pipeline and /pipeline/run), get, list, config, values and
// the pipeline's workflows.
#include "api/rest/audit_trail.h"
#include "api/rest/render.h"
#include "api/rest/routes.h"
#include "api/rest/validation.h"
#include "common/error.h"
#include "model/project_slug.h"
#include "model/status.h"

namespace halo::rest {

namespace {

constexpr int kPageSize = 20;

// Git's rules for a ref name, as far as a user can break them.
bool valid_ref_name(const std::string& s) {
  if (s.empty() || s.size() > 255 || s[0] == '-' || s[0] == '/' || s.back() == '/' ||
      s.back() == '.')
    return false;
  if (s.find("..") != std::string::npos || s.find("@{") != std::string::npos ||
      s.find("//") != std::string::npos || s.ends_with(".lock"))
    return false;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f || c == ' ' || c == '~' || c == '^' || c == ':' || c == '?' ||
        c == '*' || c == '[' || c == '\\')
      return false;
  return true;
}

json checked_parameters(const json& body) {
  if (!body.contains("parameters") || body["parameters"].is_null()) return json::object();
  const json& params = body["parameters"];
  if (!params.is_object()) throw bad_request("parameters must be an object");
  if (params.size() > 100) throw bad_request("parameters: at most 100 entries are allowed");
  for (auto& [k, v] : params.items()) {
    if (k.size() > 128)
      throw bad_request("parameters: key '" + k.substr(0, 32) +
                        "...' is longer than 128 characters");
    if (v.is_string()) {
      if (v.get<std::string>().size() > 512)
        throw bad_request("parameters: value of '" + k + "' is longer than 512 characters");
    } else if (!v.is_boolean() && !v.is_number_integer()) {
      throw bad_request("parameters: value of '" + k + "' must be a string, integer or boolean");
    }
  }
  return params;
}

// Reads {branch|tag} from an object (the body, or its "config"/"checkout" member).
void read_ref(const json& obj, const std::string& where, std::string& branch, std::string& tag) {
  if (obj.contains("branch") && !obj["branch"].is_null()) {
    if (!obj["branch"].is_string()) throw bad_request(where + "branch must be a string");
    branch = obj["branch"];
    if (!valid_ref_name(branch)) throw bad_request(where + "branch is not a valid branch name");
  }
  if (obj.contains("tag") && !obj["tag"].is_null()) {
    if (!obj["tag"].is_string()) throw bad_request(where + "tag must be a string");
    tag = obj["tag"];
    if (!valid_ref_name(tag)) throw bad_request(where + "tag is not a valid tag name");
  }
  if (!branch.empty() && !tag.empty())
    throw bad_request(where + "branch and tag are mutually exclusive");
}

json page(ApiContext& ctx, const store::Page<store::Pipeline>& pg) {
  json items = json::array();
  for (const auto& p : pg.items) items.push_back(render_pipeline(ctx, p));
  return {{"items", items},
          {"next_page_token", pg.next_seq ? json(page_token(*pg.next_seq)) : json(nullptr)}};
}

// Both trigger endpoints: the pipeline is created, audited, and answered with CircleCI's
// PipelineCreation shape.
http::Response trigger_and_answer(ApiContext& ctx, const http::Request& req, const store::User& u,
                                  const store::Project& project, const engine::TriggerRequest& t) {
  auto p = ctx.orchestrator.trigger(project, u, t);
  audit(ctx, req, u, project.org_id, project);
  return http::json_response(201, {{"id", p.id},
                                   {"state", p.state},
                                   {"number", p.number},
                                   {"created_at", render_pipeline(ctx, p)["created_at"]}});
}

// POST /api/v2/project/{project-slug}/pipeline
http::Response trigger_pipeline(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto project = ctx.access.visible_project(u, req.params[0]);
  ctx.access.require_role(u, project.org_id, "member", "Project");
  json body = parse_body(req);
  for (auto& [k, v] : body.items())
    if (k != "branch" && k != "tag" && k != "parameters")
      throw bad_request("Unexpected field '" + k + "'; expected branch, tag or parameters");
  engine::TriggerRequest t;
  read_ref(body, "", t.branch, t.tag);
  t.parameters = checked_parameters(body);
  return trigger_and_answer(ctx, req, u, project, t);
}

// POST /api/v2/project/{provider}/{organization}/{project}/pipeline/run
http::Response run_pipeline(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto project =
      ctx.access.visible_project(u, req.params[0] + "/" + req.params[1] + "/" + req.params[2]);
  ctx.access.require_role(u, project.org_id, "member", "Project");
  json body = parse_body(req);
  engine::TriggerRequest t;
  for (auto& [k, v] : body.items()) {
    if (k != "definition_id" && k != "config" && k != "checkout" && k != "parameters")
      throw bad_request("Unexpected field '" + k +
                        "'; expected definition_id, config, checkout or parameters");
  }
  if (body.contains("config")) {
    if (!body["config"].is_object()) throw bad_request("config must be an object");
    read_ref(body["config"], "config.", t.config_branch, t.config_tag);
  }
  if (body.contains("checkout")) {
    if (!body["checkout"].is_object()) throw bad_request("checkout must be an object");
    read_ref(body["checkout"], "checkout.", t.branch, t.tag);
  }
  if (t.branch.empty() && t.tag.empty()) {
    t.branch = t.config_branch;
    t.tag = t.config_tag;
  }
  t.parameters = checked_parameters(body);
  return trigger_and_answer(ctx, req, u, project, t);
}

// GET /api/v2/pipeline
http::Response list_pipelines(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  store::PipelineFilter f;
  f.org_ids = ctx.access.visible_org_ids(u);
  std::string org_slug = req.query_param("org-slug");
  if (!org_slug.empty()) {
    auto slug = model::OrgSlug::parse(org_slug);
    if (!slug) throw not_found("Organization not found");
    std::optional<store::Org> org;
    for (auto& o : ctx.store.all_orgs())
      if (o.vcs_type == model::vcs_type(slug->vcs) && o.name == slug->org) org = o;
    if (!org || !ctx.access.can_see_org(u, org->id)) throw not_found("Organization not found");
    f.org_ids = {org->id};
  } else if (f.org_ids.empty() && !u.is_admin) {
    return http::json_response(200, {{"items", json::array()}, {"next_page_token", nullptr}});
  }
  std::string mine = req.query_param("mine");
  if (mine == "true")
    f.actor_id = u.id;
  else if (!mine.empty() && mine != "false")
    throw bad_request("mine must be true or false");
  auto pg = ctx.store.list_pipelines(f, parse_page_token(req.query_param("page-token")), kPageSize);
  return http::json_response(200, page(ctx, pg));
}

// GET /api/v2/project/{project-slug}/pipeline
http::Response list_project_pipelines(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto project = ctx.access.visible_project(u, req.params[0]);
  store::PipelineFilter f;
  f.project_id = project.id;
  f.branch = req.query_param("branch");
  auto pg = ctx.store.list_pipelines(f, parse_page_token(req.query_param("page-token")), kPageSize);
  return http::json_response(200, page(ctx, pg));
}

// GET /api/v2/project/{project-slug}/pipeline/mine
http::Response list_my_pipelines(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto project = ctx.access.visible_project(u, req.params[0]);
  store::PipelineFilter f;
  f.project_id = project.id;
  f.actor_id = u.id;
  auto pg = ctx.store.list_pipelines(f, parse_page_token(req.query_param("page-token")), kPageSize);
  return http::json_response(200, page(ctx, pg));
}

// GET /api/v2/project/{project-slug}/pipeline/{pipeline-number}
http::Response get_pipeline_by_number(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto project = ctx.access.visible_project(u, req.params[0]);
  auto p = ctx.store.pipeline_by_number(project.id,
                                        parse_int_param(req.params[1], "Pipeline number", 1));
  if (!p) throw not_found("Pipeline not found");
  return http::json_response(200, render_pipeline(ctx, *p));
}

// GET /api/v2/pipeline/{pipeline-id}
http::Response get_pipeline(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  const std::string& id = req.params[0];
  http::Response res;
  if (auto hit = ctx.pipelines.get(id)) {
    if (!ctx.access.can_see_org(u, hit->org_id)) throw not_found("Pipeline not found");
    res.body = std::move(hit->body);
    return res;
  }
  auto p = ctx.access.visible_pipeline(u, id);
  res.body = render_pipeline(ctx, p).dump(-1, ' ', false, json::error_handler_t::replace);
  ctx.pipelines.put(p.id, {p.org_id, res.body});
  return res;
}

// GET /api/v2/pipeline/{pipeline-id}/config
http::Response get_pipeline_config(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_pipeline(u, req.params[0]);
  auto config = ctx.store.pipeline_config(p.id);
  if (!config) throw not_found("Pipeline not found");
  return http::json_response(200, {{"source", config->first}, {"compiled", config->second}});
}

// GET /api/v2/pipeline/{pipeline-id}/values
http::Response get_pipeline_values(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_pipeline(u, req.params[0]);
  return http::json_response(200, p.values);
}

// GET /api/v2/pipeline/{pipeline-id}/workflow
http::Response list_pipeline_workflows(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_pipeline(u, req.params[0]);
  parse_page_token(req.query_param("page-token"));  // validated; one page holds them all
  json items = json::array();
  for (const auto& w : ctx.store.workflows_of_pipeline(p.id))
    items.push_back(render_workflow(w, p));
  return http::json_response(200, {{"items", items}, {"next_page_token", nullptr}});
}

}  // namespace

void register_pipelines(http::Router& r, ApiContext& ctx) {
  r.add("POST", "/api/v2/project/{project-slug}/pipeline", endpoint(ctx, trigger_pipeline));
  r.add("POST", "/api/v2/project/{provider}/{organization}/{project}/pipeline/run",
        endpoint(ctx, run_pipeline));
  r.add("GET", "/api/v2/pipeline", endpoint(ctx, list_pipelines));
  r.add("GET", "/api/v2/project/{project-slug}/pipeline", endpoint(ctx, list_project_pipelines));
  r.add("GET", "/api/v2/project/{project-slug}/pipeline/mine", endpoint(ctx, list_my_pipelines));
  r.add("GET", "/api/v2/project/{project-slug}/pipeline/{pipeline-number}",
        endpoint(ctx, get_pipeline_by_number));
  r.add("GET", "/api/v2/pipeline/{pipeline-id}", endpoint(ctx, get_pipeline));
  r.add("GET", "/api/v2/pipeline/{pipeline-id}/config", endpoint(ctx, get_pipeline_config));
  r.add("GET", "/api/v2/pipeline/{pipeline-id}/values", endpoint(ctx, get_pipeline_values));
  r.add("GET", "/api/v2/pipeline/{pipeline-id}/workflow", endpoint(ctx, list_pipeline_workflows));
}

}  // namespace halo::rest
