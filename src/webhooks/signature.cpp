#include "webhooks/signature.h"

#include "common/crypto.h"

namespace halo::webhooks {

std::string circleci_signature(std::string_view secret, std::string_view body) {
  return "v1=" + hmac_sha256_hex(secret, body);
}

std::string cirrus_signature(std::string_view secret, std::string_view body) {
  return hmac_sha256_hex(secret, body);
}

}  // namespace halo::webhooks
