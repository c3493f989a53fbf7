// Server administration (halo's extension; CircleCI has no self-hosted user API):
// POST /api/v2/admin/users, and a user's API tokens: list, create, revoke.
#include "api/rest/audit_trail.h"
#include "api/rest/render.h"
#include "api/rest/routes.h"
#include "api/rest/validation.h"
#include "common/crypto.h"
#include "common/error.h"
#include "common/time.h"
#include "engine/users.h"

namespace halo::rest {

namespace {

store::User user_or_404(ApiContext& ctx, const std::string& id) {
  if (!is_uuid(id)) throw not_found("User not found");
  auto u = ctx.store.user_by_id(id);
  if (!u) throw not_found("User not found");
  return *u;
}

// POST /api/v2/admin/users
http::Response create_user(ApiContext& ctx, http::Request& req) {
  auto me = ctx.authenticate(req);
  ctx.access.require_server_admin(me);
  json body = parse_body(req);
  allow_only(body, {"login", "name", "organization", "role"});
  engine::NewUser nu;
  nu.login = required_string(body, "login", 64);
  nu.name = body.contains("name") ? required_string(body, "name", 255) : nu.login;
  nu.organization = body.contains("organization") ? required_string(body, "organization") : "";
  nu.role = body.contains("role") ? required_string(body, "role", 16) : "member";
  auto created = engine::create_user(ctx.store, nu);
  if (!created.error.empty()) throw bad_request(created.error);
  audit_user_orgs(ctx, req, me, created.user.id);
  return http::json_response(
      201, {{"id", created.user.id}, {"login", created.user.login}, {"token", created.token}});
}

// GET /api/v2/admin/users/{id}/tokens
http::Response list_tokens(ApiContext& ctx, http::Request& req) {
  auto me = ctx.authenticate(req);
  ctx.access.require_server_admin(me);
  auto u = user_or_404(ctx, req.params[0]);
  json items = json::array();
  for (const auto& t : ctx.store.tokens_of_user(u.id))
    items.push_back({{"id", t.id}, {"label", t.label}, {"created_at", rfc3339(t.created_at)}});
  return http::json_response(200, {{"items", items}, {"next_page_token", nullptr}});
}

// POST /api/v2/admin/users/{id}/tokens
http::Response create_token(ApiContext& ctx, http::Request& req) {
  auto me = ctx.authenticate(req);
  ctx.access.require_server_admin(me);
  auto u = user_or_404(ctx, req.params[0]);
  json body = parse_body(req);
  allow_only(body, {"label"});
  std::string label = body.contains("label") ? required_string(body, "label") : "api";
  std::string token = random_token();
  std::string id = ctx.store.add_token(u.id, sha256_hex(token), label);
  audit_user_orgs(ctx, req, me, u.id);
  return http::json_response(201, {{"id", id}, {"label", label}, {"token", token}});
}

// DELETE /api/v2/admin/users/{id}/tokens/{token-id}
http::Response revoke_token(ApiContext& ctx, http::Request& req) {
  auto me = ctx.authenticate(req);
  ctx.access.require_server_admin(me);
  auto u = user_or_404(ctx, req.params[0]);
  if (!ctx.store.revoke_token(u.id, req.params[1])) throw not_found("Token not found");
  ctx.access.clear_token_cache();
  audit_user_orgs(ctx, req, me, u.id);
  return http::json_response(200, {{"message", "Token revoked."}});
}

}  // namespace

void register_admin(http::Router& r, ApiContext& ctx) {
  r.add("POST", "/api/v2/admin/users", endpoint(ctx, create_user));
  r.add("GET", "/api/v2/admin/users/{id}/tokens", endpoint(ctx, list_tokens));
  r.add("POST", "/api/v2/admin/users/{id}/tokens", endpoint(ctx, create_token));
  r.add("DELETE", "/api/v2/admin/users/{id}/tokens/{token-id}", endpoint(ctx, revoke_token));
}

}  // namespace halo::rest
