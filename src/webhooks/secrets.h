// Where signing secrets live: sealed with the server's master key (AES-256-GCM), bound by
// their AAD to the webhook or org they belong to, so a sealed value copied to another row
// does not open. Plaintext secrets exist only while a delivery is being signed.
#pragma once
#include <optional>
#include <string>

namespace halo::webhooks {

std::string seal_webhook_secret(const std::string& key, const std::string& webhook_id,
                                const std::string& secret);
// nullopt when the sealed value does not open (tampered, or another key).
std::optional<std::string> open_webhook_secret(const std::string& key,
                                               const std::string& webhook_id,
                                               const std::string& sealed);

std::string seal_cirrus_secret(const std::string& key, const std::string& org_id,
                               const std::string& secret);
std::optional<std::string> open_cirrus_secret(const std::string& key, const std::string& org_id,
                                              const std::string& sealed);

// How an API shows a secret: "" when none is set, "****" plus the last four characters
// when it is long enough for that to reveal little, else "****".
std::string masked_secret(const std::string& secret);

}  // namespace halo::webhooks
