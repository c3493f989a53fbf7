#include "config/emit.h"

#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/steps.h"
#include "config/substitution.h"
#include "config/yaml_writer.h"

namespace halo::config {

namespace {

// Every string is read back through substitution, so references in it must stay literal
// (escape_references changes nothing in text without "<<", so most strings skip the copy).
// The writer picks the style (plain, literal block or double-quoted) that reads back as
// exactly this string, and as a string.
void str(YamlWriter& out, const std::string& s) {
  if (s.find("<<") == std::string::npos) {
    out.value(s);
  } else {
    out.value(escape_references(s));
  }
}

void environment(YamlWriter& out, const std::map<std::string, std::string>& env) {
  out.begin_map();
  for (const auto& [k, v] : env) {
    out.key(k);  // a key that would read back as a merge key (<<) comes out quoted
    str(out, v);
  }
  out.end_map();
}

// A built-in step's params, as they were validated (strings, lists of strings, booleans).
void params(YamlWriter& out, const json& p) {
  for (const auto& [k, v] : p.items()) {
    out.key(k);
    if (v.is_boolean()) {
      out.boolean(v.get<bool>());
    } else if (v.is_array()) {
      out.begin_seq();
      for (const json& item : v) str(out, item.is_string() ? item.get<std::string>() : item.dump());
      out.end_seq();
    } else {
      str(out, v.is_string() ? v.get<std::string>() : v.dump());
    }
  }
}

// The display name a built-in step gets without a `name:` (see steps.cpp).
std::string default_name(Step::Kind kind) {
  Diagnostics scratch;
  yaml::Document doc;
  yaml::NodeData& seq = doc.add(yaml::Kind::Sequence);
  seq.items.push_back(doc.scalar(step_kind_name(kind)));
  auto steps = compile_steps(At(yaml::Node(&seq), ""), Scope{}, scratch);
  return steps.empty() ? std::string() : steps.front().name;
}

void step(YamlWriter& out, const Step& s) {
  if (s.kind == Step::Kind::Checkout) {
    if (s.path == "." && s.method.empty() && !s.params.contains("depth")) {
      out.value("checkout");
      return;
    }
    out.begin_map();
    out.key("checkout");
    out.begin_map();
    if (s.path != ".") {
      out.key("path");
      str(out, s.path);
    }
    if (!s.method.empty()) {
      out.key("method");
      out.value(s.method);
    }
    if (s.params.contains("depth")) {
      out.key("depth");
      out.integer(s.params["depth"].get<int64_t>());
    }
    out.end_map();
    out.end_map();
    return;
  }
  if (s.kind == Step::Kind::InstallSigningBundle) {
    out.value(step_kind_name(s.kind));  // it takes no keys
    return;
  }
  if (s.kind != Step::Kind::Run) {
    static const std::map<Step::Kind, std::string> names = [] {
      std::map<Step::Kind, std::string> m;
      for (auto k :
           {Step::Kind::SaveCache, Step::Kind::RestoreCache, Step::Kind::StoreArtifacts,
            Step::Kind::StoreTestResults, Step::Kind::PersistToWorkspace,
            Step::Kind::AttachWorkspace, Step::Kind::AddSshKeys, Step::Kind::SetupRemoteDocker}) {
        m[k] = default_name(k);
      }
      return m;
    }();
    out.begin_map();
    out.key(step_kind_name(s.kind));
    out.begin_map();
    auto it = names.find(s.kind);
    if (it == names.end() || it->second != s.name) {
      out.key("name");
      str(out, s.name);
    }
    params(out, s.params);
    if (s.when != "on_success") {
      out.key("when");
      out.value(s.when);
    }
    out.end_map();
    out.end_map();
    return;
  }
  Step plain;
  plain.command = plain.name = s.command;
  out.begin_map();
  out.key("run");
  if (s == plain && !s.command.empty()) {
    str(out, s.command);  // the short form: name = command
    out.end_map();
    return;
  }
  out.begin_map();
  out.key("name");
  str(out, s.name);
  out.key("command");
  str(out, s.command);
  if (!s.environment.empty()) {
    out.key("environment");
    environment(out, s.environment);
  }
  if (!s.shell.empty()) {
    out.key("shell");
    str(out, s.shell);
  }
  if (!s.working_directory.empty()) {
    out.key("working_directory");
    str(out, s.working_directory);
  }
  if (s.when != plain.when) {
    out.key("when");
    out.value(s.when);
  }
  if (s.no_output_timeout_ms != plain.no_output_timeout_ms) {
    out.key("no_output_timeout");
    out.value(format_duration(s.no_output_timeout_ms));
  }
  if (s.background) {
    out.key("background");
    out.boolean(true);
  }
  if (s.max_auto_reruns != 0) {
    out.key("max_auto_reruns");
    out.integer(s.max_auto_reruns);
    if (s.auto_rerun_delay_ms != 0) {
      out.key("auto_rerun_delay");
      out.value(format_duration(s.auto_rerun_delay_ms));
    }
  }
  out.end_map();
  out.end_map();
}

// The signing bundles of a macos or machine executor (none: no key).
void code_signing(YamlWriter& out, const std::vector<std::string>& bundles) {
  if (bundles.empty()) return;
  out.key("code_signing");
  out.begin_seq();
  for (const std::string& b : bundles) str(out, b);
  out.end_seq();
}

void job(YamlWriter& out, const Job& j) {
  Job defaults;
  out.begin_map();
  if (j.type != defaults.type) {
    out.key("type");
    out.value(j.type);
  }
  if (j.executor_type == "docker") {
    out.key("docker");
    out.begin_seq();
    out.begin_map();
    out.key("image");
    str(out, j.image);
    out.end_map();
    out.end_seq();
  } else if (j.executor_type == "machine") {
    out.key("machine");
    if (j.image.empty() && j.code_signing.empty()) {
      out.boolean(true);
    } else {
      out.begin_map();
      if (!j.image.empty()) {
        out.key("image");
        str(out, j.image);
      }
      code_signing(out, j.code_signing);
      out.end_map();
    }
  } else if (j.executor_type == "macos") {
    out.key("macos");
    out.begin_map();
    out.key("xcode");
    str(out, j.image);
    code_signing(out, j.code_signing);
    out.end_map();
  }
  if (j.resource_class != defaults.resource_class) {
    out.key("resource_class");
    str(out, j.resource_class);
  }
  if (j.working_directory != defaults.working_directory) {
    out.key("working_directory");
    str(out, j.working_directory);
  }
  if (!j.shell.empty()) {
    out.key("shell");
    str(out, j.shell);
  }
  if (!j.environment.empty()) {
    out.key("environment");
    environment(out, j.environment);
  }
  if (j.parallelism != defaults.parallelism) {
    out.key("parallelism");
    out.integer(j.parallelism);
  }
  if (!j.retention_caches.empty()) {
    out.key("retention");
    out.begin_map();
    out.key("caches");
    out.value(j.retention_caches);
    out.end_map();
  }
  if (!j.steps.empty() || j.type == "build") {
    out.key("steps");
    out.begin_seq();
    for (const Step& s : j.steps) step(out, s);
    out.end_seq();
  }
  out.end_map();
}

void patterns(YamlWriter& out, const char* name, const std::optional<std::vector<std::string>>& p) {
  if (!p) return;
  out.key(name);
  out.begin_seq();
  for (const std::string& s : *p) str(out, s);
  out.end_seq();
}

void ref_filter(YamlWriter& out, const char* name, const std::optional<RefFilter>& f) {
  if (!f) return;
  out.key(name);
  out.begin_map();
  patterns(out, "only", f->only);
  patterns(out, "ignore", f->ignore);
  out.end_map();
}

// A job key that compiles under the strictest (2.1) name rules. A workflow job's name may
// hold '/' (a matrix value such as "a/b"), which a job key may not: it becomes '-'.
std::string element_key(const std::string& name) {
  std::string k;
  for (char c : name)
    k += (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') ? c : '-';
  if (k.empty() || !std::isalpha(static_cast<unsigned char>(k[0]))) k = "job-" + k;
  return k;
}

// An approval that carries nothing but its name is written as a workflow-level hold.
bool is_plain_approval(const Job& j) {
  Job plain;
  plain.name = j.name;
  plain.type = "approval";
  return j == plain;
}

// Whether two jobs are one definition in the processed config. It names the primary image
// only, as it always has, so jobs that differ only in their containers (the images' options,
// service containers) or in the machine's docker_layer_caching share a definition; the Plan
// keeps them apart.
bool same_definition(const Job& a, const Job& b) {
  if (a.containers == b.containers && a.docker_layer_caching == b.docker_layer_caching) {
    return a == b;
  }
  Job other = b;
  other.containers = a.containers;
  other.docker_layer_caching = a.docker_layer_caching;
  return a == other;
}

}  // namespace

std::string emit_compiled_yaml(const Plan& plan, const std::vector<CompiledWorkflow>& workflows) {
  // Choose a key for every distinct job definition.
  std::set<std::string> used;
  for (const auto& cw : workflows) {
    for (const auto& wj : cw.workflow.jobs) {
      if (!is_plain_approval(wj.job)) used.insert(wj.job.name);
    }
  }
  struct Def {
    std::string key;
    const Job* job;
  };
  std::vector<Def> defs;
  std::map<std::string, std::vector<size_t>> variants;  // job name -> indexes into defs
  std::map<const WorkflowJob*, std::string> key_of;
  for (const auto& cw : workflows) {
    for (const auto& wj : cw.workflow.jobs) {
      if (is_plain_approval(wj.job)) continue;
      auto& vs = variants[wj.job.name];
      const Def* found = nullptr;
      for (size_t i : vs) {
        if (same_definition(*defs[i].job, wj.job)) found = &defs[i];
      }
      if (found == nullptr) {
        std::string k = wj.job.name;
        if (!vs.empty()) {
          std::string base = element_key(wj.name);
          k = base;
          for (int n = 2; used.count(k); ++n) k = fmt::format("{}-{}", base, n);
          used.insert(k);
        }
        vs.push_back(defs.size());
        defs.push_back({k, &wj.job});
        found = &defs.back();
      }
      key_of[&wj] = found->key;
    }
  }

  YamlWriter out;
  out.begin_map();
  out.key("version");
  out.raw(plan.version);  // validated: 2, 2.0 or 2.1, written as a number as configs do
  if (plan.setup) {
    out.key("setup");
    out.boolean(true);
  }
  out.key("jobs");
  out.begin_map();
  for (const Def& d : defs) {
    out.key(d.key);
    job(out, *d.job);
  }
  out.end_map();
  out.key("workflows");
  out.begin_map();
  for (const auto& cw : workflows) {
    out.key(cw.workflow.name);
    out.begin_map();
    out.key("jobs");
    out.begin_seq();
    for (size_t i = 0; i < cw.workflow.jobs.size(); ++i) {
      const WorkflowJob& wj = cw.workflow.jobs[i];
      const auto& filters = cw.filters[i];
      bool approval = is_plain_approval(wj.job);
      std::string k = approval ? wj.job.name : key_of[&wj];
      if (!approval && wj.name == k && wj.requirements.empty() && wj.contexts.empty() && !filters &&
          wj.serial_group.empty()) {
        out.value(k);
        continue;
      }
      out.begin_map();
      out.key(k);
      out.begin_map();
      if (approval) {
        out.key("type");
        out.value("approval");
      }
      if (wj.name != k) {
        out.key("name");
        str(out, wj.name);
      }
      if (!wj.requirements.empty()) {
        out.key("requires");
        out.begin_seq();
        for (const Requirement& r : wj.requirements) {
          if (r.statuses == std::vector<std::string>{"success"}) {
            str(out, r.job);
            continue;
          }
          out.begin_map();
          out.key(r.job);
          out.flow_seq(r.statuses);
          out.end_map();
        }
        out.end_seq();
      }
      if (!wj.contexts.empty()) {
        out.key("context");
        out.begin_seq();
        for (const std::string& c : wj.contexts) str(out, c);
        out.end_seq();
      }
      if (!wj.serial_group.empty()) {
        out.key("serial-group");
        str(out, wj.serial_group);
      }
      if (filters && filters->expression) {
        out.key("filters");
        str(out, *filters->expression);
      } else if (filters) {
        out.key("filters");
        out.begin_map();
        ref_filter(out, "branches", filters->branches);
        ref_filter(out, "tags", filters->tags);
        out.end_map();
      }
      out.end_map();
      out.end_map();
    }
    out.end_seq();
    if (cw.workflow.max_auto_reruns != 0) {
      out.key("max_auto_reruns");
      out.integer(cw.workflow.max_auto_reruns);
    }
    if (!cw.workflow.triggers.empty()) {
      out.key("triggers");
      out.begin_seq();
      for (const ScheduleTrigger& t : cw.workflow.triggers) {
        out.begin_map();
        out.key("schedule");
        out.begin_map();
        out.key("cron");
        str(out, t.cron);
        if (t.branches_only || t.branches_ignore) {
          out.key("filters");
          out.begin_map();
          out.key("branches");
          out.begin_map();
          patterns(out, "only", t.branches_only);
          patterns(out, "ignore", t.branches_ignore);
          out.end_map();
          out.end_map();
        }
        out.end_map();
        out.end_map();
      }
      out.end_seq();
    }
    out.end_map();
  }
  out.end_map();
  out.end_map();
  std::string text = out.take();
  text += '\n';
  return text;
}

}  // namespace halo::config
