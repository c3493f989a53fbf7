#include "config/compiler.h"

#include <algorithm>
#include <exception>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/emit.h"
#include "config/executors.h"
#include "config/jobs.h"
#include "config/orbs.h"
#include "config/parameters.h"
#include "config/steps.h"
#include "config/substitution.h"
#include "config/workflows.h"
#include "config/yaml_load.h"
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
  for (const auto& item : given.items()) {
    // Plain names: clang 14 cannot capture structured bindings in the lambda below.
    const std::string& name = item.key();
    const json& value = item.value();
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

// Elements nothing uses are checked for their structure, but not for the commands they call:
// CircleCI expands only what workflows use, and real configs keep stale jobs around.
template <class Fn>
void check_unused(Diagnostics& diag, Fn&& compile_it) {
  Diagnostics scratch;
  compile_it(scratch);
  for (const ConfigError& e : scratch.errors()) {
    if (e.message.rfind("unknown step ", 0) == 0) continue;
    diag.error(e.path, e.line, e.column, e.message);
  }
}

// Commands nothing calls are still checked, when they can be called without arguments.
void check_unused_commands(const Elements& elements, const PipelineScope& pipeline,
                           Diagnostics& diag) {
  Scope scope{&pipeline, nullptr, &elements};
  for (const auto& entry : elements.commands) {
    const std::string& name = entry.first;
    const CommandDef& def = entry.second;
    bool callable = std::all_of(def.params.begin(), def.params.end(),
                                [](const ParamDecl& d) { return d.default_value.has_value(); });
    if (!callable || diag.exhausted()) continue;
    yaml::Document scratch;
    yaml::NodeData& call = scratch.add(yaml::Kind::Sequence);
    call.items.push_back(scratch.scalar(name));
    check_unused(diag, [&](Diagnostics& d) {
      compile_steps(At(yaml::Node(&call), def.at.path, &def.at), scope, d);
    });
  }
}

void compile_document(const CompileInput& input, yaml::Node root, Diagnostics& diag,
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
  // Reusable elements came with 2.1, and job groups later still.
  if (!v21 && version != nullptr) {
    for (const char* k : {"orbs", "commands", "job-groups"}) {
      if (const Entry* e = find(es, k); e && !e->value.node.IsNull()) {
        diag.error(e->key, fmt::format("{} need version 2.1", k));
      }
    }
  }
  // Other top-level keys are allowed: configs keep YAML anchors under aliases:, references:...

  PipelineScope pipeline;
  pipeline.values = input.pipeline_values.is_object() ? input.pipeline_values : json::object();
  ParamDecls pipeline_params;
  if (const Entry* e = find(es, "parameters")) {
    pipeline_params = parse_param_decls(e->value, ParamOwner::Pipeline, diag);
  }
  pipeline.parameters = bind_pipeline_parameters(pipeline_params, input.parameters, diag);

  // `setup` may come from a pipeline parameter (`setup: << pipeline.parameters.x >>`), so it
  // is read once they are bound.
  if (const Entry* e = find(es, "setup")) {
    Scope top{&pipeline, nullptr, nullptr};
    auto v = e->value.node.IsScalar() ? scalar_value(e->value, top, diag, "setup") : json();
    if (v && !v->is_boolean()) {
      diag.error(e->value, "setup must be true or false");
    } else if (v) {
      plan.setup = v->get<bool>();
      if (plan.setup && !v21) diag.error(e->value, "setup: true needs version 2.1");
    }
  }

  // Orbs first (their references may use pipeline parameters), then the config's elements.
  Elements elements;
  OrbLoader orbs(input.orb_dir, &pipeline);
  if (const Entry* e = find(es, "orbs")) orbs.import(e->value, elements, diag);
  if (const Entry* e = find(es, "commands")) {
    elements.commands = parse_command_defs(e->value, &elements, diag);
  }
  if (const Entry* e = find(es, "executors")) {
    elements.executors = parse_executor_defs(e->value, v21, &elements, diag);
  }
  if (const Entry* e = find(es, "jobs")) {
    elements.jobs = parse_job_defs(e->value, v21, &elements, diag);
  }

  const Entry* wf = find(es, "workflows");
  std::set<std::string> invoked;
  const Entry* groups = find(es, "job-groups");
  WorkflowsInput in{&elements, &pipeline, groups ? &groups->value : nullptr};
  auto workflows = compile_workflows(wf ? &wf->value : nullptr, in, diag, invoked);

  // Jobs no workflow runs are still checked, when they can be without arguments.
  for (const auto& entry : elements.jobs) {
    const std::string& name = entry.first;
    const JobDef& def = entry.second;
    if (invoked.count(name) || !invocable_without_arguments(def)) continue;
    check_unused(diag, [&](Diagnostics& d) { compile_job(def, {}, def.at, pipeline, d); });
  }
  // So are commands without required parameters that nothing calls.
  check_unused_commands(elements, pipeline, diag);

  if (diag.count() > 0) return;
  // The processed text is written from the compiled workflows, which then move into the plan.
  result.compiled_yaml = emit_compiled_yaml(plan, workflows);
  for (auto& cw : workflows) plan.workflows.push_back(std::move(cw.workflow));
  result.plan = std::move(plan);
}

}  // namespace

CompileResult compile(const CompileInput& input) {
  CompileResult result;
  Diagnostics diag;
  try {
    std::unique_ptr<yaml::Document> doc;
    try {
      doc = yaml::load(input.source);
    } catch (const YAML::Exception& e) {
      int line = e.mark.is_null() ? 0 : e.mark.line + 1;
      int column = e.mark.is_null() ? 0 : e.mark.column + 1;
      diag.error("", line, column, fmt::format("invalid YAML: {}", e.msg));
      result.errors = diag.errors();
      return result;
    }
    compile_document(input, doc->root(), diag, result);
  } catch (const std::exception& e) {
    // Never let user input escape as an exception; this is a bug worth reporting.
    diag.error("", 0, 0, fmt::format("internal error while compiling the config: {}", e.what()));
  } catch (...) {
    diag.error("", 0, 0, "internal error while compiling the config");
  }
  result.errors = diag.errors();
  result.warnings = diag.warnings();
  if (!result.errors.empty()) {
    result.plan.reset();
    result.compiled_yaml.clear();
  }
  return result;
}

}  // namespace halo::config
