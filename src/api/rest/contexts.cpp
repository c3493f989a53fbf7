// Contexts: create/list/get/delete, their environment variables (values write-only) and
// restrictions. Reading needs org membership; changing needs the org admin role.
#include "api/rest/audit_trail.h"
#include "api/rest/render.h"
#include "api/rest/routes.h"
#include "api/rest/validation.h"
#include "common/crypto.h"
#include "common/error.h"
#include "common/time.h"
#include "config/expression.h"
#include "engine/users.h"

namespace halo::rest {

namespace {

json render_context(const store::Context& c) {
  return {{"id", c.id}, {"name", c.name}, {"created_at", rfc3339(c.created_at)}};
}

json render_env(const store::EnvVar& v, const std::string& context_id) {
  return {{"variable", v.name},
          {"created_at", rfc3339(v.created_at)},
          {"updated_at", rfc3339(v.updated_at)},
          {"context_id", context_id}};
}

json render_restriction(ApiContext& ctx, const store::ContextRestriction& r) {
  json out = {{"id", r.id},
              {"context_id", r.context_id},
              {"name", r.name},
              {"restriction_type", r.type},
              {"restriction_value", r.value}};
  if (r.type == "project") out["project_id"] = r.value;
  (void)ctx;
  return out;
}

// The context, if the user may see it (else 404), with the role checked.
store::Context context_for(ApiContext& ctx, const store::User& u, const std::string& id,
                           const std::string& min_role) {
  if (!is_uuid(id)) throw not_found("Context not found");
  auto c = ctx.store.context_by_id(id);
  if (!c) throw not_found("Context not found");
  ctx.access.require_role(u, c->org_id, min_role, "Context");
  return *c;
}

// Resolves an owner given by id or by slug to a visible org id.
std::string owner_org(ApiContext& ctx, const store::User& u, const std::string& id,
                      const std::string& slug) {
  if (!id.empty()) {
    if (!is_uuid(id)) throw bad_request("owner id must be a UUID");
    auto org = ctx.store.org_by_id(id);
    if (!org || ctx.access.role_in(u, org->id).empty()) throw not_found("Organization not found");
    return org->id;
  }
  std::string vcs_type, name;
  if (!engine::parse_org_slug(slug, vcs_type, name))
    throw bad_request("owner slug must be an org slug such as gh/acme");
  for (const auto& o : ctx.store.all_orgs())
    if (o.vcs_type == vcs_type && o.name == name && !ctx.access.role_in(u, o.id).empty())
      return o.id;
  throw not_found("Organization not found");
}

// POST /api/v2/context
http::Response create_context(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  json body = parse_body(req);
  allow_only(body, {"name", "owner"});
  std::string name = required_string(body, "name", 512);
  check_name(name, "name", 512);
  if (!body.contains("owner") || !body["owner"].is_object())
    throw bad_request("owner is required: {\"id\": <org id>} or {\"slug\": <org slug>}");
  const json& owner = body["owner"];
  for (auto& [k, v] : owner.items()) {
    if (k != "id" && k != "slug" && k != "type")
      throw bad_request("Unexpected field 'owner." + k + "'");
    if (!v.is_string()) throw bad_request("owner." + k + " must be a string");
  }
  std::string type = owner.value("type", "organization");
  if (type != "organization" && type != "account")
    throw bad_request("owner.type must be organization or account");
  std::string id = owner.value("id", ""), slug = owner.value("slug", "");
  if (id.empty() == slug.empty()) throw bad_request("owner needs exactly one of id and slug");
  std::string org_id = owner_org(ctx, u, id, slug);
  ctx.access.require_role(u, org_id, "admin", "Organization");
  auto c = ctx.store.create_context(org_id, name);
  if (!c) throw bad_request("A context named '" + name + "' already exists in this organization");
  audit(ctx, req, u, org_id);
  return http::json_response(200, render_context(*c));
}

// GET /api/v2/context
http::Response list_contexts(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  std::string id = req.query_param("owner-id"), slug = req.query_param("owner-slug");
  std::string type = req.query_param("owner-type");
  if (!type.empty() && type != "organization" && type != "account")
    throw bad_request("owner-type must be organization or account");
  if (id.empty() == slug.empty()) throw bad_request("Pass exactly one of owner-id and owner-slug");
  parse_page_token(req.query_param("page-token"));
  std::string org_id = owner_org(ctx, u, id, slug);
  json items = json::array();
  for (const auto& c : ctx.store.contexts_of_org(org_id)) items.push_back(render_context(c));
  return http::json_response(200, {{"items", items}, {"next_page_token", nullptr}});
}

// GET /api/v2/context/{context_id}
http::Response get_context(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  return http::json_response(200, render_context(context_for(ctx, u, req.params[0], "viewer")));
}

// DELETE /api/v2/context/{context_id}
http::Response delete_context(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto c = context_for(ctx, u, req.params[0], "admin");
  ctx.store.delete_context(c.id);
  audit(ctx, req, u, c.org_id);
  return http::json_response(200, {{"message", "Context deleted."}});
}

// GET /api/v2/context/{context_id}/environment-variable
http::Response list_context_env(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto c = context_for(ctx, u, req.params[0], "viewer");
  parse_page_token(req.query_param("page-token"));
  json items = json::array();
  for (const auto& v : ctx.store.context_env(c.id)) items.push_back(render_env(v, c.id));
  return http::json_response(200, {{"items", items}, {"next_page_token", nullptr}});
}

// PUT /api/v2/context/{context_id}/environment-variable/{env_var_name}
http::Response put_context_env(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto c = context_for(ctx, u, req.params[0], "admin");
  const std::string& name = req.params[1];
  check_env_var_name(name, "env_var_name");
  json body = parse_body(req);
  allow_only(body, {"value"});
  if (!body.contains("value") || !body["value"].is_string())
    throw bad_request("value is required and must be a string");
  std::string value = body["value"];
  if (value.size() > 32 * 1024) throw bad_request("value must be at most 32768 characters");
  auto v = ctx.store.put_context_env(c.id, name, ctx.vault.seal_context_env(c.id, name, value));
  audit(ctx, req, u, c.org_id);
  return http::json_response(200, render_env(v, c.id));
}

// DELETE /api/v2/context/{context_id}/environment-variable/{env_var_name}
http::Response delete_context_env(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto c = context_for(ctx, u, req.params[0], "admin");
  if (!ctx.store.delete_context_env(c.id, req.params[1]))
    throw not_found("Environment variable not found");
  audit(ctx, req, u, c.org_id);
  return http::json_response(200, {{"message", "Environment variable deleted."}});
}

// GET /api/v2/context/{context_id}/restrictions
http::Response list_restrictions(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto c = context_for(ctx, u, req.params[0], "viewer");
  json items = json::array();
  for (const auto& x : ctx.store.restrictions(c.id)) items.push_back(render_restriction(ctx, x));
  return http::json_response(200, {{"items", items}, {"next_page_token", nullptr}});
}

// POST /api/v2/context/{context_id}/restrictions
http::Response create_restriction(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto c = context_for(ctx, u, req.params[0], "admin");
  json body = parse_body(req);
  allow_only(body, {"restriction_type", "restriction_value"});
  std::string type = required_string(body, "restriction_type", 32);
  std::string value = required_string(body, "restriction_value", 1024);
  store::ContextRestriction x{uuid_v4(), c.id, type, value, "", now_ms()};
  if (type == "project") {
    if (!is_uuid(value))
      throw bad_request("restriction_value must be a project id for a project restriction");
    auto p = ctx.store.project_by_id(value);
    if (!p || p->org_id != c.org_id)
      throw bad_request(
          "restriction_value: no project with that id in this context's organization");
    x.name = p->slug;
  } else if (type == "expression") {
    if (!config::is_bare_expression(value))
      throw bad_request(
          "restriction_value is not a valid expression (e.g. pipeline.git.branch == \"main\")");
    x.name = value;
  } else if (type == "group") {
    throw bad_request("restriction_type 'group' is not supported: halo has no groups yet");
  } else {
    throw bad_request("restriction_type must be project, expression or group");
  }
  ctx.store.add_restriction(x);
  audit(ctx, req, u, c.org_id);
  json out = render_restriction(ctx, x);
  out.erase("context_id");
  return http::json_response(201, out);
}

// DELETE /api/v2/context/{context_id}/restrictions/{restriction_id}
http::Response delete_restriction(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto c = context_for(ctx, u, req.params[0], "admin");
  if (!ctx.store.delete_restriction(c.id, req.params[1])) throw not_found("Restriction not found");
  audit(ctx, req, u, c.org_id);
  return http::json_response(200, {{"message", "Restriction deleted."}});
}

}  // namespace

void register_contexts(http::Router& r, ApiContext& ctx) {
  r.add("POST", "/api/v2/context", endpoint(ctx, create_context));
  r.add("GET", "/api/v2/context", endpoint(ctx, list_contexts));
  r.add("GET", "/api/v2/context/{context_id}", endpoint(ctx, get_context));
  r.add("DELETE", "/api/v2/context/{context_id}", endpoint(ctx, delete_context));
  r.add("GET", "/api/v2/context/{context_id}/environment-variable",
        endpoint(ctx, list_context_env));
  r.add("PUT", "/api/v2/context/{context_id}/environment-variable/{env_var_name}",
        endpoint(ctx, put_context_env));
  r.add("DELETE", "/api/v2/context/{context_id}/environment-variable/{env_var_name}",
        endpoint(ctx, delete_context_env));
  r.add("GET", "/api/v2/context/{context_id}/restrictions", endpoint(ctx, list_restrictions));
  r.add("POST", "/api/v2/context/{context_id}/restrictions", endpoint(ctx, create_restriction));
  r.add("DELETE", "/api/v2/context/{context_id}/restrictions/{restriction_id}",
        endpoint(ctx, delete_restriction));
}

}  // namespace halo::rest
