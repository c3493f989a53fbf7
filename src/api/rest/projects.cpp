// POST /project/{provider}/{org}/{project} (create; halo's extension takes vcs_url) and
// GET /project/{project-slug}.
#include <regex>

#include "api/rest/audit_trail.h"
#include "api/rest/render.h"
#include "api/rest/routes.h"
#include "common/crypto.h"
#include "common/error.h"
#include "common/time.h"
#include "model/project_slug.h"

namespace halo::rest {

namespace {

json default_settings() {
  return {{"advanced",
           {{"autocancel_builds", false},
            {"build_fork_prs", false},
            {"build_prs_only", false},
            {"disable_ssh", false},
            {"forks_receive_secret_env_vars", false},
            {"oss", false},
            {"set_github_status", false},
            {"setup_workflows", false},
            {"write_settings_requires_admin", false},
            {"pr_only_branch_overrides", json::array()}}}};
}

bool valid_name(const std::string& s) {
  static const std::regex re("^[A-Za-z0-9_.-]{1,100}$");
  return std::regex_match(s, re) && s != "." && s != "..";
}

bool valid_vcs_url(const std::string& url) {
  if (url.empty() || url.size() > 2048) return false;
  for (char c : url)
    if (static_cast<unsigned char>(c) < 0x20) return false;
  static const std::regex re(R"(^(file://|/|https?://|ssh://|git://|[A-Za-z0-9_.-]+@[^:]+:).+)");
  return std::regex_match(url, re) && url[0] != '-';
}

// POST /api/v2/project/{provider}/{organization}/{project}
http::Response create_project(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  json body = parse_body(req);
  auto slug = model::ProjectSlug::parse(req.params[0] + "/" + req.params[1] + "/" + req.params[2]);
  if (!slug) throw bad_request("Unknown provider '" + req.params[0] + "': use gh, bb or circleci");
  if (!valid_name(req.params[1]) || !valid_name(req.params[2]))
    throw bad_request(
        "Organization and project names may use only letters, digits, '_', '.' and '-'");
  if (!body.contains("vcs_url") || !body["vcs_url"].is_string())
    throw bad_request("vcs_url is required: the git URL or file:// path of the repository");
  std::string vcs_url = body["vcs_url"];
  if (!valid_vcs_url(vcs_url))
    throw bad_request(
        "vcs_url must be a git URL (https://, ssh://, git@host:path) or a file:// or absolute "
        "path");
  std::string branch = "main";
  if (body.contains("default_branch")) {
    if (!body["default_branch"].is_string() || body["default_branch"].get<std::string>().empty())
      throw bad_request("default_branch must be a non-empty string");
    branch = body["default_branch"];
  }
  std::string vcs_type(model::vcs_type(slug->vcs));
  bool created = false;
  store::Org org = ctx.store.ensure_org(vcs_type, req.params[1], &created);
  auto role = ctx.store.member_role(org.id, u.id);
  if (created) {
    ctx.store.add_member(org.id, u.id, "admin");  // a new org belongs to its creator
  } else if (!role && !u.is_admin) {
    throw not_found("Organization not found");  // someone else's org: invisible, not forbidden
  } else if (role && *role == "viewer") {
    throw ApiError(403, "Only org admins and members can create projects");
  }
  store::Project p;
  p.id = uuid_v4();
  p.org_id = org.id;
  p.slug = slug->str();
  p.org_name = org.name;
  p.name = req.params[2];
  p.vcs_url = vcs_url;
  p.default_branch = branch;
  p.created_at = now_ms();
  if (!ctx.store.create_project(p)) throw bad_request("Project " + p.slug + " already exists");
  audit(ctx, req, u, org.id, p);
  return http::json_response(201, default_settings());
}

// GET /api/v2/project/{project-slug}
http::Response get_project(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  return http::json_response(200,
                             render_project(ctx, ctx.access.visible_project(u, req.params[0])));
}

}  // namespace

void register_projects(http::Router& r, ApiContext& ctx) {
  r.add("POST", "/api/v2/project/{provider}/{organization}/{project}",
        endpoint(ctx, create_project));
  r.add("GET", "/api/v2/project/{project-slug}", endpoint(ctx, get_project));
}

}  // namespace halo::rest
