#include "api/rest/audit_trail.h"

#include <spdlog/spdlog.h>

#include "api/http/router.h"
#include "common/crypto.h"

namespace halo::rest {

namespace {

// The name of each parameter of a route pattern, in order ("{project-slug}" -> "project-slug").
std::vector<std::string> param_names(const std::string& pattern) {
  std::vector<std::string> names;
  for (auto part : http::split_path(pattern))
    if (part.size() > 2 && part.front() == '{' && part.back() == '}')
      names.emplace_back(part.substr(1, part.size() - 2));
  return names;
}

bool mutating(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

}  // namespace

AuditTrail::AuditTrail(ApiContext& ctx) : ctx_(ctx), log_(ctx.store, *ctx.webhooks) {}

std::optional<store::Project> AuditTrail::project_of(const http::Request& req) {
  auto names = param_names(req.route);
  for (size_t i = 0; i < names.size() && i < req.params.size(); ++i) {
    const std::string& name = names[i];
    const std::string& value = req.params[i];
    if (name == "project-slug") {
      if (auto slug = ApiContext::canonical_slug(value)) return ctx_.store.project_by_slug(*slug);
    }
    if (!is_uuid(value)) continue;
    std::optional<std::string> project_id;
    if (name == "job-id") {
      if (auto j = ctx_.store.job_by_id(value)) project_id = j->project_id;
    } else if (name == "webhook-id") {
      if (auto w = ctx_.store.webhook_by_id(value)) project_id = w->project_id;
    } else if (name == "id" && req.route.rfind("/api/v2/workflow/", 0) == 0) {
      if (auto w = ctx_.store.workflow_by_id(value)) project_id = w->project_id;
    } else if (name == "pipeline-id" ||
               (name == "id" && req.route.rfind("/api/v2/pipeline/", 0) == 0)) {
      if (auto p = ctx_.store.pipeline_by_id(value)) project_id = p->project_id;
    }
    if (project_id) return ctx_.store.project_by_id(*project_id);
  }
  return std::nullopt;
}

std::string AuditTrail::org_of(const http::Request& req,
                               const std::optional<store::Project>& project) {
  if (!req.audit_org_id.empty()) return req.audit_org_id;
  if (project) return project->org_id;
  auto names = param_names(req.route);
  for (size_t i = 0; i < names.size() && i < req.params.size(); ++i) {
    const std::string& value = req.params[i];
    if (!is_uuid(value)) continue;
    if (names[i] == "org-id" || names[i] == "orgID") return value;
    if (names[i] == "context-id" ||
        (names[i] == "id" && req.route.rfind("/api/v2/context/", 0) == 0))
      if (auto c = ctx_.store.context_by_id(value)) return c->org_id;
  }
  return "";
}

void AuditTrail::after(const http::Request& req, const http::Response& res) {
  if (!mutating(req.method) || res.status < 200 || res.status > 299 || req.route.empty()) return;
  try {
    auto actor = ctx_.authenticate(req);
    auto project = project_of(req);
    std::string org = org_of(req, project);
    if (project && project->org_id != org) project.reset();
    log_.record(org, actor, req.method + " " + req.route, req.remote_addr, project);
  } catch (const std::exception& e) {
    spdlog::warn("audit event for {} {} not recorded: {}", req.method, req.target, e.what());
  }
}

}  // namespace halo::rest
