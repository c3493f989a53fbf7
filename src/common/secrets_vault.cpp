#include "common/secrets_vault.h"

#include <stdexcept>

#include "common/crypto.h"

namespace halo {

namespace {

std::string project_env_aad(const std::string& project_id, const std::string& name) {
  return "project-env:" + project_id + ":" + name;
}
std::string context_env_aad(const std::string& context_id, const std::string& name) {
  return "context-env:" + context_id + ":" + name;
}
std::string checkout_key_aad(const std::string& project_id, const std::string& fingerprint) {
  return "checkout-key:" + project_id + ":" + fingerprint;
}
std::string ssh_key_aad(const std::string& project_id, const std::string& fingerprint,
                        const std::string& hostname) {
  return "ssh-key:" + project_id + ":" + fingerprint + ":" + hostname;
}
std::string webhook_aad(const std::string& webhook_id) {
  return "webhook:" + webhook_id;
}
std::string cirrus_aad(const std::string& org_id) {
  return "cirrus-webhook:" + org_id;
}

}  // namespace

std::string SecretsVault::open_or_throw(const std::string& aad, const std::string& sealed) const {
  std::string out;
  if (!open_sealed(key_, sealed, aad, out))
    throw std::runtime_error("a stored secret does not decrypt with this master key (" + aad + ")");
  return out;
}

std::optional<std::string> SecretsVault::open_optional(const std::string& aad,
                                                       const std::string& sealed) const {
  if (sealed.empty()) return std::string();
  std::string out;
  if (!open_sealed(key_, sealed, aad, out)) return std::nullopt;
  return out;
}

std::string SecretsVault::seal_project_env(const std::string& project_id, const std::string& name,
                                           const std::string& value) const {
  return seal(key_, value, project_env_aad(project_id, name));
}

std::string SecretsVault::open_project_env(const std::string& project_id, const std::string& name,
                                           const std::string& sealed) const {
  return open_or_throw(project_env_aad(project_id, name), sealed);
}

std::string SecretsVault::seal_context_env(const std::string& context_id, const std::string& name,
                                           const std::string& value) const {
  return seal(key_, value, context_env_aad(context_id, name));
}

std::string SecretsVault::open_context_env(const std::string& context_id, const std::string& name,
                                           const std::string& sealed) const {
  return open_or_throw(context_env_aad(context_id, name), sealed);
}

std::string SecretsVault::seal_checkout_key(const std::string& project_id,
                                            const std::string& fingerprint,
                                            const std::string& private_pem) const {
  return seal(key_, private_pem, checkout_key_aad(project_id, fingerprint));
}

std::string SecretsVault::seal_ssh_key(const std::string& project_id,
                                       const std::string& fingerprint, const std::string& hostname,
                                       const std::string& private_pem) const {
  return seal(key_, private_pem, ssh_key_aad(project_id, fingerprint, hostname));
}

std::string SecretsVault::open_ssh_key(const std::string& project_id,
                                       const std::string& fingerprint, const std::string& hostname,
                                       const std::string& sealed) const {
  return open_or_throw(ssh_key_aad(project_id, fingerprint, hostname), sealed);
}

std::string SecretsVault::open_checkout_key(const std::string& project_id,
                                            const std::string& fingerprint,
                                            const std::string& sealed) const {
  return open_or_throw(checkout_key_aad(project_id, fingerprint), sealed);
}

std::string SecretsVault::seal_webhook_secret(const std::string& webhook_id,
                                              const std::string& secret) const {
  return secret.empty() ? std::string() : seal(key_, secret, webhook_aad(webhook_id));
}

std::optional<std::string> SecretsVault::open_webhook_secret(const std::string& webhook_id,
                                                             const std::string& sealed) const {
  return open_optional(webhook_aad(webhook_id), sealed);
}

std::string SecretsVault::seal_cirrus_secret(const std::string& org_id,
                                             const std::string& secret) const {
  return secret.empty() ? std::string() : seal(key_, secret, cirrus_aad(org_id));
}

std::optional<std::string> SecretsVault::open_cirrus_secret(const std::string& org_id,
                                                            const std::string& sealed) const {
  return open_optional(cirrus_aad(org_id), sealed);
}

}  // namespace halo
