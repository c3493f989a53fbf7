// halo's extension for the Cirrus-style organization webhook (Cirrus sets it with the
// saveWebHookSettings mutation; halo has no GraphQL yet):
//   GET /api/v2/organization/{org-id}/cirrus-webhook  -> {"url", "secret" (masked)}
//   PUT /api/v2/organization/{org-id}/cirrus-webhook  <- {"url", "secret"?}
// An empty url removes the hook. The secret is write-only; omitting it keeps the current one.
// Org admins only.
#include "api/rest/audit_trail.h"
#include "api/rest/routes.h"
#include "common/crypto.h"
#include "common/error.h"
#include "webhooks/secrets.h"
#include "webhooks/url_policy.h"

namespace halo::rest {

namespace {

store::Org managed_org(ApiContext& ctx, const store::User& u, const std::string& id) {
  if (!is_uuid(id)) throw not_found("Organization not found");
  auto org = ctx.store.org_by_id(id);
  if (!org || !ctx.access.can_see_org(u, org->id)) throw not_found("Organization not found");
  if (!u.is_admin && ctx.store.member_role(org->id, u.id) != "admin")
    throw ApiError(403, "Permission denied: the organization webhook needs the org admin role");
  return *org;
}

json render(ApiContext& ctx, const store::OrgSettings& s) {
  auto secret = ctx.vault.open_cirrus_secret(s.org_id, s.cirrus_secret_sealed);
  return {{"url", s.cirrus_url}, {"secret", webhooks::masked_secret(secret.value_or(""))}};
}

// GET /api/v2/organization/{org-id}/cirrus-webhook
http::Response get_cirrus_hook(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  store::Org org = managed_org(ctx, u, req.params[0]);
  return http::json_response(200, render(ctx, ctx.store.org_settings(org.id)));
}

// PUT /api/v2/organization/{org-id}/cirrus-webhook
http::Response put_cirrus_hook(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  store::Org org = managed_org(ctx, u, req.params[0]);
  json body = parse_body(req);
  for (auto& [k, v] : body.items())
    if (k != "url" && k != "secret") throw bad_request("Unexpected field '" + k + "'");
  if (!body.contains("url") || !body["url"].is_string())
    throw bad_request("url is required (a string; \"\" removes the hook)");
  std::string url = body["url"];
  if (!url.empty()) {
    std::string problem = webhooks::check_url(url, ctx.webhooks->allow_http);
    if (!problem.empty()) throw bad_request(problem);
  }
  store::OrgSettings s = ctx.store.org_settings(org.id);
  if (body.contains("secret")) {
    if (!body["secret"].is_string()) throw bad_request("secret must be a string");
    if (body["secret"].get<std::string>().size() > 512)
      throw bad_request("secret is longer than 512 characters");
    s.cirrus_secret_sealed = ctx.vault.seal_cirrus_secret(org.id, body["secret"]);
  }
  s.cirrus_url = url;
  if (url.empty()) s.cirrus_secret_sealed.clear();
  ctx.store.set_org_settings(s);
  audit(ctx, req, u, org.id);
  return http::json_response(200, render(ctx, s));
}

}  // namespace

void register_cirrus_hook(http::Router& r, ApiContext& ctx) {
  r.add("GET", "/api/v2/organization/{org-id}/cirrus-webhook", endpoint(ctx, get_cirrus_hook));
  r.add("PUT", "/api/v2/organization/{org-id}/cirrus-webhook", endpoint(ctx, put_cirrus_hook));
}

}  // namespace halo::rest
