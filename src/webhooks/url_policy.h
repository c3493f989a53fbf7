// Which URLs halo will deliver webhooks to: absolute https:// URLs with a host, at most
// 2048 characters, no credentials and no fragment; http:// only when the server runs with
// --allow-http-webhooks (for local receivers in tests and development).
#pragma once
#include <string>

namespace halo::webhooks {

// Empty when the URL is acceptable, else a message saying what is wrong with it.
std::string check_url(const std::string& url, bool allow_http);

}  // namespace halo::webhooks
