// How an API shows a webhook signing secret. Sealing and opening secrets (and the strings
// that bind them to their rows) live in common/secrets_vault.h.
#pragma once
#include <string>

namespace halo::webhooks {

// "" when none is set, "****" plus the last four characters when it is long enough for that
// to reveal little, else "****".
std::string masked_secret(const std::string& secret);

}  // namespace halo::webhooks
