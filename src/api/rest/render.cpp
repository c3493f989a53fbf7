#include "api/rest/render.h"

#include "common/time.h"
#include "model/links.h"
#include "model/project_slug.h"
#include "model/status.h"

namespace halo::rest {

json time_or_null(int64_t ms) {
  return ms ? json(rfc3339(ms)) : json(nullptr);
}

std::string provider_title(const std::string& slug) {
  auto parsed = model::ProjectSlug::parse(slug);
  return std::string(model::vcs_provider_name(parsed ? parsed->vcs : model::Vcs::GitHub));
}

json render_user(const store::User& u) {
  return {{"id", u.id}, {"login", u.login}, {"name", u.name}, {"avatar_url", ""}};
}

json render_pipeline(ApiContext& ctx, const store::Pipeline& p) {
  (void)ctx;
  json vcs = {{"provider_name", provider_title(p.project_slug)},
              {"target_repository_url", p.vcs_url},
              {"origin_repository_url", p.vcs_url},
              {"revision", p.revision},
              {"commit", {{"subject", p.commit_subject}, {"body", p.commit_body}}}};
  if (!p.tag.empty())
    vcs["tag"] = p.tag;
  else
    vcs["branch"] = p.branch;
  json trigger_parameters = json::object();
  if (!p.parameters.empty()) trigger_parameters = p.parameters;
  return {{"id", p.id},
          {"errors", p.errors},
          {"project_slug", p.project_slug},
          {"updated_at", rfc3339(p.updated_at)},
          {"number", p.number},
          {"trigger_parameters", trigger_parameters},
          {"state", p.state},
          {"created_at", rfc3339(p.created_at)},
          {"trigger",
           {{"type", p.trigger_type},
            {"received_at", rfc3339(p.created_at)},
            {"actor", {{"login", p.actor_login}, {"avatar_url", ""}}}}},
          {"vcs", vcs}};
}

json render_workflow(const store::Workflow& w, const store::Pipeline& p) {
  json out = {{"pipeline_id", w.pipeline_id},
              {"id", w.id},
              {"name", w.name},
              {"project_slug", p.project_slug},
              {"status", w.status},
              {"started_by", w.started_by},
              {"pipeline_number", p.number},
              {"created_at", rfc3339(w.created_at)},
              {"stopped_at", time_or_null(w.stopped_at)}};
  if (!w.canceled_by.empty()) out["canceled_by"] = w.canceled_by;
  return out;
}

json render_workflow_job(const store::Job& j, const std::vector<store::Job>& all,
                         const std::string& project_slug) {
  json deps = json::array();
  json required = json::object();
  for (const auto& r : j.requirements) {
    std::string name = r.at("job");
    for (const auto& other : all)
      if (other.name == name) deps.push_back(other.id);
    required[name] = r.at("statuses");
  }
  json out = {{"dependencies", deps},
              {"id", j.id},
              {"started_at", time_or_null(j.started_at)},
              {"name", j.name},
              {"project_slug", project_slug},
              {"status", j.status},
              {"type", j.type == "approval" ? "approval" : "build"},
              {"requires", required}};
  if (j.number) out["job_number"] = j.number;
  if (j.stopped_at) out["stopped_at"] = rfc3339(j.stopped_at);
  if (!j.canceled_by.empty()) out["canceled_by"] = j.canceled_by;
  if (j.type == "approval") out["approval_request_id"] = j.id;
  if (!j.approved_by.empty()) out["approved_by"] = j.approved_by;
  return out;
}

json render_project(ApiContext& ctx, const store::Project& p) {
  (void)ctx;
  std::string vcs = p.slug.substr(0, p.slug.find('/'));
  return {{"slug", p.slug},
          {"name", p.name},
          {"id", p.id},
          {"organization_name", p.org_name},
          {"organization_slug", vcs + "/" + p.org_name},
          {"organization_id", p.org_id},
          {"vcs_info",
           {{"vcs_url", p.vcs_url},
            {"provider", provider_title(p.slug)},
            {"default_branch", p.default_branch}}}};
}

json render_job_details(ApiContext& ctx, const store::Job& j, const store::Project& project) {
  auto pipeline = ctx.store.pipeline_by_id(j.pipeline_id);
  auto workflow = ctx.store.workflow_by_id(j.workflow_id);
  int64_t end = j.stopped_at ? j.stopped_at : (j.started_at ? now_ms() : 0);
  int64_t duration = j.started_at ? end - j.started_at : 0;
  json contexts = json::array();
  for (const auto& c : j.contexts) contexts.push_back({{"name", c}});
  json messages = json::array();
  if (!j.message.empty())
    messages.push_back({{"type", "info"}, {"message", j.message}, {"reason", j.status}});
  std::string web_url = model::job_web_url(
      ctx.base_url, project.slug, pipeline ? pipeline->number : 0, j.workflow_id, j.number);
  int parallelism = j.spec.value("parallelism", 1);
  json runs = json::array();
  if (parallelism <= 1) {
    runs.push_back({{"index", 0}, {"status", j.status}});
  } else {
    // Each node's status from its steps: failed if one of them failed, else the job's own
    // while it runs, success once they all passed.
    std::vector<std::string> node_status(static_cast<size_t>(parallelism), "");
    for (const auto& s : ctx.store.steps_of_job(j.id)) {
      if (s.node_index < 0 || s.node_index >= parallelism) continue;
      auto& st = node_status[static_cast<size_t>(s.node_index)];
      if (s.status == "failed" || s.status == "timedout")
        st = "failed";
      else if (s.status == "canceled" && st != "failed")
        st = "canceled";
    }
    for (int i = 0; i < parallelism; ++i) {
      std::string st = node_status[static_cast<size_t>(i)];
      if (st.empty())
        st = j.status == "failed" && model::job_is_terminal(j.status) ? "success" : j.status;
      runs.push_back({{"index", i}, {"status", st}});
    }
  }
  return {{"web_url", web_url},
          {"project",
           {{"id", project.id},
            {"slug", project.slug},
            {"name", project.name},
            {"external_url", project.vcs_url}}},
          {"parallel_runs", runs},
          {"started_at", time_or_null(j.started_at)},
          {"latest_workflow", {{"id", j.workflow_id}, {"name", workflow ? workflow->name : ""}}},
          {"name", j.name},
          {"executor",
           {{"type", j.spec.value("executor_type", "")},
            {"resource_class", j.spec.value("resource_class", "medium")}}},
          {"parallelism", parallelism},
          {"status", j.status},
          {"number", j.number},
          {"pipeline", {{"id", j.pipeline_id}}},
          {"duration", duration},
          {"created_at", rfc3339(j.created_at)},
          {"messages", messages},
          {"contexts", contexts},
          {"organization", {{"name", project.org_name}}},
          {"queued_at", time_or_null(j.queued_at)},
          {"stopped_at", time_or_null(j.stopped_at)}};
}

}  // namespace halo::rest
