// What request handlers need from the webhook module: whether http:// receivers are allowed,
// and a way to wake the deliverer after they wrote events. (Signing secrets are sealed by
// common/secrets_vault.h.)
#pragma once
#include <functional>
#include <string>

namespace halo::webhooks {

struct Outbound {
  bool allow_http = false;       // `halo serve --allow-http-webhooks`
  std::function<void()> notify;  // wakes the deliverer; may be empty (tests)

  void wake() const {
    if (notify) notify();
  }
};

}  // namespace halo::webhooks
