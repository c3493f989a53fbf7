// CircleCI API v1.1 job detail (GET /api/v1.1/project/{vcs}/{org}/{repo}/{build_num}) with
// steps[].actions[], and each action's output_url: the step's output as v1.1's JSON array,
// or raw text with `Accept: text/plain`, which follows the log while the step runs. Output
// is read from the append-only log in bounded batches, never whole.
#include <chrono>

#include "api/rest/render.h"
#include "api/rest/routes.h"
#include "api/rest/validation.h"
#include "common/error.h"
#include "common/time.h"
#include "model/links.h"
#include "model/project_slug.h"
#include "model/status.h"

namespace halo::rest {

namespace {

constexpr size_t kBatch = 256 * 1024;
constexpr uint64_t kInlineLimit = 1024 * 1024;  // larger outputs are streamed

std::string lifecycle_of(const std::string& status) {
  if (status == "queued") return "queued";
  if (status == "running") return "running";
  if (status == "blocked" || status == "on_hold") return "not_running";
  if (status == "not_run") return "not_run";
  return "finished";
}

store::Project project_for_output(ApiContext& ctx, const http::Request& req, store::Job& job) {
  auto canon = model::ProjectSlug::parse(req.params[0]);
  if (!canon) throw not_found("Project not found");
  auto project = ctx.store.project_by_slug(canon->str());
  if (!project) throw not_found("Project not found");
  auto j = ctx.store.job_by_number(project->id, parse_int_param(req.params[1], "Build number", 0));
  if (!j) throw not_found("Build not found");
  job = *j;
  return *project;
}

bool step_running(ApiContext& ctx, const std::string& job_id, int step, int node) {
  for (const auto& s : ctx.store.steps_of_job(job_id))
    if (s.index == step && s.node_index == node) return s.status == "running";
  return false;
}

}  // namespace

std::string ApiContext::output_url(const store::Project& p, int64_t job_number, int step,
                                   int node) {
  auto job = store.job_by_number(p.id, job_number);
  return base_url + "/api/v1.1/project/" + p.slug + "/" + std::to_string(job_number) + "/output/" +
         std::to_string(step) + "/" + std::to_string(node) +
         "?sig=" + output_signature(job ? job->id : "", step, node);
}

namespace {

// GET /api/v1.1/project/{project-slug}/{build_num}
http::Response get_build(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto project = ctx.access.visible_project(u, req.params[0]);
  auto job = ctx.store.job_by_number(project.id, parse_int_param(req.params[1], "Build number", 0));
  if (!job) throw not_found("Build not found");
  auto pipeline = ctx.store.pipeline_by_id(job->pipeline_id);
  auto workflow = ctx.store.workflow_by_id(job->workflow_id);
  // One entry per step, with one action per node of the job (rows come by step, then node).
  json steps = json::array();
  int last_index = -1;
  for (const auto& s : ctx.store.steps_of_job(job->id)) {
    int64_t end = s.ended_at ? s.ended_at : now_ms();
    json action = {
        {"index", s.node_index},
        {"step", s.index},
        {"name", s.name},
        {"type", "test"},
        {"status", s.status},
        {"failed", s.status == "failed" || s.status == "timedout"},
        {"exit_code", s.has_exit_code ? json(s.exit_code) : json(nullptr)},
        {"start_time", time_or_null(s.started_at)},
        {"end_time", time_or_null(s.ended_at)},
        {"run_time_millis", s.started_at ? json(end - s.started_at) : json(nullptr)},
        {"has_output", std::filesystem::exists(ctx.logs.path(job->id, s.index, s.node_index))},
        {"output_url", ctx.output_url(project, job->number, s.index, s.node_index)}};
    if (s.index != last_index) {
      steps.push_back({{"name", s.name}, {"actions", json::array()}});
      last_index = s.index;
    }
    steps.back()["actions"].push_back(std::move(action));
  }
  int64_t end = job->stopped_at ? job->stopped_at : now_ms();
  json out = {
      {"build_num", job->number},
      {"reponame", project.name},
      {"username", project.org_name},
      {"vcs_url", project.vcs_url},
      {"vcs_revision", pipeline ? pipeline->revision : ""},
      {"branch", pipeline && pipeline->tag.empty() ? json(pipeline->branch) : json(nullptr)},
      {"vcs_tag", pipeline && !pipeline->tag.empty() ? json(pipeline->tag) : json(nullptr)},
      {"subject", pipeline ? pipeline->commit_subject : ""},
      {"body", pipeline ? pipeline->commit_body : ""},
      {"status", job->status},
      {"lifecycle", lifecycle_of(job->status)},
      {"outcome", model::job_is_terminal(job->status) ? json(job->status) : json(nullptr)},
      {"failed", model::job_is_failure(job->status)},
      {"queued_at", time_or_null(job->queued_at)},
      {"start_time", time_or_null(job->started_at)},
      {"stop_time", time_or_null(job->stopped_at)},
      {"build_time_millis", job->started_at ? json(end - job->started_at) : json(nullptr)},
      {"parallel", job->spec.value("parallelism", 1)},
      {"build_url", model::job_web_url(ctx.base_url, project.slug, pipeline ? pipeline->number : 0,
                                       job->workflow_id, job->number)},
      {"workflows",
       {{"workflow_id", job->workflow_id},
        {"workflow_name", workflow ? workflow->name : ""},
        {"job_name", job->name},
        {"job_id", job->id}}},
      {"steps", steps}};
  return http::json_response(200, out);
}

// GET /api/v1.1/project/{project-slug}/{build_num}/output/{step}/{index}
http::Response get_step_output(ApiContext& ctx, http::Request& req) {
  store::Job job;
  auto project = project_for_output(ctx, req, job);
  int step = static_cast<int>(parse_int_param(req.params[2], "Step", 0));
  int node = static_cast<int>(parse_int_param(req.params[3], "Index", 0));
  std::string sig = req.query_param("sig");
  if (sig.empty() || !ctx.check_output_signature(job.id, step, node, sig)) {
    // Without a valid signature this is an ordinary authenticated read.
    auto u = ctx.authenticate(req);
    ctx.access.visible_project(u, project.slug);
  }
  if (node >= std::max(1, static_cast<int>(job.spec.value("parallelism", 1))))
    throw not_found("No such parallel run");
  bool text = wants_text(req);
  bool running = step_running(ctx, job.id, step, node);
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(ctx.logs.path(job.id, step, node), ec);
  if (ec) size = 0;

  auto render_records = [](const std::vector<store::LogRecord>& recs, bool text, bool& first) {
    std::string out;
    for (const auto& rec : recs) {
      if (text) {
        out += rec.data;
      } else {
        if (!first) out += ",";
        first = false;
        out += json{{"type", "out"}, {"time", rfc3339(rec.time_ms)}, {"message", rec.data}}.dump(
            -1, ' ', false, json::error_handler_t::replace);
      }
    }
    return out;
  };

  if (!running && size <= kInlineLimit) {
    std::vector<store::LogRecord> recs;
    ctx.logs.read(job.id, step, 0, kInlineLimit + 1, recs, node);
    bool first = true;
    http::Response res;
    res.status = 200;
    if (text) {
      res.content_type = "text/plain; charset=utf-8";
      res.body = render_records(recs, true, first);
    } else {
      res.body = "[" + render_records(recs, false, first) + "]";
    }
    return res;
  }

  // Stream: bounded batches; while the step runs, wait for appends (no polling loop
  // on the file: the log store notifies).
  http::Response res;
  res.content_type = text ? "text/plain; charset=utf-8" : "application/json";
  std::string job_id = job.id;
  res.stream = [&ctx, job_id, step, node, text, render_records](http::StreamWriter& w) {
    uint64_t offset = 0;
    bool first = true;
    bool finishing = false;  // the step ended: drain what is left, then stop
    if (!text && !w.write("[")) return;
    while (true) {
      uint64_t gen = ctx.logs.generation();
      std::vector<store::LogRecord> recs;
      uint64_t next = ctx.logs.read(job_id, step, offset, kBatch, recs, node);
      if (!recs.empty()) {
        if (!w.write(render_records(recs, text, first))) return;
        offset = next;
        continue;
      }
      if (finishing) break;
      if (!step_running(ctx, job_id, step, node) || ctx.stopping) {
        finishing = true;
        continue;
      }
      ctx.logs.wait(gen, std::chrono::milliseconds(500));
    }
    if (!text) w.write("]");
  };
  return res;
}

}  // namespace

void register_v1_jobs(http::Router& r, ApiContext& ctx) {
  r.add("GET", "/api/v1.1/project/{project-slug}/{build_num}", endpoint(ctx, get_build));
  r.add("GET", "/api/v1.1/project/{project-slug}/{build_num}/output/{step}/{index}",
        endpoint(ctx, get_step_output));
}

}  // namespace halo::rest
