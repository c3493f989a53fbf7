#include "api/rest/api.h"

#include "api/rest/routes.h"

namespace halo::rest {

http::Router build_router(ApiContext& ctx) {
  http::Router r;
  register_users(r, ctx);
  register_projects(r, ctx);
  register_pipelines(r, ctx);
  register_workflows(r, ctx);
  register_jobs(r, ctx);
  register_v1_jobs(r, ctx);
  register_artifacts(r, ctx);
  register_ssh_keys(r, ctx);
  register_webhooks(r, ctx);
  register_cirrus_hook(r, ctx);
  register_admin(r, ctx);
  register_contexts(r, ctx);
  register_project_admin(r, ctx);
  register_compile(r, ctx);
  return r;
}

}  // namespace halo::rest
