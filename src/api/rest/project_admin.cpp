// Project administration: environment variables (values returned masked), checkout keys,
// advanced settings, and deleting the project. Reading needs membership; the variable list
// is readable by every member (values are masked); changes need the org admin role.
#include <filesystem>

#include "api/rest/audit_trail.h"
#include "api/rest/render.h"
#include "api/rest/routes.h"
#include "api/rest/validation.h"
#include "common/crypto.h"
#include "common/error.h"
#include "common/ssh_key.h"
#include "common/time.h"

namespace halo::rest {

namespace {

// CircleCI shows "xxxx" and the last four characters (less for short values).
std::string masked(const std::string& value) {
  if (value.size() <= 4) return "xxxx";
  return "xxxx" + value.substr(value.size() - 4);
}

json render_key(const store::CheckoutKey& k, bool sha256) {
  return {{"public-key", k.public_key},
          {"type", k.type == "user-key" ? "github-user-key" : "deploy-key"},
          {"fingerprint", sha256 ? ssh_fingerprint_sha256(k.public_key) : k.fingerprint},
          {"preferred", k.preferred},
          {"created-at", rfc3339(k.created_at)}};
}

const char* kSettingKeys[] = {"autocancel_builds",
                              "build_fork_prs",
                              "build_prs_only",
                              "disable_ssh",
                              "forks_receive_secret_env_vars",
                              "oss",
                              "set_github_status",
                              "setup_workflows",
                              "write_settings_requires_admin"};

json render_envvar(ApiContext& ctx, const store::Project& p, const store::EnvVar& v) {
  return {{"name", v.name},
          {"value", masked(ctx.vault.open_project_env(p.id, v.name, v.sealed))},
          {"created-at", rfc3339(v.created_at)}};
}

json settings_with_defaults(const json& stored) {
  json adv = json::object();
  for (const char* k : kSettingKeys) adv[k] = false;
  adv["pr_only_branch_overrides"] = json::array();
  if (stored.contains("advanced"))
    for (auto& [k, v] : stored["advanced"].items()) adv[k] = v;
  return {{"advanced", adv}};
}

// GET /api/v2/project/{project-slug}/envvar
http::Response list_envvars(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_project(u, req.params[0]);
  json items = json::array();
  for (const auto& v : ctx.store.project_env(p.id)) items.push_back(render_envvar(ctx, p, v));
  return http::json_response(200, {{"items", items}, {"next_page_token", nullptr}});
}

// POST /api/v2/project/{project-slug}/envvar
http::Response create_envvar(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_project(u, req.params[0]);
  ctx.access.require_role(u, p.org_id, "admin", "Project");
  json body = parse_body(req);
  allow_only(body, {"name", "value"});
  std::string name = required_string(body, "name", 256);
  check_env_var_name(name);
  if (!body.contains("value") || !body["value"].is_string())
    throw bad_request("value is required and must be a string");
  std::string value = body["value"];
  if (value.size() > 32 * 1024) throw bad_request("value must be at most 32768 characters");
  auto v = ctx.store.put_project_env(p.id, name, ctx.vault.seal_project_env(p.id, name, value));
  audit(ctx, req, u, p.org_id, p);
  return http::json_response(
      201, {{"name", name}, {"value", masked(value)}, {"created-at", rfc3339(v.created_at)}});
}

// GET /api/v2/project/{project-slug}/envvar/{name}
http::Response get_envvar(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_project(u, req.params[0]);
  for (const auto& v : ctx.store.project_env(p.id))
    if (v.name == req.params[1]) return http::json_response(200, render_envvar(ctx, p, v));
  throw not_found("Environment variable not found");
}

// DELETE /api/v2/project/{project-slug}/envvar/{name}
http::Response delete_envvar(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_project(u, req.params[0]);
  ctx.access.require_role(u, p.org_id, "admin", "Project");
  if (!ctx.store.delete_project_env(p.id, req.params[1]))
    throw not_found("Environment variable not found");
  audit(ctx, req, u, p.org_id, p);
  return http::json_response(200, {{"message", "Environment variable deleted."}});
}

// GET /api/v2/project/{project-slug}/checkout-key
http::Response list_checkout_keys(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_project(u, req.params[0]);
  std::string digest = req.query_param("digest");
  if (!digest.empty() && digest != "sha256" && digest != "md5")
    throw bad_request("digest must be sha256 or md5");
  json items = json::array();
  for (const auto& k : ctx.store.checkout_keys(p.id))
    items.push_back(render_key(k, digest == "sha256"));
  return http::json_response(200, {{"items", items}, {"next_page_token", nullptr}});
}

// POST /api/v2/project/{project-slug}/checkout-key
http::Response create_checkout_key(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_project(u, req.params[0]);
  ctx.access.require_role(u, p.org_id, "admin", "Project");
  json body = parse_body(req);
  allow_only(body, {"type"});
  std::string type = required_string(body, "type", 32);
  if (type != "deploy-key" && type != "user-key")
    throw bad_request("type must be deploy-key or user-key");
  SshKeyPair pair = generate_ssh_key();
  store::CheckoutKey k;
  k.project_id = p.id;
  k.fingerprint = pair.fingerprint_md5;
  k.type = type;
  k.public_key = pair.public_openssh;
  k.private_sealed = ctx.vault.seal_checkout_key(p.id, k.fingerprint, pair.private_pem);
  k.preferred = true;  // the newest key is the one checkout uses
  k.created_at = now_ms();
  ctx.store.add_checkout_key(k);
  audit(ctx, req, u, p.org_id, p);
  return http::json_response(201, render_key(k, false));
}

// GET /api/v2/project/{project-slug}/checkout-key/{fingerprint}
http::Response get_checkout_key(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_project(u, req.params[0]);
  // Either form of the fingerprint finds the key; the answer uses the form asked with.
  for (const auto& k : ctx.store.checkout_keys(p.id)) {
    if (k.fingerprint == req.params[1]) return http::json_response(200, render_key(k, false));
    if (ssh_fingerprint_sha256(k.public_key) == req.params[1])
      return http::json_response(200, render_key(k, true));
  }
  throw not_found("Checkout key not found");
}

// DELETE /api/v2/project/{project-slug}/checkout-key/{fingerprint}
http::Response delete_checkout_key(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_project(u, req.params[0]);
  ctx.access.require_role(u, p.org_id, "admin", "Project");
  std::string fp = req.params[1];
  for (const auto& k : ctx.store.checkout_keys(p.id))
    if (ssh_fingerprint_sha256(k.public_key) == fp) fp = k.fingerprint;
  if (!ctx.store.delete_checkout_key(p.id, fp)) throw not_found("Checkout key not found");
  audit(ctx, req, u, p.org_id, p);
  return http::json_response(200, {{"message", "Checkout key deleted."}});
}

// GET /api/v2/project/{provider}/{organization}/{project}/settings
http::Response get_settings(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_project(u, req.params[0] + "/" + req.params[1] + "/" + req.params[2]);
  return http::json_response(200, settings_with_defaults(ctx.store.project_settings(p.id)));
}

// PATCH /api/v2/project/{provider}/{organization}/{project}/settings
http::Response patch_settings(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_project(u, req.params[0] + "/" + req.params[1] + "/" + req.params[2]);
  ctx.access.require_role(u, p.org_id, "admin", "Project");
  json body = parse_body(req);
  allow_only(body, {"advanced"});
  json stored = ctx.store.project_settings(p.id);
  if (!stored.contains("advanced")) stored["advanced"] = json::object();
  if (body.contains("advanced")) {
    if (!body["advanced"].is_object()) throw bad_request("advanced must be an object");
    for (auto& [k, v] : body["advanced"].items()) {
      if (k == "pr_only_branch_overrides") {
        if (!v.is_array())
          throw bad_request("advanced.pr_only_branch_overrides must be a list of strings");
        for (auto& b : v)
          if (!b.is_string())
            throw bad_request("advanced.pr_only_branch_overrides must be a list of strings");
      } else if (std::find(std::begin(kSettingKeys), std::end(kSettingKeys), k) ==
                 std::end(kSettingKeys)) {
        throw bad_request("Unknown setting 'advanced." + k + "'");
      } else if (!v.is_boolean()) {
        throw bad_request("advanced." + k + " must be a boolean");
      }
    }
    for (auto& [k, v] : body["advanced"].items()) stored["advanced"][k] = v;
  }
  ctx.store.set_project_settings(p.id, stored);
  audit(ctx, req, u, p.org_id, p);
  return http::json_response(200, settings_with_defaults(stored));
}

// DELETE /api/v2/project/{project-slug}
http::Response delete_project(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_project(u, req.params[0]);
  ctx.access.require_role(u, p.org_id, "admin", "Project");
  ctx.orchestrator.delete_project(p.id, u.id);
  ctx.pipelines.clear();
  audit(ctx, req, u, p.org_id, p);  // the project row is gone; its value describes it
  return http::json_response(200, {{"message", "Project deleted."}});
}

}  // namespace

void register_project_admin(http::Router& r, ApiContext& ctx) {
  // ---- environment variables ----
  r.add("GET", "/api/v2/project/{project-slug}/envvar", endpoint(ctx, list_envvars));
  r.add("POST", "/api/v2/project/{project-slug}/envvar", endpoint(ctx, create_envvar));
  r.add("GET", "/api/v2/project/{project-slug}/envvar/{name}", endpoint(ctx, get_envvar));
  r.add("DELETE", "/api/v2/project/{project-slug}/envvar/{name}", endpoint(ctx, delete_envvar));

  // ---- checkout keys ----
  r.add("GET", "/api/v2/project/{project-slug}/checkout-key", endpoint(ctx, list_checkout_keys));
  r.add("POST", "/api/v2/project/{project-slug}/checkout-key", endpoint(ctx, create_checkout_key));
  r.add("GET", "/api/v2/project/{project-slug}/checkout-key/{fingerprint}",
        endpoint(ctx, get_checkout_key));
  r.add("DELETE", "/api/v2/project/{project-slug}/checkout-key/{fingerprint}",
        endpoint(ctx, delete_checkout_key));

  // ---- settings ----
  r.add("GET", "/api/v2/project/{provider}/{organization}/{project}/settings",
        endpoint(ctx, get_settings));
  r.add("PATCH", "/api/v2/project/{provider}/{organization}/{project}/settings",
        endpoint(ctx, patch_settings));

  // ---- delete ----
  r.add("DELETE", "/api/v2/project/{project-slug}", endpoint(ctx, delete_project));
}

}  // namespace halo::rest
