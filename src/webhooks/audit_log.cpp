#include "webhooks/audit_log.h"

#include "common/crypto.h"
#include "common/time.h"
#include "webhooks/cirrus_payload.h"

namespace halo::webhooks {

void AuditLog::record(const std::string& org_id, const store::User& actor, const std::string& what,
                      const std::string& actor_ip, const std::optional<store::Project>& project,
                      const std::string& type) {
  if (org_id.empty() || store_.org_settings(org_id).cirrus_url.empty()) return;
  auto org = store_.org_by_id(org_id);
  if (!org) return;
  AuditFact f;
  f.id = uuid_v4();
  f.type = type;
  f.timestamp = now_ms();
  f.mutation_name = what;
  f.actor = actor;
  f.actor_ip = actor_ip;
  f.project = project;
  store::OutboxEvent e;
  e.id = f.id;
  e.kind = "cirrus";
  e.target_id = org_id;
  e.event_type = "audit_event";
  e.body = cirrus_audit_payload(f, *org).dump();
  e.created_at = e.next_attempt_at = f.timestamp;
  store_.insert_events({e});
  outbound_.wake();
}

}  // namespace halo::webhooks
