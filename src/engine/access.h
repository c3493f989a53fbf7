// Who a caller is and what it may see and change: API tokens to users, the visibility rules
// (a user sees the orgs it belongs to; the server admin sees everything) and org roles. No
// HTTP here: REST extracts the token from its request and calls this; GraphQL and the UI
// are to call the same. Lookups throw ApiError 404 for what the caller may not see, exactly
// as for what does not exist (as CircleCI does for private projects), 403 for a role too
// weak, and 401 for a missing or unknown token.
#pragma once
#include <cstdint>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace halo::engine {

class Access {
 public:
  explicit Access(store::Store& store) : store_(store) {}

  // The user holding the raw API token `token`. Throws ApiError 401 when `token` is empty
  // ("You must log in first.") or unknown. Answers are cached for a few seconds, so a token
  // revoked by another process stops working within that time.
  store::User authenticate(const std::string& token);
  // Forgets cached token lookups (after a revocation through this process).
  void clear_token_cache();

  bool can_see_org(const store::User& u, const std::string& org_id);
  // Org ids the user may see; empty for the server admin (meaning all).
  std::vector<std::string> visible_org_ids(const store::User& u);

  // Roles, weakest first: viewer < member < admin. The server admin is an admin everywhere.
  // "" when the user is not in the org (which must then look like it does not exist).
  std::string role_in(const store::User& u, const std::string& org_id);
  // Throws 404 (`what` not found) when the org is invisible to the user, 403 when the user's
  // role is weaker than `min_role`.
  void require_role(const store::User& u, const std::string& org_id, const std::string& min_role,
                    const std::string& what);
  // Server-admin-only operations: 403 for everyone else.
  void require_server_admin(const store::User& u);

  // The thing named, if the user may see it; else 404. A project is named by its slug in
  // any accepted spelling ("gh/acme/app", "github/acme/app"), the others by id.
  store::Project visible_project(const store::User& u, const std::string& slug);
  store::Pipeline visible_pipeline(const store::User& u, const std::string& id);
  store::Workflow visible_workflow(const store::User& u, const std::string& id);
  store::Job visible_job(const store::User& u, const std::string& id);

 private:
  store::Store& store_;
  std::shared_mutex token_mu_;
  struct CachedUser {
    store::User user;
    int64_t at_ms;
  };
  // sha256(token) -> user; bounded, and entries expire.
  std::unordered_map<std::string, CachedUser> token_cache_;
};

}  // namespace halo::engine
