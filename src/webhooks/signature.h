// The signature headers receivers check: CircleCI's `circleci-signature: v1=<hex>` and
// Cirrus's `X-Cirrus-Signature: <hex>`, both HMAC-SHA256 of the exact body bytes.
#pragma once
#include <string>
#include <string_view>

namespace halo::webhooks {

// The value of the circleci-signature header: "v1=" + lower-case hex HMAC-SHA256(secret, body).
// Only v1 exists today; the header is a comma-separated list so that v2 can be added beside it.
std::string circleci_signature(std::string_view secret, std::string_view body);

// The value of the X-Cirrus-Signature header: lower-case hex HMAC-SHA256(secret, body), no prefix.
std::string cirrus_signature(std::string_view secret, std::string_view body);

}  // namespace halo::webhooks
