#include "config/steps.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "config/elements.h"
#include "config/environment.h"
#include "config/logic.h"

namespace halo::config {

namespace {

constexpr int kMaxDepth = 50;

bool is_whole_number(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}
// Aliases can make a short file describe millions of steps; no real job has this many.
constexpr size_t kMaxSteps = 5000;

Step checkout_step(const std::vector<Entry>* es, const Scope& scope, Diagnostics& diag) {
  Step s;
  s.kind = Step::Kind::Checkout;
  s.name = kCheckoutName;
  if (es == nullptr) return s;
  // Other keys are ignored, as CircleCI ignores them (apollographql/rover's `directory`).
  for (const Entry& e : *es) {
    if (e.name != "path" && e.name != "method" && e.name != "depth" && e.name != "post")
      diag.warning(e.key, fmt::format("unknown key {} in checkout is ignored", e.name));
  }
  if (const Entry* p = find(*es, "path")) {
    if (auto v = scalar_text(p->value, scope, diag, "path"); v && !v->empty()) s.path = *v;
  }
  // The clone method does not change what the runner checks out, only how.
  if (const Entry* m = find(*es, "method")) {
    auto v = scalar_text(m->value, scope, diag, "method");
    if (v && *v != "blobless" && *v != "full" && *v != "shallow") {
      diag.error(m->value,
                 fmt::format("checkout method must be blobless, full or shallow, not \"{}\"", *v));
    } else if (v) {
      s.method = *v;
    }
  }
  // How deep a shallow clone goes: a positive integer, kept with the step.
  if (const Entry* d = find(*es, "depth")) {
    auto v = scalar_value(d->value, scope, diag, "depth");
    if (v && v->is_string() && is_whole_number(v->get<std::string>()))
      v = std::stoll(v->get<std::string>().substr(0, 18));
    if (v && v->is_number_integer() && v->get<int64_t>() >= 1) {
      s.params["depth"] = v->get<int64_t>();
    } else if (v) {
      diag.error(d->value, "checkout depth must be a positive integer");
    }
  }
  return s;
}

std::optional<Step> run_step(const At& at, const Scope& scope, Diagnostics& diag) {
  Step s;
  s.kind = Step::Kind::Run;
  if (!at.node.IsMap()) {
    auto cmd = scalar_text(at, scope, diag, "run");
    if (!cmd) return std::nullopt;
    if (cmd->empty()) {
      diag.error(at, "run needs a command");
      return std::nullopt;
    }
    s.command = s.name = *cmd;
    return s;
  }
  auto es = entries(at, diag, "run");
  // `description` is not in the schema, but CircleCI ignores it and real configs have it.
  reject_unknown_keys(
      es,
      {"name", "command", "environment", "shell", "working_directory", "when", "no_output_timeout",
       "background", "max_auto_reruns", "auto_rerun_delay", "description"},
      diag, "run");
  bool ok = true;
  const Entry* cmd = find(es, "command");
  if (cmd == nullptr) {
    diag.error(at, "run needs a command");
    ok = false;
  } else if (auto v = scalar_text(cmd->value, scope, diag, "command")) {
    s.command = *v;
  }
  s.name = s.command;
  if (const Entry* e = find(es, "name")) {
    if (auto v = scalar_text(e->value, scope, diag, "name"); v && !v->empty()) s.name = *v;
  }
  if (const Entry* e = find(es, "environment"))
    read_environment(e->value, scope, diag, s.environment);
  if (const Entry* e = find(es, "shell"))
    s.shell = scalar_text(e->value, scope, diag, "shell").value_or("");
  if (const Entry* e = find(es, "working_directory")) {
    s.working_directory = scalar_text(e->value, scope, diag, "working_directory").value_or("");
  }
  if (const Entry* e = find(es, "when")) {
    auto v = scalar_text(e->value, scope, diag, "when");
    if (v && *v != "on_success" && *v != "on_fail" && *v != "always") {
      diag.error(e->value,
                 fmt::format("when must be on_success, on_fail or always, not \"{}\"", *v));
    } else if (v) {
      s.when = *v;
    }
  }
  if (const Entry* e = find(es, "no_output_timeout")) {
    auto v = scalar_text(e->value, scope, diag, "no_output_timeout");
    auto ms = v ? parse_duration_ms(*v) : std::nullopt;
    // A bare number is seconds, as CircleCI takes it (`no_output_timeout: 1800`, the unit of
    // CircleCI 1.0's `timeout`).
    if (v && !ms && is_whole_number(*v)) ms = parse_duration_ms(*v + "s");
    if (v && !ms) {
      diag.error(e->value,
                 fmt::format("no_output_timeout must be a duration like 10m, 30s or 1h30m (or "
                             "a number of seconds), not \"{}\"",
                             *v));
    } else if (ms) {
      s.no_output_timeout_ms = *ms;
    }
  }
  if (const Entry* e = find(es, "background")) {
    auto v = scalar_value(e->value, scope, diag, "background");
    std::optional<bool> b;
    if (v && v->is_boolean()) b = v->get<bool>();
    if (v && v->is_string()) b = parse_bool_word(v->get<std::string>());
    if (b) {
      s.background = *b;
    } else if (v) {
      diag.error(e->value, "background must be true or false");
    }
  }
  if (const Entry* e = find(es, "max_auto_reruns")) {
    auto v = scalar_value(e->value, scope, diag, "max_auto_reruns");
    if (v && v->is_number_integer() && *v >= 1 && *v <= 5) {
      s.max_auto_reruns = v->get<int>();
    } else if (v) {
      diag.error(e->value, "max_auto_reruns must be an integer from 1 to 5");
    }
  }
  if (const Entry* e = find(es, "auto_rerun_delay")) {
    auto v = scalar_text(e->value, scope, diag, "auto_rerun_delay");
    // A plain value and flag: GCC 12 at -O3 misreads an optional here (maybe-uninitialized).
    int64_t delay = -1;
    if (v) delay = parse_duration_ms(*v).value_or(-1);
    if (find(es, "max_auto_reruns") == nullptr) {
      diag.error(e->key, "auto_rerun_delay needs max_auto_reruns");
    } else if (v && (delay < 0 || delay > 10 * 60 * 1000)) {
      diag.error(e->value, fmt::format("auto_rerun_delay must be a duration of at most 10m, "
                                       "not \"{}\"",
                                       *v));
    } else if (v) {
      s.auto_rerun_delay_ms = delay;
    }
  }
  if (!ok) return std::nullopt;
  return s;
}

// `seen` counts every step compiled for the job, kept or not. With `one_step_ok`, `steps`
// may also be a single step written as a map (CircleCI takes that in when/unless).
void compile_into(const At& steps, const Scope& scope, Diagnostics& diag, int depth,
                  std::vector<Step>& out, size_t& seen, bool one_step_ok = false);

void conditional(const Entry& e, const Scope& scope, Diagnostics& diag, int depth,
                 std::vector<Step>& out, size_t& seen) {
  auto es = entries(e.value, diag, e.name);
  if (!e.value.node.IsMap()) return;
  reject_unknown_keys(es, {"condition", "steps"}, diag, e.name);
  const Entry* cond = find(es, "condition");
  const Entry* steps = find(es, "steps");
  if (cond == nullptr) diag.error(e.value, fmt::format("{} needs a condition", e.name));
  if (steps == nullptr) diag.error(e.value, fmt::format("{} needs steps", e.name));
  if (cond == nullptr || steps == nullptr) return;
  auto truth = evaluate_condition(cond->value, scope, diag);
  // Both branches are compiled so their errors show whatever the condition says; the steps
  // of a false branch go to a scratch list.
  if (truth && *truth == (e.name == "when")) {
    compile_into(steps->value, scope, diag, depth + 1, out, seen, true);
  } else {
    std::vector<Step> discarded;
    compile_into(steps->value, scope, diag, depth + 1, discarded, seen, true);
  }
}

// How each key of a built-in step is typed.
enum class KeyType { String, Strings, Bool };
struct KeySpec {
  const char* name;
  KeyType type;
  bool required;
};
struct BuiltinSpec {
  Step::Kind kind;
  const char* display;  // the name CircleCI shows when the step has none
  std::vector<KeySpec> keys;
  bool bare_allowed;  // may be written without keys (`- setup_remote_docker`)
  std::vector<std::string> deprecated = {};  // accepted with a warning, then dropped
};

const std::vector<BuiltinSpec>& builtin_specs() {
  using K = KeyType;
  static const std::vector<BuiltinSpec> specs{
      {Step::Kind::SaveCache,
       "Saving cache",
       // `background` is not in the schema but real configs use it; CircleCI accepts it.
       {{"key", K::String, true}, {"paths", K::Strings, true}, {"background", K::Bool, false}},
       false},
      {Step::Kind::RestoreCache,
       "Restoring cache",
       {{"key", K::String, false}, {"keys", K::Strings, false}},
       false},
      {Step::Kind::StoreArtifacts,
       "Uploading artifacts",
       {{"path", K::String, true}, {"destination", K::String, false}},
       false},
      {Step::Kind::StoreTestResults, "Uploading test results", {{"path", K::String, true}}, false},
      {Step::Kind::PersistToWorkspace,
       "Persisting to workspace",
       {{"root", K::String, true}, {"paths", K::Strings, true}},
       false},
      {Step::Kind::AttachWorkspace, "Attaching workspace", {{"at", K::String, true}}, false},
      {Step::Kind::AddSshKeys, "Add SSH keys", {{"fingerprints", K::Strings, false}}, true},
      {Step::Kind::SetupRemoteDocker,
       "Setup a remote Docker engine",
       {{"version", K::String, false},
        {"docker_layer_caching", K::Bool, false},
        {"prefer_same_region", K::Bool, false}},
       true,
       // Keys of the old remote Docker that CircleCI still accepts and ignores.
       {"reusable", "exclusive"}},
      // Takes nothing: the executor's code_signing names the bundles.
      {Step::Kind::InstallSigningBundle, "Install signing bundle", {}, true},
  };
  return specs;
}

const BuiltinSpec* builtin_spec(std::string_view name) {
  auto kind = step_kind_from_name(name);
  if (!kind) return nullptr;
  for (const BuiltinSpec& b : builtin_specs()) {
    if (b.kind == *kind) return &b;
  }
  return nullptr;
}

// The names of the 2.0 preview (`- add-ssh-keys`, `type: cache-save`), which CircleCI still
// takes for today's built-in steps. Empty when `name` is not one.
std::string_view current_name(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kOld[] = {
      {"add-ssh-keys", "add_ssh_keys"},
      {"cache-save", "save_cache"},
      {"cache-restore", "restore_cache"},
      {"artifacts-store", "store_artifacts"},
      {"test-results-store", "store_test_results"}};
  for (const auto& [old_name, now] : kOld) {
    if (name == old_name) return now;
  }
  return {};
}

// The built-in step `name` names, under its current or (unless a command takes the name) its
// 2.0 preview name; the latter with a warning.
const BuiltinSpec* builtin_named(const std::string& name, const At& at, const Scope& scope,
                                 Diagnostics& diag) {
  if (const BuiltinSpec* spec = builtin_spec(name)) return spec;
  std::string_view now = current_name(name);
  if (now.empty()) return nullptr;
  if (scope.elements != nullptr && find_command(*scope.elements, name).def != nullptr)
    return nullptr;
  diag.warning(at, fmt::format("{} is the old name of {}; write {}", name, now, now));
  return builtin_spec(now);
}

std::optional<Step> builtin_step(const BuiltinSpec& spec, const Entry& e, const Scope& scope,
                                 Diagnostics& diag) {
  Step s;
  s.kind = spec.kind;
  s.name = spec.display;
  if (e.value.node.IsNull() || !e.value.node.IsDefined()) {
    if (spec.bare_allowed) return s;
    diag.error(e.value, fmt::format("{} needs {}", e.name, spec.keys.front().name));
    return std::nullopt;
  }
  auto es = entries(e.value, diag, e.name);
  if (!e.value.node.IsMap()) return std::nullopt;
  if (spec.kind == Step::Kind::InstallSigningBundle) {
    for (const Entry& k : es) {
      diag.error(k.key,
                 "install_signing_bundle takes no arguments; the executor's code_signing "
                 "names the bundles");
    }
    if (!es.empty()) return std::nullopt;
    return s;
  }
  bool ok = true;
  for (const Entry& k : es) {
    if (k.name == "name") {
      if (auto v = scalar_text(k.value, scope, diag, "name"); v && !v->empty()) s.name = *v;
      continue;
    }
    // Published orbs and real configs put `when` on every built-in step; CircleCI honours it.
    if (k.name == "when") {
      auto v = scalar_text(k.value, scope, diag, "when");
      if (v && *v != "on_success" && *v != "on_fail" && *v != "always") {
        diag.error(k.value,
                   fmt::format("when must be on_success, on_fail or always, not \"{}\"", *v));
      } else if (v) {
        s.when = *v;
      }
      continue;
    }
    // persist_to_workspace's `path` is taken as its `paths`, as CircleCI takes it.
    std::string_view key = k.name;
    if (spec.kind == Step::Kind::PersistToWorkspace && key == "path" && !find(es, "paths"))
      key = "paths";
    const KeySpec* ks = nullptr;
    for (const KeySpec& c : spec.keys) {
      if (key == c.name) ks = &c;
    }
    // restore_cache `paths` is a common leftover that CircleCI ignores.
    if (ks == nullptr && spec.kind == Step::Kind::RestoreCache && k.name == "paths") continue;
    if (ks == nullptr && std::find(spec.deprecated.begin(), spec.deprecated.end(), k.name) !=
                             spec.deprecated.end()) {
      diag.warning(k.key, fmt::format("{} in {} is deprecated and ignored", k.name, e.name));
      continue;
    }
    // CircleCI ignores keys a built-in step does not have (chronograf's `fingerpints`).
    if (ks == nullptr) {
      diag.warning(k.key, fmt::format("unknown key {} in {} is ignored", k.name, e.name));
      continue;
    }
    if (ks->type == KeyType::Bool) {
      auto v = scalar_value(k.value, scope, diag, k.name);
      std::optional<bool> b;
      if (v && v->is_boolean()) b = v->get<bool>();
      if (v && v->is_string()) b = parse_bool_word(v->get<std::string>());
      if (b) {
        s.params[ks->name] = *b;
      } else if (v) {
        diag.error(k.value, fmt::format("{} must be true or false", k.name));
      }
    } else if (ks->type == KeyType::String) {
      // Empty values pass: they come from parameters of steps that a false `when` drops.
      auto v = scalar_text(k.value, scope, diag, k.name);
      if (v) {
        s.params[ks->name] = *v;
      } else {
        ok = false;
      }
    } else {
      json list = json::array();
      std::vector<At> vs;
      if (k.value.node.IsSequence()) {
        vs = items(k.value, diag, k.name);
      } else {
        vs.push_back(k.value);  // one value for a list of one
      }
      for (const At& item : vs) {
        auto v = scalar_text(item, scope, diag, fmt::format("an entry of {}", k.name));
        if (v && !v->empty()) list.push_back(*v);
      }
      s.params[ks->name] = std::move(list);
    }
  }
  for (const KeySpec& c : spec.keys) {
    if (c.required && !s.params.contains(c.name) && find(es, c.name) == nullptr) {
      diag.error(e.value, fmt::format("{} needs {}", e.name, c.name));
      ok = false;
    }
  }
  if (spec.kind == Step::Kind::RestoreCache) {
    // `key` is tried first, then `keys` in order.
    json keys = json::array();
    if (s.params.contains("key")) keys.push_back(s.params["key"]);
    if (s.params.contains("keys")) {
      for (const json& k : s.params["keys"]) keys.push_back(k);
    }
    if (keys.empty()) {
      diag.error(e.value, "restore_cache needs key or keys");
      ok = false;
    }
    s.params = json{{"keys", keys}};
  }
  if (!ok) return std::nullopt;
  return s;
}

// A reference to a steps parameter: `- steps: << parameters.x >>`, or the parameter where a
// step or the steps list is expected. Nullptr when `at` is not one.
const NodeValue* steps_parameter(const At& at, const Scope& scope) {
  if (!at.node.IsScalar() || scope.nodes == nullptr) return nullptr;
  auto ref = whole_parameter_reference(at.node.Scalar());
  if (!ref) return nullptr;
  auto it = scope.nodes->find(*ref);
  return it == scope.nodes->end() ? nullptr : &it->second;
}

void invoke_command(const std::string& name, const At& at, const At* args_at, const Scope& scope,
                    Diagnostics& diag, int depth, std::vector<Step>& out, size_t& seen) {
  if (scope.elements == nullptr) {
    diag.error(at, fmt::format("unknown step {}", name));
    return;
  }
  auto found = find_command(*scope.elements, name);
  if (found.unresolved) return;  // the orb that cannot be loaded is the error
  if (found.def == nullptr) {
    std::string why = why_not_found(found, "command");
    if (!why.empty()) {
      diag.error(at, fmt::format("unknown step {}: {}", name, why));
    } else {
      diag.error(at, fmt::format("unknown step {}: not a built-in step or a command", name));
    }
    return;
  }
  if (depth >= kMaxDepth) {
    diag.error(at,
               fmt::format("commands are nested too deeply (a command calls itself?) at {}", name));
    return;
  }
  const CommandDef& def = *found.def;
  std::vector<Arg> args;
  if (args_at != nullptr && !args_at->node.IsNull()) {
    auto es = entries(*args_at, diag, fmt::format("the arguments of {}", name));
    args = read_arguments(es, scope, diag, {});
  }
  NodeValues nodes;
  Scope defaults{scope.pipeline, nullptr, def.home};
  ParamValues values =
      bind_arguments(def.params, args, args_at ? *args_at : at, diag,
                     describe_element("command", name, def.home), &nodes, &defaults);
  Scope inner{scope.pipeline, &values, def.home, &nodes};
  auto es = entries(def.at, diag, "a command");
  if (const Entry* steps = find(es, "steps")) {
    compile_into(steps->value, inner, diag, depth + 1, out, seen);
  }
}

void legacy_step(const At& at, const std::vector<Entry>& es, const Entry& type, const Scope& scope,
                 Diagnostics& diag, std::vector<Step>& out) {
  auto t = scalar_text(type.value, scope, diag, "type");
  if (!t) return;
  if (*t == "checkout") {
    std::vector<Entry> rest;
    for (const Entry& e : es) {
      if (e.name != "type") rest.push_back(e);
    }
    out.push_back(checkout_step(&rest, scope, diag));
    return;
  }
  yaml::Document scratch;
  if (const BuiltinSpec* spec = builtin_named(*t, type.value, scope, diag)) {
    // Rebuild the step as the built-in's map, without `type`.
    yaml::NodeData& map = scratch.add(yaml::Kind::Map, at.node.Mark());
    for (const Entry& e : es) {
      if (e.name != "type") map.pairs.emplace_back(e.key.node, e.value.node);
    }
    At rebuilt(yaml::Node(&map), at.path, &at);
    Entry step{*t, type.value, rebuilt};
    if (auto s = builtin_step(*spec, step, scope, diag)) out.push_back(std::move(*s));
    return;
  }
  // deploy is the old run, as in the current form.
  if (*t != "shell" && *t != "run" && *t != "deploy") {
    diag.error(
        type.value,
        fmt::format("step type {} is not supported; use run, checkout or a built-in step", *t));
    return;
  }
  // `pwd` is the old working_directory. Rebuild the step as a run map.
  yaml::NodeData& run = scratch.add(yaml::Kind::Map, at.node.Mark());
  for (const Entry& e : es) {
    if (e.name == "type") continue;
    std::string name = e.name == "pwd" ? "working_directory" : e.name;
    run.pairs.emplace_back(scratch.scalar(std::move(name), e.key.node.Mark()), e.value.node);
  }
  At rebuilt(yaml::Node(&run), at.path, &at);
  if (auto s = run_step(rebuilt, scope, diag)) out.push_back(std::move(*s));
}

void compile_one(const At& at, const Scope& scope, Diagnostics& diag, int depth,
                 std::vector<Step>& out, size_t& seen) {
  if (at.node.IsScalar()) {
    if (const NodeValue* nv = steps_parameter(at, scope)) {
      if (depth >= kMaxDepth) return;
      compile_into(nv->at, nv->scope, diag, depth + 1, out, seen);
      return;
    }
    auto name = scalar_text(at, scope, diag, "a step");
    if (!name) return;
    if (*name == "checkout") {
      out.push_back(checkout_step(nullptr, scope, diag));
    } else if (const BuiltinSpec* spec = builtin_named(*name, at, scope, diag)) {
      Entry e{*name, at, At(yaml::Node(), at.path, &at)};
      if (auto s = builtin_step(*spec, e, scope, diag)) out.push_back(std::move(*s));
    } else {
      invoke_command(*name, at, nullptr, scope, diag, depth, out, seen);
    }
    return;
  }
  if (!at.node.IsMap()) {
    diag.error(at, fmt::format("a step must be a map or checkout, not a {}", kind_name(at.node)));
    return;
  }
  auto es = entries(at, diag, "a step");
  // The 2.0 preview form `{type: shell, name, command, pwd}` (still accepted by CircleCI).
  if (const Entry* type = find(es, "type"); type && es.size() > 1) {
    legacy_step(at, es, *type, scope, diag, out);
    return;
  }
  if (es.size() != 1) {
    diag.error(at, "a step must have exactly one key (its type)");
    return;
  }
  const Entry& e = es.front();
  if (e.name == "run" || e.name == "deploy") {
    // deploy is the deprecated spelling of run.
    if (auto s = run_step(e.value, scope, diag)) out.push_back(std::move(*s));
  } else if (e.name == "checkout") {
    if (e.value.node.IsNull()) {
      out.push_back(checkout_step(nullptr, scope, diag));
    } else {
      auto cs = entries(e.value, diag, "checkout");
      if (!e.value.node.IsMap()) return;
      out.push_back(checkout_step(&cs, scope, diag));
      // `post:` (undocumented, used by real configs) runs commands right after the checkout.
      if (const Entry* post = find(cs, "post")) {
        std::vector<At> cmds = post->value.node.IsSequence() ? items(post->value, diag, "post")
                                                             : std::vector<At>{post->value};
        for (const At& c : cmds) {
          if (auto s = run_step(c, scope, diag)) out.push_back(std::move(*s));
        }
      }
    }
  } else if (e.name == "when" || e.name == "unless") {
    if (depth >= kMaxDepth) {
      diag.error(e.key, "when/unless steps are nested too deeply");
      return;
    }
    conditional(e, scope, diag, depth, out, seen);
  } else if (e.name == "steps") {
    if (depth >= kMaxDepth) return;
    if (const NodeValue* nv = steps_parameter(e.value, scope)) {
      compile_into(nv->at, nv->scope, diag, depth + 1, out, seen);
    } else if (e.value.node.IsSequence()) {
      compile_into(e.value, scope, diag, depth + 1, out, seen);
    } else if (!e.value.node.IsNull()) {
      diag.error(e.value, "steps: takes a steps parameter (<< parameters.x >>) or a list of steps");
    }
  } else if (const BuiltinSpec* spec = builtin_named(e.name, e.key, scope, diag)) {
    if (auto s = builtin_step(*spec, e, scope, diag)) out.push_back(std::move(*s));
  } else {
    invoke_command(e.name, e.key, &e.value, scope, diag, depth, out, seen);
  }
}

void compile_into(const At& steps, const Scope& scope, Diagnostics& diag, int depth,
                  std::vector<Step>& out, size_t& seen, bool one_step_ok) {
  if (const NodeValue* nv = steps_parameter(steps, scope)) {
    if (depth < kMaxDepth) compile_into(nv->at, nv->scope, diag, depth + 1, out, seen);
    return;
  }
  if (steps.node.IsNull()) return;  // an empty steps parameter, or `steps:` with nothing
  std::vector<At> list =
      one_step_ok && steps.node.IsMap() ? std::vector<At>{steps} : items(steps, diag, "steps");
  for (const At& item : list) {
    if (!diag.spend(item)) return;
    if (++seen > kMaxSteps) {
      if (seen == kMaxSteps + 1) {
        diag.error(item, fmt::format("the job has too many steps (more than {} after aliases and "
                                     "when/unless are expanded)",
                                     kMaxSteps));
      }
      return;
    }
    compile_one(item, scope, diag, depth, out, seen);
  }
}

}  // namespace

std::vector<Step> compile_steps(const At& steps, const Scope& scope, Diagnostics& diag) {
  std::vector<Step> out;
  size_t seen = 0;
  compile_into(steps, scope, diag, 0, out, seen);
  return out;
}

std::optional<int64_t> parse_duration_ms(std::string_view s) {
  if (s.empty()) return std::nullopt;
  double total = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (i == start || i - start > 18) return std::nullopt;
    std::string num(s.substr(start, i - start));
    if (num.front() == '.' || num.back() == '.' || num.find('.') != num.rfind('.'))
      return std::nullopt;
    double n = std::stod(num);
    double unit = 0;
    if (s.compare(i, 2, "ms") == 0) {
      unit = 1;
      i += 2;
    } else if (i < s.size() && s[i] == 's') {
      unit = 1000;
      ++i;
    } else if (i < s.size() && s[i] == 'm') {
      unit = 60'000;
      ++i;
    } else if (i < s.size() && s[i] == 'h') {
      unit = 3'600'000;
      ++i;
    } else {
      return std::nullopt;
    }
    total += n * unit;
    // Longer than a year is not a timeout anyone means; it also keeps int64 safe.
    if (total > 365.0 * 24 * 3'600'000) return std::nullopt;
  }
  return static_cast<int64_t>(std::llround(total));
}

std::string format_duration(int64_t ms) {
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  return fmt::format("{}ms", ms);
}

}  // namespace halo::config
