#include "api/rest/audit_trail.h"

#include <spdlog/spdlog.h>

#include "webhooks/audit_log.h"

namespace halo::rest {

void audit(ApiContext& ctx, const http::Request& req, const store::User& actor,
           const std::string& org_id, const std::optional<store::Project>& project) {
  if (!ctx.webhooks) return;
  try {
    webhooks::AuditLog(ctx.store, *ctx.webhooks)
        .record(org_id, actor, req.method + " " + req.route, req.remote_addr, project);
  } catch (const std::exception& e) {
    spdlog::warn("audit event for {} {} not recorded: {}", req.method, req.target, e.what());
  }
}

void audit_user_orgs(ApiContext& ctx, const http::Request& req, const store::User& actor,
                     const std::string& subject_id) {
  std::vector<store::Org> orgs;
  try {
    orgs = ctx.store.orgs_of_user(subject_id);
  } catch (const std::exception& e) {
    spdlog::warn("audit event for {} {} not recorded: {}", req.method, req.target, e.what());
  }
  for (const auto& org : orgs) audit(ctx, req, actor, org.id);
}

}  // namespace halo::rest
