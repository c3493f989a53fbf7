#include "config/compiler.h"

#include <algorithm>
#include <exception>
#include <set>

#include <fmt/format.h>

#include "config/emit.h"
#include "config/executors.h"
#include "config/jobs.h"
#include "config/parameters.h"
#include "config/substitution.h"
#include "config/workflows.h"
#include "config/yaml_source.h"

namespace halo::config {

std::string ConfigError::to_string() const {
  std::string where = path;
  if (line > 0) {
    where += fmt::format("{}(line {}, column {})", where.empty() ? "" : " ", line, column);
  }
  return where.empty() ? message : fmt::format("{}: {}", where, message);
}

namespace {

// Binds trigger-time pipeline parameters to the declarations.
std::map<std::string, json> bind_pipeline_parameters(const ParamDecls& decls, const json& given,
                                                     Diagnostics& diag) {
  std::map<std::string, json> out;
  for (const ParamDecl& d : decls) out[d.name] = d.default_value.value_or(json(nullptr));
  if (given.is_null()) return out;
  if (!given.is_object()) {
    diag.error("parameters", 0, 0, "pipeline parameters must be an object");
    return out;
  }
  std::string unexpected;
  for (const auto& [name, value] : given.items()) {
    auto d = std::find_if(decls.begin(), decls.end(),
                          [&](const ParamDecl& p) { return p.name == name; });
    if (d == decls.end()) {
      unexpected += (unexpected.empty() ? "" : ", ") + name;
      continue;
    }
    std::string why;
    if (auto v = coerce(*d, value, std::nullopt, why)) {
      out[name] = *v;
    } else {
      diag.error(d->at.path, d->at.line, d->at.column,
                 fmt::format("pipeline parameter {}: {}", name, why));
    }
  }
  if (!unexpected.empty()) {
    diag.error("parameters", 0, 0, fmt::format("Unexpected argument(s): {}", unexpected));
  }
  return out;
}

void compile_document(const CompileInput& input, const YAML::Node& root, Diagnostics& diag,
                      CompileResult& result) {
  At doc(root, "");
  if (!root.IsMap()) {
    diag.error(doc, fmt::format("the config must be a map, not a {}", kind_name(root)));
    return;
  }
  auto es = entries(doc, diag, "the config");
  Plan plan;
  const Entry* version = find(es, "version");
  if (version == nullptr) {
    diag.error(doc, "version is required (2, 2.0 or 2.1)");
  } else {
    std::string v = version->value.node.IsScalar() ? version->value.node.Scalar() : "";
    if (v != "2" && v != "2.0" && v != "2.1") {
      diag.error(version->value, fmt::format("unsupported version \"{}\"; use 2, 2.0 or 2.1", v));
    }
    plan.version = v;
  }
  bool v21 = plan.version == "2.1";
  if (const Entry* e = find(es, "setup")) {
    auto v = e->value.node.IsScalar() ? typed_scalar(e->value.node) : json();
    if (!v.is_boolean()) {
      diag.error(e->value, "setup must be true or false");
    } else {
      plan.setup = v.get<bool>();
      if (plan.setup && !v21) diag.error(e->value, "setup: true needs version 2.1");
    }
  }
  for (const char* k : {"orbs", "commands", "job-groups"}) {
    const Entry* e = find(es, k);
    if (e != nullptr && !e->value.node.IsNull())
      diag.error(e->key, fmt::format("{} are not supported yet", k));
  }
  // Other top-level keys are allowed: configs keep YAML anchors under aliases:, references:...

  PipelineScope pipeline;
  pipeline.values = input.pipeline_values.is_object() ? input.pipeline_values : json::object();
  ParamDecls pipeline_params;
  if (const Entry* e = find(es, "parameters")) {
    pipeline_params = parse_param_decls(e->value, ParamOwner::Pipeline, diag);
  }
  pipeline.parameters = bind_pipeline_parameters(pipeline_params, input.parameters, diag);

  ExecutorDefs executors;
  if (const Entry* e = find(es, "executors")) executors = parse_executor_defs(e->value, v21, diag);
  JobDefs jobs;
  if (const Entry* e = find(es, "jobs")) jobs = parse_job_defs(e->value, v21, diag);

  const Entry* wf = find(es, "workflows");
  std::set<std::string> invoked;
  WorkflowsInput in{&jobs, &executors, &pipeline};
  auto workflows = compile_workflows(wf ? &wf->value : nullptr, in, diag, invoked);

  // Jobs no workflow runs are still checked, when they can be without arguments.
  for (const auto& [name, def] : jobs) {
    if (invoked.count(name) || !invocable_without_arguments(def)) continue;
    compile_job(def, {}, def.at, executors, pipeline, diag);
  }

  if (diag.count() > 0) return;
  for (const auto& cw : workflows) plan.workflows.push_back(cw.workflow);
  result.compiled_yaml = emit_compiled_yaml(plan, workflows);
  result.plan = std::move(plan);
}

}  // namespace

CompileResult compile(const CompileInput& input) {
  CompileResult result;
  Diagnostics diag;
  try {
    YAML::Node root;
    try {
      root = YAML::Load(input.source);
    } catch (const YAML::Exception& e) {
      int line = e.mark.is_null() ? 0 : e.mark.line + 1;
      int column = e.mark.is_null() ? 0 : e.mark.column + 1;
      diag.error("", line, column, fmt::format("invalid YAML: {}", e.msg));
      result.errors = diag.errors();
      return result;
    }
    compile_document(input, root, diag, result);
  } catch (const std::exception& e) {
    // Never let user input escape as an exception; this is a bug worth reporting.
    diag.error("", 0, 0, fmt::format("internal error while compiling the config: {}", e.what()));
  } catch (...) {
    diag.error("", 0, 0, "internal error while compiling the config");
  }
  result.errors = diag.errors();
  if (!result.errors.empty()) {
    result.plan.reset();
    result.compiled_yaml.clear();
  }
  return result;
}

}  // namespace halo::config
