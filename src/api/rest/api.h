// Builds the REST router with every route registered.
#pragma once
#include "api/http/router.h"
#include "api/rest/api_context.h"

namespace halo::rest {

http::Router build_router(ApiContext& ctx);

}  // namespace halo::rest
