#include "config/jobs.h"

#include <fmt/format.h>

#include "config/elements.h"
#include "config/environment.h"
#include "config/regex.h"
#include "config/steps.h"

namespace halo::config {

JobDefs parse_job_defs(const At& at, bool strict_names, const Elements* home, Diagnostics& diag) {
  JobDefs out;
  if (!at.node.IsDefined() || at.node.IsNull()) return out;
  for (const Entry& e : entries(at, diag, "jobs")) {
    // `orb/job`: an orb's job, as processed configs name the jobs they inlined.
    size_t slash = e.name.find('/');
    bool inlined = slash != std::string::npos && is_element_name(e.name.substr(0, slash)) &&
                   is_element_name(e.name.substr(slash + 1));
    if (strict_names && !is_job_name(e.name) && !inlined) {
      diag.error(e.key, fmt::format("invalid job name {}: names start with a letter and use only "
                                    "letters, digits, white space, _ and -",
                                    e.name));
    }
    auto es = entries(e.value, diag, fmt::format("job {}", e.name));
    if (!e.value.node.IsMap()) continue;
    JobDef def{e.name, e.value, {}, home};
    if (const Entry* p = find(es, "parameters")) {
      def.params = parse_param_decls(p->value, ParamOwner::Element, diag);
      for (const ParamDecl& d : def.params) {
        for (const char* reserved : {"name", "requires", "context", "type", "filters", "matrix"}) {
          if (d.name == reserved) {
            diag.error(d.at, fmt::format("{} is reserved and cannot be a job parameter", d.name));
          }
        }
      }
    }
    out.emplace(e.name, std::move(def));
  }
  return out;
}

bool invocable_without_arguments(const JobDef& def) {
  for (const ParamDecl& d : def.params) {
    if (!d.default_value) return false;
  }
  return true;
}

Job compile_job(const JobDef& def, const std::vector<Arg>& args, const At& where,
                const PipelineScope& pipeline, Diagnostics& diag, const std::string& invoked_as) {
  Job job;
  job.name = invoked_as.empty() ? def.name : invoked_as;
  NodeValues nodes;
  Scope defaults{&pipeline, nullptr, def.home};
  ParamValues values =
      bind_arguments(def.params, args, where, diag, describe_element("job", job.name, def.home),
                     &nodes, &defaults);
  Scope scope{&pipeline, &values, def.home, &nodes};
  auto es = entries(def.at, diag, "a job");
  reject_unknown_keys(es,
                      {"docker", "machine", "macos", "executor", "resource_class",
                       "working_directory", "environment", "shell", "parallelism", "steps", "type",
                       "parameters", "description", "circleci_ip_ranges", "retention", "branches"},
                      diag, "a job");
  if (const Entry* e = find(es, "retention")) {
    auto rs = entries(e->value, diag, "retention");
    reject_unknown_keys(rs, {"caches"}, diag, "retention");
    if (const Entry* c = find(rs, "caches")) {
      auto v = scalar_text(c->value, scope, diag, "retention.caches");
      std::string why;
      static const auto re = compile_regex("([1-9]|[12][0-9]|30)d", why);
      if (v && !full_match(*re, *v)) {
        diag.error(c->value, fmt::format("retention.caches must be 1d to 30d, not \"{}\"", *v));
      } else if (v) {
        job.retention_caches = *v;
      }
    }
  }
  // `branches:` on a job is the 2.0 form of workflow filters; workflows decide what runs.

  if (const Entry* e = find(es, "type")) {
    auto t = scalar_text(e->value, scope, diag, "type");
    if (t && *t != "build" && *t != "approval" && *t != "no-op") {
      diag.error(e->value,
                 fmt::format("job type must be build, approval or no-op, not \"{}\"", *t));
    } else if (t) {
      job.type = *t;
    }
  }
  bool build = job.type == "build";
  bool has_executor = false;
  for (const Entry& e : es) has_executor = has_executor || is_executor_key(e.name);

  // Approval and no-op jobs run nothing, so they need no executor.
  if (build || has_executor) {
    if (auto ex = resolve_executor(es, def.at, true, scope, diag)) {
      job.executor_type = ex->type;
      job.image = ex->image;
      job.containers = std::move(ex->containers);
      job.docker_layer_caching = ex->docker_layer_caching;
      job.code_signing = ex->code_signing;
      if (ex->resource_class) job.resource_class = *ex->resource_class;
      if (ex->shell) job.shell = *ex->shell;
      if (ex->working_directory) job.working_directory = *ex->working_directory;
      job.environment = ex->environment;
    }
  }
  // The job's own keys win over its executor's; environments merge.
  if (const Entry* e = find(es, "resource_class")) {
    if (auto v = scalar_text(e->value, scope, diag, "resource_class"); v && !v->empty()) {
      job.resource_class = *v;
    }
  }
  if (const Entry* e = find(es, "working_directory")) {
    if (auto v = scalar_text(e->value, scope, diag, "working_directory"); v && !v->empty()) {
      job.working_directory = *v;
    }
  }
  if (const Entry* e = find(es, "shell"))
    job.shell = scalar_text(e->value, scope, diag, "shell").value_or("");
  if (const Entry* e = find(es, "environment"))
    read_environment(e->value, scope, diag, job.environment);
  if (const Entry* e = find(es, "circleci_ip_ranges")) {
    auto v = scalar_value(e->value, scope, diag, "circleci_ip_ranges");
    if (v && !v->is_boolean()) diag.error(e->value, "circleci_ip_ranges must be true or false");
  }
  if (const Entry* e = find(es, "parallelism")) {
    auto v = scalar_value(e->value, scope, diag, "parallelism");
    if (v && v->is_number_integer() && v->get<int64_t>() >= 1 &&
        v->get<int64_t>() <= kMaxParallelism) {
      job.parallelism = static_cast<int>(v->get<int64_t>());
    } else if (v) {
      diag.error(e->value,
                 fmt::format("parallelism must be an integer from 1 to {}, not {}", kMaxParallelism,
                             v->is_string() ? v->get<std::string>() : v->dump()));
    }
  }
  const Entry* steps = find(es, "steps");
  if (steps != nullptr) {
    job.steps = compile_steps(steps->value, scope, diag);
  } else if (build) {
    diag.error(def.at, fmt::format("job {} needs steps", def.name));
  }
  return job;
}

}  // namespace halo::config
