// Sends a Cirrus-style audit_event for every successful mutating API call (POST, PUT,
// PATCH, DELETE answered 2xx) made in an organization that has a Cirrus hook. The org is
// the one the handler recorded in req.audit_org_id, else the one the route's parameters
// name (project slug, workflow, job, webhook, context or org id).
#pragma once
#include <optional>

#include "api/http/message.h"
#include "api/rest/api_context.h"
#include "webhooks/audit_log.h"

namespace halo::rest {

class AuditTrail {
 public:
  explicit AuditTrail(ApiContext& ctx);
  // Call after dispatch; never throws (an audit failure is logged, not answered).
  void after(const http::Request& req, const http::Response& res);

 private:
  std::optional<store::Project> project_of(const http::Request& req);
  std::string org_of(const http::Request& req, const std::optional<store::Project>& project);

  ApiContext& ctx_;
  webhooks::AuditLog log_;
};

}  // namespace halo::rest
