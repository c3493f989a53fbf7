#include "webhooks/secrets.h"

#include "common/crypto.h"

namespace halo::webhooks {

namespace {

std::optional<std::string> open(const std::string& key, const std::string& aad,
                                const std::string& sealed) {
  if (sealed.empty()) return std::string();
  std::string plain;
  if (!open_sealed(key, sealed, aad, plain)) return std::nullopt;
  return plain;
}

}  // namespace

std::string seal_webhook_secret(const std::string& key, const std::string& webhook_id,
                                const std::string& secret) {
  return secret.empty() ? std::string() : seal(key, secret, "webhook:" + webhook_id);
}

std::optional<std::string> open_webhook_secret(const std::string& key,
                                               const std::string& webhook_id,
                                               const std::string& sealed) {
  return open(key, "webhook:" + webhook_id, sealed);
}

std::string seal_cirrus_secret(const std::string& key, const std::string& org_id,
                               const std::string& secret) {
  return secret.empty() ? std::string() : seal(key, secret, "cirrus-webhook:" + org_id);
}

std::optional<std::string> open_cirrus_secret(const std::string& key, const std::string& org_id,
                                              const std::string& sealed) {
  return open(key, "cirrus-webhook:" + org_id, sealed);
}

std::string masked_secret(const std::string& secret) {
  if (secret.empty()) return "";
  if (secret.size() < 16) return "****";
  return "****" + secret.substr(secret.size() - 4);
}

}  // namespace halo::webhooks
