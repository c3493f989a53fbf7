// The web UI's links, one builder each: CircleCI's URL shapes under the server's base URL.
// `slug` is written as the caller's audience expects it ("gh/acme/app" in API answers and
// job environments, "github/acme/app" in webhook payloads).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace halo::model {

// <base>/pipelines/<slug>/<pipeline number>/workflows/<workflow id>
std::string workflow_web_url(std::string_view base_url, std::string_view slug,
                             int64_t pipeline_number, std::string_view workflow_id);
// <workflow url>/jobs/<job number>
std::string job_web_url(std::string_view base_url, std::string_view slug, int64_t pipeline_number,
                        std::string_view workflow_id, int64_t job_number);

}  // namespace halo::model
