#include "engine/job_secrets.h"

#include "common/ssh_key.h"

#include "common/secrets_vault.h"
#include "config/expression.h"
#include "config/logic.h"
#include "model/pipeline_values.h"

namespace halo::engine {

JobSecrets resolve_job_secrets(store::Store& store, const std::string& master_key,
                               const store::Project& project, const store::Pipeline& pipeline,
                               const store::Job& job, bool with_ssh_keys) {
  JobSecrets out;
  const SecretsVault vault(master_key);
  // Expression restrictions see the pipeline's values ("pipeline.git.branch", ...).
  config::PipelineScope pipeline_scope;
  for (auto& [k, v] : pipeline.values.items())
    pipeline_scope.values[model::pipeline_value_key(k)] = v;
  config::Scope scope;
  scope.pipeline = &pipeline_scope;
  for (const auto& v : store.project_env(project.id)) {
    std::string value = vault.open_project_env(project.id, v.name, v.sealed);
    out.environment[v.name] = value;
    out.values.push_back(value);
  }
  for (const auto& name_json : job.contexts) {
    std::string name = name_json.get<std::string>();
    auto ctx = store.context_by_name(project.org_id, name);
    if (!ctx) {
      out.denied_status = "failed";
      out.message = "Context '" + name + "' does not exist in organization " + project.org_name;
      return out;
    }
    bool has_project_rule = false, project_allowed = false;
    for (const auto& r : store.restrictions(ctx->id)) {
      if (r.type == "project") {
        has_project_rule = true;
        project_allowed |= r.value == project.id;
      } else if (r.type == "expression") {
        // Every expression restriction must hold for this pipeline (CircleCI's rule).
        std::string error;
        auto value = config::evaluate_expression(r.value, scope, error);
        if (!value || !config::truthy(*value)) {
          out.denied_status = "unauthorized";
          out.message = "Context '" + name + "' is restricted by the expression `" + r.value +
                        "`, which " +
                        (value ? std::string("is false for this pipeline")
                               : "could not be evaluated: " + error);
          return out;
        }
      }
    }
    if (has_project_rule && !project_allowed) {
      out.denied_status = "unauthorized";
      out.message = "Context '" + name + "' is restricted to other projects; " + project.slug +
                    " may not use it";
      return out;
    }
    for (const auto& v : store.context_env(ctx->id)) {
      std::string value = vault.open_context_env(ctx->id, v.name, v.sealed);
      out.environment[v.name] = value;
      out.values.push_back(value);
    }
  }
  auto keys = store.checkout_keys(project.id);
  for (const auto& k : keys) {
    if (k.preferred)
      out.ssh_private_key = vault.open_checkout_key(project.id, k.fingerprint, k.private_sealed);
    if (with_ssh_keys) {
      out.ssh_keys.push_back({k.fingerprint, ssh_fingerprint_sha256(k.public_key), "",
                              vault.open_checkout_key(project.id, k.fingerprint, k.private_sealed),
                              true});
    }
  }
  if (with_ssh_keys) {
    for (const auto& k : store.ssh_keys(project.id)) {
      out.ssh_keys.push_back(
          {k.fingerprint, ssh_fingerprint_sha256(k.public_key), k.hostname,
           vault.open_ssh_key(project.id, k.fingerprint, k.hostname, k.private_sealed), false});
    }
  }
  return out;
}

}  // namespace halo::engine
