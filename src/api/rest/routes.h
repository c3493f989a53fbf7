// Registers every REST route (CircleCI v2 and v1.1) on a router. Each resource's file
// contributes its own register_* function; handlers parse, authorize, call the engine or
// store and render, nothing more.
#pragma once
#include "api/http/router.h"
#include "api/rest/api_context.h"

namespace halo::rest {

// One endpoint: a named function of the context and the request (a file's handlers are
// such functions, registered with endpoint()).
using EndpointFn = http::Response (*)(ApiContext& ctx, http::Request& req);
inline http::Handler endpoint(ApiContext& ctx, EndpointFn fn) {
  return [&ctx, fn](http::Request& req) { return fn(ctx, req); };
}

void register_users(http::Router& r, ApiContext& ctx);
void register_projects(http::Router& r, ApiContext& ctx);
void register_pipelines(http::Router& r, ApiContext& ctx);
void register_workflows(http::Router& r, ApiContext& ctx);
void register_jobs(http::Router& r, ApiContext& ctx);
void register_v1_jobs(http::Router& r, ApiContext& ctx);
void register_artifacts(http::Router& r, ApiContext& ctx);
void register_ssh_keys(http::Router& r, ApiContext& ctx);
void register_webhooks(http::Router& r, ApiContext& ctx);
void register_cirrus_hook(http::Router& r, ApiContext& ctx);
void register_admin(http::Router& r, ApiContext& ctx);
void register_contexts(http::Router& r, ApiContext& ctx);
void register_project_admin(http::Router& r, ApiContext& ctx);
void register_compile(http::Router& r, ApiContext& ctx);

// The server's request entry point: routing, error mapping (ApiError -> {"message"}),
// and pretty JSON for `Accept: text/plain`.
http::Response dispatch(const http::Router& router, http::Request& req);

}  // namespace halo::rest
