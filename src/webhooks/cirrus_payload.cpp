#include "webhooks/cirrus_payload.h"

#include "common/crypto.h"
#include "model/status.h"

namespace halo::webhooks {

int64_t cirrus_id(const std::string& uuid) {
  std::string h = sha256(uuid);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(h[static_cast<size_t>(i)]);
  v &= (uint64_t{1} << 53) - 1;
  return static_cast<int64_t>(v == 0 ? 1 : v);
}

std::string cirrus_task_status(const std::string& s) {
  namespace js = model::job_status;
  if (s == js::kBlocked) return "CREATED";
  if (s == js::kQueued) return "SCHEDULED";
  if (s == js::kRunning) return "EXECUTING";
  if (s == js::kOnHold) return "PAUSED";
  if (s == js::kSuccess) return "COMPLETED";
  if (s == js::kCanceled) return "ABORTED";
  if (s == js::kNotRun) return "SKIPPED";
  return "FAILED";  // failed, timedout, infrastructure_fail, unauthorized, terminated-unknown
}

std::string cirrus_build_status(const store::Pipeline& p, const std::vector<store::Job>& jobs) {
  if (p.state == "errored") return "ERRORED";
  bool all_terminal = true, started = false, on_hold = false, failed = false, aborted = false;
  for (const auto& j : jobs) {
    bool terminal = model::job_is_terminal(j.status);
    all_terminal &= terminal;
    started |= terminal || j.status == model::job_status::kRunning;
    on_hold |= j.status == model::job_status::kOnHold;
    failed |= model::job_is_failure(j.status) || j.status == model::job_status::kUnauthorized;
    aborted |= j.status == model::job_status::kCanceled;
  }
  if (jobs.empty()) return "COMPLETED";
  if (all_terminal) return failed ? "FAILED" : aborted ? "ABORTED" : "COMPLETED";
  if (on_hold) return "NEEDS_APPROVAL";
  return started ? "EXECUTING" : "CREATED";
}

namespace {

ordered_json repository(const store::Project& p, const store::Org& o) {
  ordered_json r;
  r["id"] = cirrus_id(p.id);
  r["owner"] = o.name;
  r["name"] = p.name;
  r["isPrivate"] = true;  // halo projects are visible to their org's members only
  return r;
}

ordered_json build(const CirrusSubject& s) {
  const store::Pipeline& p = s.pipeline;
  int64_t end = s.build_stopped_at ? s.build_stopped_at : s.now;
  ordered_json b;
  b["id"] = cirrus_id(p.id);
  b["branch"] = p.tag.empty() ? p.branch : p.tag;
  b["durationInSeconds"] = end > p.created_at ? (end - p.created_at) / 1000 : 0;
  b["changeIdInRepo"] = p.revision;
  b["changeTimestamp"] = p.created_at;  // halo does not keep commit times; the trigger's time
  b["changeMessageTitle"] = p.commit_subject;
  b["status"] = s.build_status;
  b["user"] = {{"id", p.actor_id.empty() ? 0 : cirrus_id(p.actor_id)}, {"username", p.actor_login}};
  return b;
}

ordered_json head(const std::string& action, const std::string& old_status) {
  ordered_json out;
  out["action"] = action;
  if (!old_status.empty()) out["old_status"] = old_status;
  return out;
}

}  // namespace

ordered_json cirrus_build_payload(const CirrusSubject& s, const std::string& action,
                                  const std::string& old_status) {
  ordered_json out = head(action, old_status);
  out["repository"] = repository(s.project, s.org);
  out["build"] = build(s);
  out["task"] = ordered_json::object();
  return out;
}

ordered_json cirrus_task_payload(const CirrusSubject& s, const store::Job& j,
                                 const std::string& action, const std::string& old_status,
                                 int64_t status_timestamp) {
  ordered_json out = head(action, old_status);
  out["repository"] = repository(s.project, s.org);
  out["build"] = build(s);
  int64_t end = j.stopped_at ? j.stopped_at : s.now;
  ordered_json t;
  t["id"] = cirrus_id(j.id);
  t["name"] = j.name;
  t["nameAlias"] = j.name;
  t["status"] = cirrus_task_status(j.status);
  t["statusTimestamp"] = status_timestamp;
  t["creationTimestamp"] = j.created_at;
  t["durationInSeconds"] = j.started_at && end > j.started_at ? (end - j.started_at) / 1000 : 0;
  t["uniqueLabels"] = ordered_json::array();
  t["automaticReRun"] = false;
  t["automaticallyReRunnable"] = false;
  t["manualRerunCount"] = 0;
  t["instanceType"] = j.spec.is_object() ? j.spec.value("executor_type", "") : "";
  t["notifications"] = ordered_json::array();
  if (!j.message.empty())
    t["notifications"].push_back({{"level", "ERROR"}, {"message", j.message}, {"link", ""}});
  out["task"] = std::move(t);
  return out;
}

ordered_json cirrus_audit_payload(const AuditFact& f, const store::Org& org) {
  ordered_json out;
  out["id"] = f.id;
  out["type"] = f.type;
  out["timestamp"] = f.timestamp;
  out["data"] = ordered_json{{"mutationName", f.mutation_name}}.dump();
  out["actor"] = {{"id", cirrus_id(f.actor.id)}, {"username", f.actor.login}};
  out["actorLocationIp"] = f.actor_ip;
  out["action"] = "created";
  out["repository"] = f.project ? repository(*f.project, org) : ordered_json::object();
  out["build"] = ordered_json::object();
  out["task"] = ordered_json::object();
  return out;
}

}  // namespace halo::webhooks
