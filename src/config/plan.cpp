#include "config/plan.h"

#include <stdexcept>

namespace halo::config {

// Missing fields take their defaults, so plans stored by older versions still load.

namespace {

struct KindName {
  Step::Kind kind;
  const char* name;
};
constexpr KindName kKindNames[] = {
    {Step::Kind::Run, "run"},
    {Step::Kind::Checkout, "checkout"},
    {Step::Kind::SaveCache, "save_cache"},
    {Step::Kind::RestoreCache, "restore_cache"},
    {Step::Kind::StoreArtifacts, "store_artifacts"},
    {Step::Kind::StoreTestResults, "store_test_results"},
    {Step::Kind::PersistToWorkspace, "persist_to_workspace"},
    {Step::Kind::AttachWorkspace, "attach_workspace"},
    {Step::Kind::AddSshKeys, "add_ssh_keys"},
    {Step::Kind::SetupRemoteDocker, "setup_remote_docker"},
    {Step::Kind::InstallSigningBundle, "install_signing_bundle"},
};

}  // namespace

std::string step_kind_name(Step::Kind k) {
  for (const KindName& kn : kKindNames) {
    if (kn.kind == k) return kn.name;
  }
  return "run";
}

std::optional<Step::Kind> step_kind_from_name(std::string_view name) {
  for (const KindName& kn : kKindNames) {
    if (name == kn.name) return kn.kind;
  }
  return std::nullopt;
}

json to_json(const ContainerSpec& c) {
  json out{{"image", c.image},
           {"name", c.name},
           {"entrypoint", c.entrypoint},
           {"command", c.command},
           {"user", c.user},
           {"environment", c.environment},
           {"ports", c.ports},
           {"docker_layer_caching", c.docker_layer_caching}};
  if (c.auth) out["auth"] = {{"username", c.auth->username}, {"password", c.auth->password}};
  if (c.aws_auth) {
    out["aws_auth"] = {{"aws_access_key_id", c.aws_auth->aws_access_key_id},
                       {"aws_secret_access_key", c.aws_auth->aws_secret_access_key},
                       {"oidc_role_arn", c.aws_auth->oidc_role_arn}};
  }
  if (c.gcp_auth) {
    out["gcp_auth"] = {{"oidc_service_account", c.gcp_auth->oidc_service_account},
                       {"workload_identity_pool", c.gcp_auth->workload_identity_pool},
                       {"workload_identity_provider", c.gcp_auth->workload_identity_provider}};
  }
  return out;
}

ContainerSpec container_from_json(const json& j) {
  ContainerSpec c;
  c.image = j.value("image", c.image);
  c.name = j.value("name", c.name);
  c.entrypoint = j.value("entrypoint", c.entrypoint);
  c.command = j.value("command", c.command);
  c.user = j.value("user", c.user);
  c.environment = j.value("environment", c.environment);
  c.ports = j.value("ports", c.ports);
  c.docker_layer_caching = j.value("docker_layer_caching", c.docker_layer_caching);
  if (auto it = j.find("auth"); it != j.end() && it->is_object()) {
    c.auth =
        RegistryAuth{it->value("username", std::string()), it->value("password", std::string())};
  }
  if (auto it = j.find("aws_auth"); it != j.end() && it->is_object()) {
    c.aws_auth = AwsAuth{it->value("aws_access_key_id", std::string()),
                         it->value("aws_secret_access_key", std::string()),
                         it->value("oidc_role_arn", std::string())};
  }
  if (auto it = j.find("gcp_auth"); it != j.end() && it->is_object()) {
    c.gcp_auth = GcpAuth{it->value("oidc_service_account", std::string()),
                         it->value("workload_identity_pool", std::string()),
                         it->value("workload_identity_provider", std::string())};
  }
  return c;
}

json to_json(const Step& s) {
  return json{{"kind", step_kind_name(s.kind)},
              {"name", s.name},
              {"command", s.command},
              {"environment", s.environment},
              {"shell", s.shell},
              {"working_directory", s.working_directory},
              {"when", s.when},
              {"no_output_timeout_ms", s.no_output_timeout_ms},
              {"background", s.background},
              {"path", s.path},
              {"method", s.method},
              {"max_auto_reruns", s.max_auto_reruns},
              {"auto_rerun_delay_ms", s.auto_rerun_delay_ms},
              {"params", s.params}};
}

Step step_from_json(const json& j) {
  Step s;
  std::string kind = j.value("kind", std::string("run"));
  auto k = step_kind_from_name(kind);
  if (!k) throw std::invalid_argument("unknown step kind " + kind);
  s.kind = *k;
  s.name = j.value("name", s.name);
  s.command = j.value("command", s.command);
  s.environment = j.value("environment", s.environment);
  s.shell = j.value("shell", s.shell);
  s.working_directory = j.value("working_directory", s.working_directory);
  s.when = j.value("when", s.when);
  s.no_output_timeout_ms = j.value("no_output_timeout_ms", s.no_output_timeout_ms);
  s.background = j.value("background", s.background);
  s.path = j.value("path", s.path);
  s.method = j.value("method", s.method);
  s.max_auto_reruns = j.value("max_auto_reruns", s.max_auto_reruns);
  s.auto_rerun_delay_ms = j.value("auto_rerun_delay_ms", s.auto_rerun_delay_ms);
  if (auto it = j.find("params"); it != j.end() && it->is_object()) s.params = *it;
  return s;
}

json to_json(const Job& j) {
  json steps = json::array();
  for (const Step& s : j.steps) steps.push_back(to_json(s));
  json containers = json::array();
  for (const ContainerSpec& c : j.containers) containers.push_back(to_json(c));
  return json{{"name", j.name},
              {"type", j.type},
              {"executor_type", j.executor_type},
              {"image", j.image},
              {"containers", containers},
              {"docker_layer_caching", j.docker_layer_caching},
              {"code_signing", j.code_signing},
              {"resource_class", j.resource_class},
              {"working_directory", j.working_directory},
              {"shell", j.shell},
              {"environment", j.environment},
              {"parallelism", j.parallelism},
              {"steps", steps},
              {"retention_caches", j.retention_caches}};
}

Job job_from_json(const json& j) {
  Job out;
  out.name = j.value("name", out.name);
  out.type = j.value("type", out.type);
  out.executor_type = j.value("executor_type", out.executor_type);
  out.image = j.value("image", out.image);
  if (auto it = j.find("containers"); it != j.end() && it->is_array()) {
    for (const json& c : *it) out.containers.push_back(container_from_json(c));
  }
  out.docker_layer_caching = j.value("docker_layer_caching", out.docker_layer_caching);
  out.code_signing = j.value("code_signing", out.code_signing);
  out.resource_class = j.value("resource_class", out.resource_class);
  out.working_directory = j.value("working_directory", out.working_directory);
  out.shell = j.value("shell", out.shell);
  out.environment = j.value("environment", out.environment);
  out.parallelism = j.value("parallelism", out.parallelism);
  out.retention_caches = j.value("retention_caches", out.retention_caches);
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
  return json{{"name", wj.name},
              {"job", to_json(wj.job)},
              {"requires", reqs},
              {"contexts", wj.contexts},
              {"serial_group", wj.serial_group}};
}

WorkflowJob workflow_job_from_json(const json& j) {
  WorkflowJob wj;
  wj.name = j.value("name", wj.name);
  if (auto it = j.find("job"); it != j.end()) wj.job = job_from_json(*it);
  if (auto it = j.find("requires"); it != j.end()) {
    for (const json& r : *it) wj.requirements.push_back(requirement_from_json(r));
  }
  wj.contexts = j.value("contexts", wj.contexts);
  wj.serial_group = j.value("serial_group", wj.serial_group);
  return wj;
}

json to_json(const Workflow& w) {
  json jobs = json::array();
  for (const WorkflowJob& wj : w.jobs) jobs.push_back(to_json(wj));
  json triggers = json::array();
  for (const ScheduleTrigger& t : w.triggers) {
    json tj{{"cron", t.cron}};
    if (t.branches_only) tj["branches_only"] = *t.branches_only;
    if (t.branches_ignore) tj["branches_ignore"] = *t.branches_ignore;
    triggers.push_back(std::move(tj));
  }
  return json{{"name", w.name},
              {"jobs", jobs},
              {"triggers", triggers},
              {"max_auto_reruns", w.max_auto_reruns}};
}

Workflow workflow_from_json(const json& j) {
  Workflow w;
  w.name = j.value("name", w.name);
  if (auto it = j.find("jobs"); it != j.end()) {
    for (const json& wj : *it) w.jobs.push_back(workflow_job_from_json(wj));
  }
  if (auto it = j.find("triggers"); it != j.end() && it->is_array()) {
    for (const json& tj : *it) {
      ScheduleTrigger t;
      t.cron = tj.value("cron", t.cron);
      if (auto o = tj.find("branches_only"); o != tj.end())
        t.branches_only = o->get<std::vector<std::string>>();
      if (auto o = tj.find("branches_ignore"); o != tj.end())
        t.branches_ignore = o->get<std::vector<std::string>>();
      w.triggers.push_back(std::move(t));
    }
  }
  w.max_auto_reruns = j.value("max_auto_reruns", w.max_auto_reruns);
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
