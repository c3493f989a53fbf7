#include <spdlog/spdlog.h>

#include "api/rest/routes.h"
#include "common/error.h"

namespace halo::rest {

http::Response dispatch(const http::Router& router, http::Request& req) {
  const http::Handler* handler = nullptr;
  http::Response res;
  try {
    switch (router.route(req, &handler)) {
      case http::Router::Match::NoPath:
        res = http::error_response(404, "Not found");
        break;
      case http::Router::Match::NoMethod:
        res = http::error_response(405, "Method not allowed");
        break;
      case http::Router::Match::Found:
        res = (*handler)(req);
        break;
    }
  } catch (const ApiError& e) {
    res = http::error_response(e.status(), e.what());
  } catch (const json::exception& e) {
    // A body that parsed but had the wrong shape somewhere we did not check by hand.
    res = http::error_response(400, std::string("Invalid request: ") + e.what());
  }
  if (wants_text(req) && !res.stream && res.content_type == "application/json") {
    json body = json::parse(res.body, nullptr, false);
    if (!body.is_discarded()) {
      res.body = body.dump(2);
      res.content_type = "text/plain; charset=utf-8";
    }
  }
  return res;
}

}  // namespace halo::rest
