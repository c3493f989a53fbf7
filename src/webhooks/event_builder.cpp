#include "webhooks/event_builder.h"

#include <algorithm>
#include <set>

#include "common/crypto.h"
#include "common/time.h"
#include "model/status.h"
#include "webhooks/circleci_payload.h"
#include "webhooks/cirrus_payload.h"

namespace halo::webhooks {

namespace {

bool subscribed(const store::Webhook& h, const std::string& event) {
  for (const auto& e : h.events)
    if (e == event) return true;
  return false;
}

store::OutboxEvent outbox_event(const std::string& id, const std::string& kind,
                                const std::string& target, const std::string& type,
                                std::string body, int64_t now) {
  store::OutboxEvent e;
  e.id = id;
  e.kind = kind;
  e.target_id = target;
  e.event_type = type;
  e.body = std::move(body);
  e.created_at = now;
  e.next_attempt_at = now;
  return e;
}

// A job counts as completed for `job-completed` once it ends after having been queued:
// jobs that never ran (not_run, canceled while blocked) have no number and no run to report.
bool job_completed(const store::Job& before, const store::Job& after) {
  return after.type == "build" && !model::job_is_terminal(before.status) &&
         model::job_is_terminal(after.status) && after.status != model::job_status::kNotRun &&
         after.number != 0;
}

}  // namespace

EventBuilder::EventBuilder(store::Store& store, std::string base_url)
    : store_(store), base_url_(std::move(base_url)) {}

void EventBuilder::set_base_url(std::string url) {
  std::lock_guard lock(mu_);
  base_url_ = std::move(url);
}

std::string EventBuilder::base_url() {
  std::lock_guard lock(mu_);
  return base_url_;
}

void EventBuilder::on_change(const store::WorkflowState& before, store::WorkflowState& after) {
  const store::Workflow& w = after.workflow;
  auto project = store_.project_by_id(w.project_id);
  if (!project) return;
  auto hooks = store_.webhooks_of_project(project->id);
  auto cirrus = store_.org_settings(project->org_id);
  if (hooks.empty() && cirrus.cirrus_url.empty()) return;
  auto org = store_.org_by_id(project->org_id);
  auto pipeline = store_.pipeline_by_id(w.pipeline_id);
  if (!org || !pipeline) return;
  int64_t now = now_ms();

  if (!hooks.empty()) {
    EventSubject s{*project, *org, *pipeline, base_url()};
    for (size_t i = 0; i < after.jobs.size() && i < before.jobs.size(); ++i) {
      if (!job_completed(before.jobs[i], after.jobs[i])) continue;
      for (const auto& h : hooks) {
        if (!subscribed(h, "job-completed")) continue;
        EventStamp stamp{uuid_v4(), now};
        after.outbox.push_back(
            outbox_event(stamp.id, "circleci", h.id, "job-completed",
                         job_completed_payload(s, w, after.jobs[i], h, stamp).dump(), now));
      }
    }
    if (before.workflow.stopped_at == 0 && w.stopped_at != 0) {
      for (const auto& h : hooks) {
        if (!subscribed(h, "workflow-completed")) continue;
        EventStamp stamp{uuid_v4(), now};
        after.outbox.push_back(outbox_event(stamp.id, "circleci", h.id, "workflow-completed",
                                            workflow_completed_payload(s, w, h, stamp).dump(),
                                            now));
      }
    }
  }

  if (!cirrus.cirrus_url.empty()) {
    // The build's status depends on every workflow of the pipeline: the others are read as
    // committed (the store serializes writers, so they cannot change meanwhile). A workflow
    // that was rerun counts no more: its rerun stands for it.
    auto others = store_.workflows_of_pipeline(pipeline->id);
    std::set<std::string> rerun = {w.rerun_of};
    for (const auto& other : others) rerun.insert(other.rerun_of);
    std::vector<store::Job> jobs_before, jobs_after;
    for (const auto& other : others) {
      if (other.id == w.id || rerun.count(other.id)) continue;
      for (auto& j : store_.jobs_of_workflow(other.id)) {
        jobs_before.push_back(j);
        jobs_after.push_back(std::move(j));
      }
    }
    jobs_before.insert(jobs_before.end(), before.jobs.begin(), before.jobs.end());
    jobs_after.insert(jobs_after.end(), after.jobs.begin(), after.jobs.end());
    std::string old_build = cirrus_build_status(*pipeline, jobs_before);
    CirrusSubject s{*project, *org, *pipeline, cirrus_build_status(*pipeline, jobs_after), now, 0};
    if (s.build_status == "COMPLETED" || s.build_status == "FAILED" ||
        s.build_status == "ABORTED") {
      for (const auto& j : jobs_after)
        s.build_stopped_at = std::max(s.build_stopped_at, j.stopped_at);
    }
    for (size_t i = 0; i < after.jobs.size() && i < before.jobs.size(); ++i) {
      std::string was = cirrus_task_status(before.jobs[i].status);
      std::string is = cirrus_task_status(after.jobs[i].status);
      if (was == is) continue;
      after.outbox.push_back(
          outbox_event(uuid_v4(), "cirrus", org->id, "task",
                       cirrus_task_payload(s, after.jobs[i], "updated", was, now).dump(), now));
    }
    if (old_build != s.build_status) {
      after.outbox.push_back(outbox_event(uuid_v4(), "cirrus", org->id, "build",
                                          cirrus_build_payload(s, "updated", old_build).dump(),
                                          now));
    }
  }
}

void EventBuilder::on_create(const store::Pipeline& p, const std::vector<store::Job>& jobs,
                             std::vector<store::OutboxEvent>& out) {
  auto project = store_.project_by_id(p.project_id);
  if (!project) return;
  auto cirrus = store_.org_settings(project->org_id);
  if (cirrus.cirrus_url.empty()) return;
  auto org = store_.org_by_id(project->org_id);
  if (!org) return;
  int64_t now = now_ms();
  // The pipeline row is not written yet: render from the value, with the actor's login.
  store::Pipeline pl = p;
  if (pl.actor_login.empty() && !pl.actor_id.empty())
    if (auto u = store_.user_by_id(pl.actor_id)) pl.actor_login = u->login;
  CirrusSubject s{*project, *org, pl, cirrus_build_status(pl, jobs), now, 0};
  out.push_back(outbox_event(uuid_v4(), "cirrus", org->id, "build",
                             cirrus_build_payload(s, "created", "").dump(), now));
  for (const auto& j : jobs)
    out.push_back(outbox_event(uuid_v4(), "cirrus", org->id, "task",
                               cirrus_task_payload(s, j, "created", "", now).dump(), now));
}

}  // namespace halo::webhooks
