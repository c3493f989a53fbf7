#include "webhooks/secrets.h"

namespace halo::webhooks {

std::string masked_secret(const std::string& secret) {
  if (secret.empty()) return "";
  if (secret.size() < 16) return "****";
  return "****" + secret.substr(secret.size() - 4);
}

}  // namespace halo::webhooks
