#include "config/plan.h"

#include <stdexcept>

namespace halo::config {

// Missing fields take their defaults, so plans stored by older versions still load.

json to_json(const Step& s) {
  return json{{"kind", s.kind == Step::Kind::Checkout ? "checkout" : "run"},
              {"name", s.name},
              {"command", s.command},
              {"environment", s.environment},
              {"shell", s.shell},
              {"working_directory", s.working_directory},
              {"when", s.when},
              {"no_output_timeout_ms", s.no_output_timeout_ms},
              {"background", s.background},
              {"path", s.path}};
}

Step step_from_json(const json& j) {
  Step s;
  std::string kind = j.value("kind", std::string("run"));
  if (kind == "checkout") {
    s.kind = Step::Kind::Checkout;
  } else if (kind != "run") {
    throw std::invalid_argument("unknown step kind " + kind);
  }
  s.name = j.value("name", s.name);
  s.command = j.value("command", s.command);
  s.environment = j.value("environment", s.environment);
  s.shell = j.value("shell", s.shell);
  s.working_directory = j.value("working_directory", s.working_directory);
  s.when = j.value("when", s.when);
  s.no_output_timeout_ms = j.value("no_output_timeout_ms", s.no_output_timeout_ms);
  s.background = j.value("background", s.background);
  s.path = j.value("path", s.path);
  return s;
}

json to_json(const Job& j) {
  json steps = json::array();
  for (const Step& s : j.steps) steps.push_back(to_json(s));
  return json{{"name", j.name},
              {"type", j.type},
              {"executor_type", j.executor_type},
              {"image", j.image},
              {"resource_class", j.resource_class},
              {"working_directory", j.working_directory},
              {"shell", j.shell},
              {"environment", j.environment},
              {"parallelism", j.parallelism},
              {"steps", steps}};
}

Job job_from_json(const json& j) {
  Job out;
  out.name = j.value("name", out.name);
  out.type = j.value("type", out.type);
  out.executor_type = j.value("executor_type", out.executor_type);
  out.image = j.value("image", out.image);
  out.resource_class = j.value("resource_class", out.resource_class);
  out.working_directory = j.value("working_directory", out.working_directory);
  out.shell = j.value("shell", out.shell);
  out.environment = j.value("environment", out.environment);
  out.parallelism = j.value("parallelism", out.parallelism);
  if (auto it = j.find("steps"); it != j.end()) {
    for (const json& s : *it) out.steps.push_back(step_from_json(s));
  }
  return out;
}

json to_json(const Requirement& r) {
  return json{{"job", r.job}, {"statuses", r.statuses}};
}

Requirement requirement_from_json(const json& j) {
  Requirement r;
  r.job = j.value("job", r.job);
  r.statuses = j.value("statuses", r.statuses);
  return r;
}

json to_json(const WorkflowJob& wj) {
  json reqs = json::array();
  for (const Requirement& r : wj.requirements) reqs.push_back(to_json(r));
  return json{
      {"name", wj.name}, {"job", to_json(wj.job)}, {"requires", reqs}, {"contexts", wj.contexts}};
}

WorkflowJob workflow_job_from_json(const json& j) {
  WorkflowJob wj;
  wj.name = j.value("name", wj.name);
  if (auto it = j.find("job"); it != j.end()) wj.job = job_from_json(*it);
  if (auto it = j.find("requires"); it != j.end()) {
    for (const json& r : *it) wj.requirements.push_back(requirement_from_json(r));
  }
  wj.contexts = j.value("contexts", wj.contexts);
  return wj;
}

json to_json(const Workflow& w) {
  json jobs = json::array();
  for (const WorkflowJob& wj : w.jobs) jobs.push_back(to_json(wj));
  return json{{"name", w.name}, {"jobs", jobs}};
}

Workflow workflow_from_json(const json& j) {
  Workflow w;
  w.name = j.value("name", w.name);
  if (auto it = j.find("jobs"); it != j.end()) {
    for (const json& wj : *it) w.jobs.push_back(workflow_job_from_json(wj));
  }
  return w;
}

json to_json(const Plan& p) {
  json workflows = json::array();
  for (const Workflow& w : p.workflows) workflows.push_back(to_json(w));
  return json{{"version", p.version}, {"setup", p.setup}, {"workflows", workflows}};
}

Plan plan_from_json(const json& j) {
  Plan p;
  p.version = j.value("version", p.version);
  p.setup = j.value("setup", p.setup);
  if (auto it = j.find("workflows"); it != j.end()) {
    for (const json& w : *it) p.workflows.push_back(workflow_from_json(w));
  }
  return p;
}

}  // namespace halo::config
