#include "config/executors.h"

#include <algorithm>

#include <fmt/format.h>

#include "config/elements.h"
#include "config/environment.h"

namespace halo::config {

namespace {

constexpr int kMaxExecutorDepth = 10;

std::optional<ExecutorSettings> docker(const At& at, const Scope& scope, Diagnostics& diag) {
  ExecutorSettings s;
  s.type = "docker";
  auto images = items(at, diag, "docker");
  if (at.node.IsSequence() && images.empty()) {
    diag.error(at, "docker needs at least one image");
    return std::nullopt;
  }
  for (size_t i = 0; i < images.size(); ++i) {
    auto es = entries(images[i], diag, "a docker image");
    if (!images[i].node.IsMap()) continue;
    reject_unknown_keys(es,
                        {"image", "name", "entrypoint", "command", "user", "environment", "auth",
                         "aws_auth", "gcp_auth", "docker_layer_caching", "ports"},
                        diag, "a docker image");
    const Entry* image = find(es, "image");
    if (image == nullptr) {
      diag.error(images[i], "a docker image needs image:");
      continue;
    }
    auto v = scalar_text(image->value, scope, diag, "image");
    if (i == 0 && v) s.image = *v;
    // Only the primary container's environment reaches the steps.
    if (const Entry* env = find(es, "environment"); env && i == 0) {
      read_environment(env->value, scope, diag, s.environment);
    }
  }
  return s;
}

// `code_signing: [bundle, ...]`: what install_signing_bundle installs (duplicates dropped).
std::vector<std::string> code_signing(const At& at, const Scope& scope, Diagnostics& diag) {
  std::vector<std::string> out;
  for (const At& item : items(at, diag, "code_signing")) {
    auto v = scalar_text(item, scope, diag, "a signing bundle name");
    if (v && v->empty()) {
      diag.error(item, "signing bundle names cannot be empty");
    } else if (v && std::find(out.begin(), out.end(), *v) == out.end()) {
      out.push_back(*v);
    }
  }
  return out;
}

std::optional<ExecutorSettings> machine(const At& at, const Scope& scope, Diagnostics& diag) {
  ExecutorSettings s;
  s.type = "machine";
  if (!at.node.IsMap()) {
    auto v = scalar_value(at, scope, diag, "machine");
    if (v && v->is_boolean() && v->get<bool>()) return s;
    if (v) diag.error(at, "machine must be true or a map with image:");
    return std::nullopt;
  }
  auto es = entries(at, diag, "machine");
  reject_unknown_keys(es,
                      {"image", "docker_layer_caching", "resource_class", "shell", "enabled",
                       "enable", "code_signing"},
                      diag, "machine");
  // `enabled: true` is the 2.0 spelling of `machine: true` (`enable` a common variant of it).
  const Entry* en = find(es, "enabled");
  if (en == nullptr) en = find(es, "enable");
  if (en != nullptr) {
    auto v = scalar_value(en->value, scope, diag, "enabled");
    if (v && !(v->is_boolean() && v->get<bool>())) {
      diag.error(en->value, "machine: enabled must be true");
      return std::nullopt;
    }
  }
  if (const Entry* sh = find(es, "shell")) s.shell = scalar_text(sh->value, scope, diag, "shell");
  if (const Entry* cs = find(es, "code_signing"))
    s.code_signing = code_signing(cs->value, scope, diag);
  if (const Entry* image = find(es, "image")) {
    s.image = scalar_text(image->value, scope, diag, "image").value_or("");
  }
  if (const Entry* rc = find(es, "resource_class")) {
    s.resource_class = scalar_text(rc->value, scope, diag, "resource_class");
  }
  return s;
}

std::optional<ExecutorSettings> macos(const At& at, const Scope& scope, Diagnostics& diag) {
  ExecutorSettings s;
  s.type = "macos";
  auto es = entries(at, diag, "macos");
  if (!at.node.IsMap()) return std::nullopt;
  reject_unknown_keys(es, {"xcode", "code_signing", "resource_class", "shell"}, diag, "macos");
  if (const Entry* sh = find(es, "shell")) s.shell = scalar_text(sh->value, scope, diag, "shell");
  if (const Entry* cs = find(es, "code_signing"))
    s.code_signing = code_signing(cs->value, scope, diag);
  if (const Entry* rc = find(es, "resource_class")) {
    s.resource_class = scalar_text(rc->value, scope, diag, "resource_class");
  }
  const Entry* xcode = find(es, "xcode");
  if (xcode == nullptr) {
    diag.error(at, "macos needs xcode:");
    return std::nullopt;
  }
  s.image = scalar_text(xcode->value, scope, diag, "xcode").value_or("");
  return s;
}

std::optional<ExecutorSettings> resolve(const std::vector<Entry>& es, const At& owner,
                                        bool allow_named, const Scope& scope, Diagnostics& diag,
                                        int depth);

std::optional<ExecutorSettings> named(const At& at, const Scope& scope, Diagnostics& diag,
                                      int depth) {
  if (depth >= kMaxExecutorDepth) {
    diag.error(at, "executors nest too deeply");
    return std::nullopt;
  }
  // `executor: << parameters.e >>` with an executor parameter: its value, in its scope.
  if (at.node.IsScalar() && scope.nodes != nullptr) {
    if (auto ref = whole_parameter_reference(at.node.Scalar())) {
      if (auto it = scope.nodes->find(*ref); it != scope.nodes->end()) {
        return named(it->second.at, it->second.scope, diag, depth + 1);
      }
    }
  }
  std::string name;
  std::vector<Arg> args;
  if (at.node.IsMap()) {
    auto es = entries(at, diag, "executor");
    const Entry* n = find(es, "name");
    if (n == nullptr) {
      diag.error(at, "executor needs a name");
      return std::nullopt;
    }
    name = scalar_text(n->value, scope, diag, "name").value_or("");
    args = read_arguments(es, scope, diag, {"name"});
  } else {
    auto v = scalar_text(at, scope, diag, "executor");
    if (!v) return std::nullopt;
    name = *v;
  }
  if (name.empty()) {
    diag.error(at, "executor needs a name");
    return std::nullopt;
  }
  if (scope.elements == nullptr) return std::nullopt;
  auto found = find_executor(*scope.elements, name);
  if (found.unresolved) return std::nullopt;
  if (found.def == nullptr) {
    std::string why = why_not_found(found, "executor");
    diag.error(at, why.empty() ? fmt::format("executor {} is not defined", name)
                               : fmt::format("executor {} is not defined: {}", name, why));
    return std::nullopt;
  }
  const ExecutorDef& def = *found.def;
  // The executor sees its own parameters and the pipeline's, not the job's.
  NodeValues nodes;
  Scope defaults{scope.pipeline, nullptr, def.home};
  ParamValues values = bind_arguments(
      def.params, args, at, diag, describe_element("executor", name, def.home), &nodes, &defaults);
  Scope inner{scope.pipeline, &values, def.home, &nodes};
  auto es = entries(def.at, diag, "an executor");
  return resolve(es, def.at, false, inner, diag, depth + 1);
}

std::optional<ExecutorSettings> resolve(const std::vector<Entry>& es, const At& owner,
                                        bool allow_named, const Scope& scope, Diagnostics& diag,
                                        int depth) {
  std::vector<const Entry*> kinds;
  for (const Entry& e : es) {
    if (is_executor_key(e.name) && (allow_named || e.name != "executor")) kinds.push_back(&e);
  }
  if (kinds.empty()) {
    diag.error(owner, allow_named ? "a job needs an executor: docker, machine, macos or executor"
                                  : "an executor needs docker, machine or macos");
    return std::nullopt;
  }
  if (kinds.size() > 1) {
    diag.error(kinds[1]->key,
               fmt::format("only one executor is allowed, but both {} and {} are set",
                           kinds[0]->name, kinds[1]->name));
    return std::nullopt;
  }
  const Entry& k = *kinds.front();
  std::optional<ExecutorSettings> s;
  if (k.name == "docker") s = docker(k.value, scope, diag);
  if (k.name == "machine") s = machine(k.value, scope, diag);
  if (k.name == "macos") s = macos(k.value, scope, diag);
  if (k.name == "executor") s = named(k.value, scope, diag, depth);
  if (!s) return s;
  if (allow_named) return s;  // a job's own keys are read by the job
  // Inside an executor definition: its own settings, over those of any executor it names.
  if (const Entry* e = find(es, "resource_class")) {
    s->resource_class = scalar_text(e->value, scope, diag, "resource_class");
  }
  if (const Entry* e = find(es, "shell")) s->shell = scalar_text(e->value, scope, diag, "shell");
  if (const Entry* e = find(es, "working_directory")) {
    s->working_directory = scalar_text(e->value, scope, diag, "working_directory");
  }
  if (const Entry* e = find(es, "environment"))
    read_environment(e->value, scope, diag, s->environment);
  return s;
}

}  // namespace

bool is_executor_key(std::string_view key) {
  return key == "docker" || key == "machine" || key == "macos" || key == "executor";
}

ExecutorDefs parse_executor_defs(const At& at, bool strict_names, const Elements* home,
                                 Diagnostics& diag) {
  ExecutorDefs out;
  if (!at.node.IsDefined() || at.node.IsNull()) return out;
  for (const Entry& e : entries(at, diag, "executors")) {
    if (strict_names && !is_element_name(e.name)) {
      diag.error(e.key, fmt::format("invalid executor name {}: names start with a letter and use "
                                    "only letters, digits, _ and -",
                                    e.name));
    }
    auto es = entries(e.value, diag, "an executor");
    if (!e.value.node.IsMap()) continue;
    reject_unknown_keys(es,
                        {"docker", "machine", "macos", "resource_class", "shell",
                         "working_directory", "environment", "parameters", "description"},
                        diag, "an executor");
    ExecutorDef def{e.name, e.value, {}, home};
    if (const Entry* p = find(es, "parameters")) {
      def.params = parse_param_decls(p->value, ParamOwner::Element, diag);
    }
    out.emplace(e.name, std::move(def));
  }
  return out;
}

std::optional<ExecutorSettings> resolve_executor(const std::vector<Entry>& es, const At& owner,
                                                 bool allow_named, const Scope& scope,
                                                 Diagnostics& diag) {
  return resolve(es, owner, allow_named, scope, diag, 0);
}

}  // namespace halo::config
