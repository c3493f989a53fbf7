#include "engine/access.h"

#include <mutex>

#include "common/crypto.h"
#include "common/error.h"
#include "common/time.h"
#include "model/project_slug.h"

namespace halo::engine {

namespace {

int rank(const std::string& role) {
  if (role == "admin") return 3;
  if (role == "member") return 2;
  if (role == "viewer") return 1;
  return 0;
}

}  // namespace

store::User Access::authenticate(const std::string& token) {
  if (token.empty()) throw ApiError(401, "You must log in first.");
  std::string hash = sha256_hex(token);
  constexpr int64_t kTtlMs = 10000;
  int64_t now = now_ms();
  {
    std::shared_lock lock(token_mu_);
    auto it = token_cache_.find(hash);
    if (it != token_cache_.end() && now - it->second.at_ms < kTtlMs) return it->second.user;
  }
  auto user = store_.user_by_token(hash);
  if (!user) throw ApiError(401, "Invalid token provided.");
  std::unique_lock lock(token_mu_);
  if (token_cache_.size() > 10000) token_cache_.clear();  // bounded
  token_cache_[hash] = CachedUser{*user, now};
  return *user;
}

void Access::clear_token_cache() {
  std::unique_lock lock(token_mu_);
  token_cache_.clear();
}

bool Access::can_see_org(const store::User& u, const std::string& org_id) {
  return u.is_admin || store_.member_role(org_id, u.id).has_value();
}

std::vector<std::string> Access::visible_org_ids(const store::User& u) {
  std::vector<std::string> ids;
  if (u.is_admin) return ids;
  for (auto& o : store_.orgs_of_user(u.id)) ids.push_back(o.id);
  return ids;
}

std::string Access::role_in(const store::User& u, const std::string& org_id) {
  if (u.is_admin) return "admin";
  return store_.member_role(org_id, u.id).value_or("");
}

void Access::require_role(const store::User& u, const std::string& org_id,
                          const std::string& min_role, const std::string& what) {
  std::string role = role_in(u, org_id);
  if (role.empty()) throw not_found(what + " not found");
  if (rank(role) < rank(min_role))
    throw ApiError(403, "Permission denied: this needs the org role '" + min_role +
                            "' and you are '" + role + "'");
}

void Access::require_server_admin(const store::User& u) {
  if (!u.is_admin) throw ApiError(403, "Permission denied: only the server admin can do this");
}

store::Project Access::visible_project(const store::User& u, const std::string& slug) {
  auto canon = model::ProjectSlug::parse(slug);
  if (!canon) throw not_found("Project not found");
  auto p = store_.project_by_slug(canon->str());
  if (!p || !can_see_org(u, p->org_id)) throw not_found("Project not found");
  return *p;
}

store::Pipeline Access::visible_pipeline(const store::User& u, const std::string& id) {
  if (!is_uuid(id)) throw not_found("Pipeline not found");
  auto p = store_.pipeline_by_id(id);
  if (!p || !can_see_org(u, p->org_id)) throw not_found("Pipeline not found");
  return *p;
}

store::Workflow Access::visible_workflow(const store::User& u, const std::string& id) {
  if (!is_uuid(id)) throw not_found("Workflow not found");
  auto w = store_.workflow_by_id(id);
  if (!w) throw not_found("Workflow not found");
  auto proj = store_.project_by_id(w->project_id);
  if (!proj || !can_see_org(u, proj->org_id)) throw not_found("Workflow not found");
  return *w;
}

store::Job Access::visible_job(const store::User& u, const std::string& id) {
  if (!is_uuid(id)) throw not_found("Job not found");
  auto j = store_.job_by_id(id);
  if (!j) throw not_found("Job not found");
  auto proj = store_.project_by_id(j->project_id);
  if (!proj || !can_see_org(u, proj->org_id)) throw not_found("Job not found");
  return *j;
}

}  // namespace halo::engine
