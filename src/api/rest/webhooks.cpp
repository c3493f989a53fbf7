// Outbound webhooks: POST/GET /webhook and GET/PUT/DELETE /webhook/{webhook-id}. A webhook
// belongs to a project (scope); managing it needs org admin. Signing secrets are sealed at
// rest and only ever shown masked.
#include <set>

#include "api/rest/audit_trail.h"
#include "api/rest/routes.h"
#include "common/crypto.h"
#include "common/error.h"
#include "common/time.h"
#include "webhooks/secrets.h"
#include "webhooks/url_policy.h"

namespace halo::rest {

namespace {

constexpr int kMaxPerProject = 5;
constexpr size_t kMaxName = 255;
constexpr size_t kMaxSecret = 512;

const webhooks::Outbound& outbound(ApiContext& ctx) {
  if (!ctx.webhooks) throw std::logic_error("webhooks are not wired into the API context");
  return *ctx.webhooks;
}

std::string secret_of(ApiContext& ctx, const store::Webhook& w) {
  auto s = ctx.vault.open_webhook_secret(w.id, w.secret_sealed);
  return s.value_or("");
}

json render(ApiContext& ctx, const store::Webhook& w) {
  return {{"id", w.id},
          {"name", w.name},
          {"url", w.url},
          {"verify-tls", w.verify_tls},
          {"signing-secret", webhooks::masked_secret(secret_of(ctx, w))},
          {"scope", {{"id", w.project_id}, {"type", "project"}}},
          {"events", w.events},
          {"created-at", rfc3339(w.created_at)},
          {"updated-at", rfc3339(w.updated_at)}};
}

// The project a scope id names, if the user can see it; 400 naming `field` otherwise
// (an invisible project looks exactly like a missing one).
store::Project scope_project(ApiContext& ctx, const store::User& u, const std::string& id,
                             const std::string& field) {
  if (!is_uuid(id)) throw bad_request(field + " must be a project id (a UUID)");
  auto p = ctx.store.project_by_id(id);
  if (!p || !ctx.access.can_see_org(u, p->org_id))
    throw bad_request(field + ": no project with id " + id);
  return *p;
}

void require_admin(ApiContext& ctx, const store::User& u, const store::Project& p) {
  if (u.is_admin || ctx.store.member_role(p.org_id, u.id) == "admin") return;
  throw ApiError(403, "Permission denied: managing webhooks needs the org admin role");
}

std::string checked_name(const json& v) {
  if (!v.is_string()) throw bad_request("name must be a string");
  std::string name = v;
  if (name.find_first_not_of(" \t") == std::string::npos)
    throw bad_request("name must not be empty");
  if (name.size() > kMaxName) throw bad_request("name is longer than 255 characters");
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) throw bad_request("name must not contain control characters");
  return name;
}

std::string checked_url(ApiContext& ctx, const json& v) {
  if (!v.is_string()) throw bad_request("url must be a string");
  std::string problem = webhooks::check_url(v, outbound(ctx).allow_http);
  if (!problem.empty()) throw bad_request(problem);
  return v;
}

json checked_events(const json& v) {
  if (!v.is_array()) throw bad_request("events must be an array");
  if (v.empty()) throw bad_request("events must name at least one event");
  std::set<std::string> seen;
  for (const auto& e : v) {
    if (!e.is_string() || (e != "workflow-completed" && e != "job-completed"))
      throw bad_request("events: unknown event " + e.dump() +
                        "; expected workflow-completed or job-completed");
    if (!seen.insert(e.get<std::string>()).second)
      throw bad_request("events: " + e.dump() + " is listed twice");
  }
  return v;
}

bool checked_verify_tls(const json& v) {
  if (!v.is_boolean()) throw bad_request("verify-tls must be a boolean");
  return v;
}

std::string checked_secret(const json& v) {
  if (!v.is_string()) throw bad_request("signing-secret must be a string");
  if (v.get<std::string>().size() > kMaxSecret)
    throw bad_request("signing-secret is longer than 512 characters");
  return v;
}

void reject_unknown(const json& body, const std::set<std::string>& allowed) {
  for (auto& [k, v] : body.items())
    if (!allowed.count(k)) throw bad_request("Unexpected field '" + k + "'");
}

const json& required(const json& body, const std::string& field) {
  if (!body.contains(field) || body[field].is_null()) throw bad_request(field + " is required");
  return body[field];
}

// The webhook and its project, for a user allowed to manage it (404 / 403 otherwise).
std::pair<store::Webhook, store::Project> managed_webhook(ApiContext& ctx, const store::User& u,
                                                          const std::string& id) {
  if (!is_uuid(id)) throw not_found("Webhook not found");
  auto w = ctx.store.webhook_by_id(id);
  if (!w) throw not_found("Webhook not found");
  auto p = ctx.store.project_by_id(w->project_id);
  if (!p || !ctx.access.can_see_org(u, p->org_id)) throw not_found("Webhook not found");
  require_admin(ctx, u, *p);
  return {*w, *p};
}

// POST /api/v2/webhook
http::Response create_webhook(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  json body = parse_body(req);
  reject_unknown(body, {"name", "events", "url", "verify-tls", "signing-secret", "scope"});
  // Every field is checked before anything is written.
  store::Webhook w;
  w.name = checked_name(required(body, "name"));
  w.url = checked_url(ctx, required(body, "url"));
  w.events = checked_events(required(body, "events"));
  w.verify_tls = checked_verify_tls(required(body, "verify-tls"));
  std::string secret = checked_secret(required(body, "signing-secret"));
  const json& scope = required(body, "scope");
  if (!scope.is_object()) throw bad_request("scope must be an object {id, type}");
  reject_unknown(scope, {"id", "type"});
  if (!scope.contains("type") || scope["type"] != "project")
    throw bad_request("scope.type must be \"project\"");
  if (!scope.contains("id") || !scope["id"].is_string()) throw bad_request("scope.id is required");
  store::Project p = scope_project(ctx, u, scope["id"], "scope.id");
  require_admin(ctx, u, p);

  w.id = uuid_v4();
  w.project_id = p.id;
  w.secret_sealed = ctx.vault.seal_webhook_secret(w.id, secret);
  w.created_at = w.updated_at = now_ms();
  if (!ctx.store.create_webhook(w, kMaxPerProject))
    throw bad_request("scope.id: a project can have at most 5 webhooks");
  audit(ctx, req, u, p.org_id, p);
  return http::json_response(201, render(ctx, w));
}

// GET /api/v2/webhook
http::Response list_webhooks(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  if (!req.has_query("scope-type") || req.query_param("scope-type") != "project")
    throw bad_request("scope-type must be \"project\"");
  if (!req.has_query("scope-id")) throw bad_request("scope-id is required");
  store::Project p = scope_project(ctx, u, req.query_param("scope-id"), "scope-id");
  require_admin(ctx, u, p);
  json items = json::array();
  for (const auto& w : ctx.store.webhooks_of_project(p.id)) items.push_back(render(ctx, w));
  return http::json_response(200, {{"items", items}, {"next_page_token", nullptr}});
}

// GET /api/v2/webhook/{webhook-id}
http::Response get_webhook(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto [w, p] = managed_webhook(ctx, u, req.params[0]);
  return http::json_response(200, render(ctx, w));
}

// PUT /api/v2/webhook/{webhook-id}
http::Response update_webhook(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto [w, p] = managed_webhook(ctx, u, req.params[0]);
  json body = parse_body(req);
  reject_unknown(body, {"name", "events", "url", "verify-tls", "signing-secret"});
  if (body.contains("name")) w.name = checked_name(body["name"]);
  if (body.contains("url")) w.url = checked_url(ctx, body["url"]);
  if (body.contains("events")) w.events = checked_events(body["events"]);
  if (body.contains("verify-tls")) w.verify_tls = checked_verify_tls(body["verify-tls"]);
  if (body.contains("signing-secret"))
    w.secret_sealed = ctx.vault.seal_webhook_secret(w.id, checked_secret(body["signing-secret"]));
  w.updated_at = now_ms();
  ctx.store.update_webhook(w);
  audit(ctx, req, u, p.org_id, p);
  return http::json_response(200, render(ctx, w));
}

// DELETE /api/v2/webhook/{webhook-id}
http::Response delete_webhook(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto [w, p] = managed_webhook(ctx, u, req.params[0]);
  if (!ctx.store.delete_webhook(w.id)) throw not_found("Webhook not found");
  audit(ctx, req, u, p.org_id, p);
  return http::json_response(200, {{"message", "ok"}});
}

}  // namespace

void register_webhooks(http::Router& r, ApiContext& ctx) {
  r.add("POST", "/api/v2/webhook", endpoint(ctx, create_webhook));
  r.add("GET", "/api/v2/webhook", endpoint(ctx, list_webhooks));
  r.add("GET", "/api/v2/webhook/{webhook-id}", endpoint(ctx, get_webhook));
  r.add("PUT", "/api/v2/webhook/{webhook-id}", endpoint(ctx, update_webhook));
  r.add("DELETE", "/api/v2/webhook/{webhook-id}", endpoint(ctx, delete_webhook));
}

}  // namespace halo::rest
