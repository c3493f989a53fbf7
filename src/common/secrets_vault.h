// The one place secrets are sealed and opened: AES-256-GCM under the server's master key,
// each kind of value bound (by its AAD) to the row it belongs to, so a sealed value copied to
// another row, another project or another kind does not open. The binding strings are part
// of the stored data: changing one makes existing values unreadable.
#pragma once
#include <optional>
#include <string>

namespace halo {

class SecretsVault {
 public:
  explicit SecretsVault(std::string master_key) : key_(std::move(master_key)) {}

  // Project environment variables, bound to "project-env:<project id>:<name>".
  std::string seal_project_env(const std::string& project_id, const std::string& name,
                               const std::string& value) const;
  // Throws std::runtime_error when the value does not open (tampered, or another key).
  std::string open_project_env(const std::string& project_id, const std::string& name,
                               const std::string& sealed) const;

  // Context environment variables, bound to "context-env:<context id>:<name>".
  std::string seal_context_env(const std::string& context_id, const std::string& name,
                               const std::string& value) const;
  std::string open_context_env(const std::string& context_id, const std::string& name,
                               const std::string& sealed) const;  // throws as above

  // Checkout keys' private halves, bound to "checkout-key:<project id>:<md5 fingerprint>".
  std::string seal_checkout_key(const std::string& project_id, const std::string& fingerprint,
                                const std::string& private_pem) const;
  std::string open_checkout_key(const std::string& project_id, const std::string& fingerprint,
                                const std::string& sealed) const;  // throws as above

  // Additional SSH keys' private halves (add_ssh_keys), bound to
  // "ssh-key:<project id>:<md5 fingerprint>:<hostname>".
  std::string seal_ssh_key(const std::string& project_id, const std::string& fingerprint,
                           const std::string& hostname, const std::string& private_pem) const;
  std::string open_ssh_key(const std::string& project_id, const std::string& fingerprint,
                           const std::string& hostname,
                           const std::string& sealed) const;  // throws as above

  // Webhook signing secrets, bound to "webhook:<webhook id>". No secret ("") is stored as "";
  // opening "" gives "", and a value that does not open gives nullopt.
  std::string seal_webhook_secret(const std::string& webhook_id, const std::string& secret) const;
  std::optional<std::string> open_webhook_secret(const std::string& webhook_id,
                                                 const std::string& sealed) const;

  // The org's Cirrus hook secret, bound to "cirrus-webhook:<org id>"; "" as for webhooks.
  std::string seal_cirrus_secret(const std::string& org_id, const std::string& secret) const;
  std::optional<std::string> open_cirrus_secret(const std::string& org_id,
                                                const std::string& sealed) const;

 private:
  std::string open_or_throw(const std::string& aad, const std::string& sealed) const;
  std::optional<std::string> open_optional(const std::string& aad, const std::string& sealed) const;

  std::string key_;
};

}  // namespace halo
