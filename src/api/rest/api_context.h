// What every REST handler needs: the store, the logs, the orchestrator, and the request's
// authenticated user with the visibility rules (a user sees the orgs it belongs to; the
// server admin sees everything). Lookups here throw ApiError 404 for what the caller may
// not see, exactly as for what does not exist, as CircleCI does for private projects.
#pragma once
#include <atomic>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "api/http/message.h"
#include "api/rest/render_cache.h"
#include "common/secrets_vault.h"
#include "engine/orchestrator.h"
#include "store/log_store.h"
#include "store/store.h"
#include "webhooks/outbound.h"

namespace halo::rest {

class ApiContext {
 public:
  ApiContext(store::Store& store, store::LogStore& logs, engine::Orchestrator& orchestrator,
             std::string base_url, std::string master_key);

  store::Store& store;
  store::LogStore& logs;
  engine::Orchestrator& orchestrator;
  std::string base_url;
  std::atomic<bool> stopping{false};
  // Rendered pipelines (immutable once created); cleared when a project is deleted.
  RenderCache pipelines;
  webhooks::Outbound* webhooks = nullptr;  // set by serve before requests arrive
  const SecretsVault vault;                // seals and opens every stored secret

  // The user of a request: Circle-Token header, HTTP Basic (token as user name) or the
  // circle-token query parameter. Throws ApiError 401 when absent or wrong.
  store::User authenticate(const http::Request& req);

  bool can_see_org(const store::User& u, const std::string& org_id);

  // Roles, weakest first: viewer < member < admin. The server admin is an admin everywhere.
  // "" when the user is not in the org (which must then look like it does not exist).
  std::string role_in(const store::User& u, const std::string& org_id);
  // Throws 404 (`what` not found) when the org is invisible to the user, 403 when the user's
  // role is weaker than `min_role`.
  void require_role(const store::User& u, const std::string& org_id, const std::string& min_role,
                    const std::string& what);
  // Server-admin-only operations: 403 for everyone else.
  void require_server_admin(const store::User& u);

  store::Project visible_project(const store::User& u, const std::string& slug);
  store::Pipeline visible_pipeline(const store::User& u, const std::string& id);
  store::Workflow visible_workflow(const store::User& u, const std::string& id);
  store::Job visible_job(const store::User& u, const std::string& id);
  // Org ids the user may see; empty for the server admin (meaning all).
  std::vector<std::string> visible_org_ids(const store::User& u);

  // Signed, unauthenticated URL for one step's output (like CircleCI's pre-signed output_url).
  std::string output_url(const store::Project& p, int64_t job_number, int step);
  bool check_output_signature(const std::string& job_id, int step, const std::string& sig);
  std::string output_signature(const std::string& job_id, int step);

  // Forgets cached token lookups (after revocation).
  void clear_token_cache();

 private:
  std::string url_signing_key_;
  std::shared_mutex token_mu_;
  struct CachedUser {
    store::User user;
    int64_t at_ms;
  };
  // sha256(token) -> user. Entries expire, so a token revoked by another process (the CLI)
  // stops working within the TTL; revocation through the API clears the cache at once.
  std::unordered_map<std::string, CachedUser> token_cache_;
};

// Parses a JSON request body; ApiError 400 when malformed or not an object. Empty is {}.
json parse_body(const http::Request& req);
// True when the client asked for text/plain (pretty-printed JSON).
bool wants_text(const http::Request& req);
// Opaque page tokens over a store sequence number.
std::string page_token(int64_t seq);
std::optional<int64_t> parse_page_token(const std::string& token);  // ApiError 400 if garbage

}  // namespace halo::rest
