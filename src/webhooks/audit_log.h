// Cirrus-style `audit_event` webhooks: one event per mutating API call (or sign-in) in an
// organization whose Cirrus hook is set. The event goes to the outbox right after the call
// committed; see docs/architecture.md for why that is a separate write.
#pragma once
#include <optional>
#include <string>

#include "store/store.h"
#include "webhooks/outbound.h"

namespace halo::webhooks {

class AuditLog {
 public:
  AuditLog(store::Store& store, const Outbound& outbound) : store_(store), outbound_(outbound) {}

  // Writes an audit event for `org_id` if that org has a Cirrus hook; does nothing otherwise.
  // `what` names the mutation, e.g. "POST /api/v2/webhook".
  void record(const std::string& org_id, const store::User& actor, const std::string& what,
              const std::string& actor_ip, const std::optional<store::Project>& project,
              const std::string& type = "graphql.mutation");

 private:
  store::Store& store_;
  const Outbound& outbound_;
};

}  // namespace halo::webhooks
