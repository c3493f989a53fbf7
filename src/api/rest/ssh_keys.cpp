// A project's additional SSH keys (CircleCI v1.1's ssh-key endpoints): the keys add_ssh_keys
// installs in jobs. The private half is sealed at rest and never returned.
#include "api/rest/audit_trail.h"
#include "api/rest/routes.h"
#include "api/rest/validation.h"
#include "common/error.h"
#include "common/ssh_key.h"
#include "common/time.h"

namespace halo::rest {

namespace {

json render_ssh_key(const store::SshKey& k) {
  return {{"hostname", k.hostname},
          {"fingerprint", k.fingerprint},
          {"public_key", k.public_key},
          {"created_at", rfc3339(k.created_at)}};
}

bool valid_hostname(const std::string& h) {
  if (h.size() > 253) return false;
  for (char c : h) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
          c == '*' || c == ':' || c == '[' || c == ']'))
      return false;
  }
  return true;
}

// POST /api/v1.1/project/{project-slug}/ssh-key {"hostname", "private_key"}
http::Response add_ssh_key(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_project(u, req.params[0]);
  ctx.access.require_role(u, p.org_id, "admin", "Project");
  json body = parse_body(req);
  allow_only(body, {"hostname", "private_key"});
  std::string key = required_string(body, "private_key", 64 * 1024);
  std::string hostname = body.contains("hostname") ? required_string(body, "hostname", 253) : "";
  if (!valid_hostname(hostname)) throw bad_request("hostname is not a host name");
  auto pair = parse_ssh_private_key(key);
  if (!pair) {
    throw bad_request(
        "private_key must be an unencrypted RSA or Ed25519 private key in PEM form "
        "(ssh-keygen -m PEM)");
  }
  store::SshKey k;
  k.project_id = p.id;
  k.fingerprint = pair->fingerprint_md5;
  k.hostname = hostname;
  k.public_key = pair->public_openssh;
  k.private_sealed = ctx.vault.seal_ssh_key(p.id, k.fingerprint, hostname, pair->private_pem);
  k.created_at = now_ms();
  if (!ctx.store.add_ssh_key(k))
    throw bad_request("The project has this key for this host already");
  audit(ctx, req, u, p.org_id, p);
  return http::json_response(201, render_ssh_key(k));
}

// GET /api/v1.1/project/{project-slug}/ssh-key (a halo extension: v1.1 lists them in settings)
http::Response list_ssh_keys(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_project(u, req.params[0]);
  json out = json::array();
  for (const auto& k : ctx.store.ssh_keys(p.id)) out.push_back(render_ssh_key(k));
  return http::json_response(200, out);
}

// DELETE /api/v1.1/project/{project-slug}/ssh-key {"fingerprint", "hostname"}
http::Response delete_ssh_key(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto p = ctx.access.visible_project(u, req.params[0]);
  ctx.access.require_role(u, p.org_id, "admin", "Project");
  json body = parse_body(req);
  allow_only(body, {"hostname", "fingerprint"});
  std::string fingerprint = required_string(body, "fingerprint", 128);
  std::string hostname = body.contains("hostname") ? required_string(body, "hostname", 253) : "";
  if (!ctx.store.delete_ssh_key(p.id, fingerprint, hostname)) throw not_found("SSH key not found");
  audit(ctx, req, u, p.org_id, p);
  return http::json_response(200, {{"message", "ok"}});
}

}  // namespace

void register_ssh_keys(http::Router& r, ApiContext& ctx) {
  r.add("POST", "/api/v1.1/project/{project-slug}/ssh-key", endpoint(ctx, add_ssh_key));
  r.add("GET", "/api/v1.1/project/{project-slug}/ssh-key", endpoint(ctx, list_ssh_keys));
  r.add("DELETE", "/api/v1.1/project/{project-slug}/ssh-key", endpoint(ctx, delete_ssh_key));
}

}  // namespace halo::rest
