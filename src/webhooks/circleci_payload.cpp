#include "webhooks/circleci_payload.h"

#include "common/time.h"
#include "model/links.h"
#include "model/project_slug.h"

namespace halo::webhooks {

namespace {

model::Vcs vcs_of(const store::Org& org) {
  return model::parse_vcs(org.vcs_type).value_or(model::Vcs::GitHub);
}

ordered_json head(const std::string& type, const store::Webhook& hook, const EventStamp& stamp) {
  ordered_json out;
  out["id"] = stamp.id;
  out["type"] = type;
  out["happened_at"] = rfc3339(stamp.happened_at);
  out["webhook"] = {{"id", hook.id}, {"name", hook.name}};
  return out;
}

void add_subject(ordered_json& out, const EventSubject& s) {
  out["project"] = {
      {"id", s.project.id}, {"name", s.project.name}, {"slug", long_slug(s.project, s.org)}};
  out["organization"] = {{"id", s.org.id}, {"name", s.org.name}};
}

ordered_json workflow_object(const EventSubject& s, const store::Workflow& w, bool with_status) {
  ordered_json out;
  out["id"] = w.id;
  out["name"] = w.name;
  out["created_at"] = rfc3339(w.created_at);
  if (w.stopped_at) out["stopped_at"] = rfc3339(w.stopped_at);
  out["url"] =
      model::workflow_web_url(s.base_url, long_slug(s.project, s.org), s.pipeline.number, w.id);
  if (with_status) out["status"] = w.status;
  return out;
}

ordered_json pipeline_object(const EventSubject& s) {
  const store::Pipeline& p = s.pipeline;
  ordered_json vcs;
  vcs["provider_name"] = std::string(model::vcs_provider_name(vcs_of(s.org)));
  vcs["origin_repository_url"] = s.project.vcs_url;
  vcs["target_repository_url"] = s.project.vcs_url;
  vcs["revision"] = p.revision;
  if (!p.tag.empty())
    vcs["tag"] = p.tag;
  else
    vcs["branch"] = p.branch;
  vcs["commit"] = {{"subject", p.commit_subject}, {"body", p.commit_body}};
  ordered_json out;
  out["id"] = p.id;
  out["number"] = p.number;
  out["created_at"] = rfc3339(p.created_at);
  out["trigger"] = {{"type", p.trigger_type}};
  out["vcs"] = std::move(vcs);
  return out;
}

}  // namespace

std::string long_slug(const store::Project& p, const store::Org& o) {
  return model::ProjectSlug{vcs_of(o), o.name, p.name}.long_str();
}

std::string payload_job_status(const std::string& status) {
  if (status == "timedout" || status == "infrastructure_fail" || status == "terminated-unknown")
    return "failed";
  return status;
}

ordered_json job_completed_payload(const EventSubject& s, const store::Workflow& w,
                                   const store::Job& j, const store::Webhook& hook,
                                   const EventStamp& stamp) {
  ordered_json out = head("job-completed", hook, stamp);
  add_subject(out, s);
  out["workflow"] = workflow_object(s, w, false);
  out["pipeline"] = pipeline_object(s);
  ordered_json job;
  job["id"] = j.id;
  job["number"] = j.number;
  job["name"] = j.name;
  job["status"] = payload_job_status(j.status);
  job["started_at"] = rfc3339(j.started_at ? j.started_at : j.stopped_at);
  if (j.stopped_at) job["stopped_at"] = rfc3339(j.stopped_at);
  out["job"] = std::move(job);
  return out;
}

ordered_json workflow_completed_payload(const EventSubject& s, const store::Workflow& w,
                                        const store::Webhook& hook, const EventStamp& stamp) {
  ordered_json out = head("workflow-completed", hook, stamp);
  add_subject(out, s);
  out["workflow"] = workflow_object(s, w, true);
  out["pipeline"] = pipeline_object(s);
  return out;
}

}  // namespace halo::webhooks
