#include "config/emit.h"

#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/steps.h"
#include "config/substitution.h"

namespace halo::config {

namespace {

// Every string is read back through substitution, so references in it must stay literal.
// Multi-line strings can only be double-quoted by yaml-cpp's automatic choice anyway; saying
// so up front skips its plain-scalar regex scan, which dominated compile time on large configs.
void str(YAML::Emitter& out, const std::string& s) {
  std::string text = escape_references(s);
  if (text.find('\n') != std::string::npos) out << YAML::DoubleQuoted;
  out << text;
}

// A key that would read back as a merge key must be quoted.
void key(YAML::Emitter& out, const std::string& k) {
  out << YAML::Key;
  if (k == "<<") out << YAML::DoubleQuoted;
  out << k << YAML::Value;
}

void environment(YAML::Emitter& out, const std::map<std::string, std::string>& env) {
  out << YAML::BeginMap;
  for (const auto& [k, v] : env) {
    key(out, k);
    str(out, v);
  }
  out << YAML::EndMap;
}

// A built-in step's params, as they were validated (strings, lists of strings, booleans).
void params(YAML::Emitter& out, const json& p) {
  for (const auto& [k, v] : p.items()) {
    key(out, k);
    if (v.is_boolean()) {
      out << v.get<bool>();
    } else if (v.is_array()) {
      out << YAML::BeginSeq;
      for (const json& item : v) str(out, item.is_string() ? item.get<std::string>() : item.dump());
      out << YAML::EndSeq;
    } else {
      str(out, v.is_string() ? v.get<std::string>() : v.dump());
    }
  }
}

// The display name a built-in step gets without a `name:` (see steps.cpp).
std::string default_name(Step::Kind kind) {
  Diagnostics scratch;
  YAML::Node seq(YAML::NodeType::Sequence);
  seq.push_back(step_kind_name(kind));
  auto steps = compile_steps(At(seq, ""), Scope{}, scratch);
  return steps.empty() ? std::string() : steps.front().name;
}

void step(YAML::Emitter& out, const Step& s) {
  if (s.kind == Step::Kind::Checkout) {
    if (s.path == "." && s.method.empty()) {
      out << "checkout";
      return;
    }
    out << YAML::BeginMap << YAML::Key << "checkout" << YAML::Value << YAML::BeginMap;
    if (s.path != ".") {
      out << YAML::Key << "path" << YAML::Value;
      str(out, s.path);
    }
    if (!s.method.empty()) out << YAML::Key << "method" << YAML::Value << s.method;
    out << YAML::EndMap << YAML::EndMap;
    return;
  }
  if (s.kind == Step::Kind::InstallSigningBundle) {
    out << step_kind_name(s.kind);  // it takes no keys
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
    out << YAML::BeginMap << YAML::Key << step_kind_name(s.kind) << YAML::Value << YAML::BeginMap;
    auto it = names.find(s.kind);
    if (it == names.end() || it->second != s.name) {
      out << YAML::Key << "name" << YAML::Value;
      str(out, s.name);
    }
    params(out, s.params);
    if (s.when != "on_success") out << YAML::Key << "when" << YAML::Value << s.when;
    out << YAML::EndMap << YAML::EndMap;
    return;
  }
  Step plain;
  plain.command = plain.name = s.command;
  out << YAML::BeginMap << YAML::Key << "run" << YAML::Value;
  if (s == plain && !s.command.empty()) {
    str(out, s.command);  // the short form: name = command
    out << YAML::EndMap;
    return;
  }
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value;
  str(out, s.name);
  out << YAML::Key << "command" << YAML::Value;
  str(out, s.command);
  if (!s.environment.empty()) {
    out << YAML::Key << "environment" << YAML::Value;
    environment(out, s.environment);
  }
  if (!s.shell.empty()) {
    out << YAML::Key << "shell" << YAML::Value;
    str(out, s.shell);
  }
  if (!s.working_directory.empty()) {
    out << YAML::Key << "working_directory" << YAML::Value;
    str(out, s.working_directory);
  }
  if (s.when != plain.when) out << YAML::Key << "when" << YAML::Value << s.when;
  if (s.no_output_timeout_ms != plain.no_output_timeout_ms) {
    out << YAML::Key << "no_output_timeout" << YAML::Value
        << format_duration(s.no_output_timeout_ms);
  }
  if (s.background) out << YAML::Key << "background" << YAML::Value << true;
  if (s.max_auto_reruns != 0) {
    out << YAML::Key << "max_auto_reruns" << YAML::Value << s.max_auto_reruns;
    if (s.auto_rerun_delay_ms != 0) {
      out << YAML::Key << "auto_rerun_delay" << YAML::Value
          << format_duration(s.auto_rerun_delay_ms);
    }
  }
  out << YAML::EndMap << YAML::EndMap;
}

// The signing bundles of a macos or machine executor (none: no key).
void code_signing(YAML::Emitter& out, const std::vector<std::string>& bundles) {
  if (bundles.empty()) return;
  out << YAML::Key << "code_signing" << YAML::Value << YAML::BeginSeq;
  for (const std::string& b : bundles) str(out, b);
  out << YAML::EndSeq;
}

void job(YAML::Emitter& out, const Job& j) {
  Job defaults;
  out << YAML::BeginMap;
  if (j.type != defaults.type) out << YAML::Key << "type" << YAML::Value << j.type;
  if (j.executor_type == "docker") {
    out << YAML::Key << "docker" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
    out << YAML::Key << "image" << YAML::Value;
    str(out, j.image);
    out << YAML::EndMap << YAML::EndSeq;
  } else if (j.executor_type == "machine") {
    out << YAML::Key << "machine" << YAML::Value;
    if (j.image.empty() && j.code_signing.empty()) {
      out << true;
    } else {
      out << YAML::BeginMap;
      if (!j.image.empty()) {
        out << YAML::Key << "image" << YAML::Value;
        str(out, j.image);
      }
      code_signing(out, j.code_signing);
      out << YAML::EndMap;
    }
  } else if (j.executor_type == "macos") {
    out << YAML::Key << "macos" << YAML::Value << YAML::BeginMap << YAML::Key << "xcode"
        << YAML::Value;
    str(out, j.image);
    code_signing(out, j.code_signing);
    out << YAML::EndMap;
  }
  if (j.resource_class != defaults.resource_class) {
    out << YAML::Key << "resource_class" << YAML::Value;
    str(out, j.resource_class);
  }
  if (j.working_directory != defaults.working_directory) {
    out << YAML::Key << "working_directory" << YAML::Value;
    str(out, j.working_directory);
  }
  if (!j.shell.empty()) {
    out << YAML::Key << "shell" << YAML::Value;
    str(out, j.shell);
  }
  if (!j.environment.empty()) {
    out << YAML::Key << "environment" << YAML::Value;
    environment(out, j.environment);
  }
  if (j.parallelism != defaults.parallelism)
    out << YAML::Key << "parallelism" << YAML::Value << j.parallelism;
  if (!j.retention_caches.empty()) {
    out << YAML::Key << "retention" << YAML::Value << YAML::BeginMap << YAML::Key << "caches"
        << YAML::Value << j.retention_caches << YAML::EndMap;
  }
  if (!j.steps.empty() || j.type == "build") {
    out << YAML::Key << "steps" << YAML::Value << YAML::BeginSeq;
    for (const Step& s : j.steps) step(out, s);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

void patterns(YAML::Emitter& out, const char* name,
              const std::optional<std::vector<std::string>>& p) {
  if (!p) return;
  out << YAML::Key << name << YAML::Value << YAML::BeginSeq;
  for (const std::string& s : *p) str(out, s);
  out << YAML::EndSeq;
}

void ref_filter(YAML::Emitter& out, const char* name, const std::optional<RefFilter>& f) {
  if (!f) return;
  out << YAML::Key << name << YAML::Value << YAML::BeginMap;
  patterns(out, "only", f->only);
  patterns(out, "ignore", f->ignore);
  out << YAML::EndMap;
}

// A job key that compiles under the strictest (2.1) name rules (orb jobs keep their
// `orb/job` form, which compiled configs may use).
std::string element_key(const std::string& name) {
  std::string k;
  for (char c : name)
    k +=
        (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '/') ? c : '-';
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
        if (*defs[i].job == wj.job) found = &defs[i];
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

  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "version" << YAML::Value << plan.version;
  if (plan.setup) out << YAML::Key << "setup" << YAML::Value << true;
  out << YAML::Key << "jobs" << YAML::Value << YAML::BeginMap;
  for (const Def& d : defs) {
    out << YAML::Key << d.key << YAML::Value;
    job(out, *d.job);
  }
  out << YAML::EndMap;
  out << YAML::Key << "workflows" << YAML::Value << YAML::BeginMap;
  for (const auto& cw : workflows) {
    out << YAML::Key << cw.workflow.name << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "jobs" << YAML::Value << YAML::BeginSeq;
    for (size_t i = 0; i < cw.workflow.jobs.size(); ++i) {
      const WorkflowJob& wj = cw.workflow.jobs[i];
      const auto& filters = cw.filters[i];
      bool approval = is_plain_approval(wj.job);
      std::string k = approval ? wj.job.name : key_of[&wj];
      if (!approval && wj.name == k && wj.requirements.empty() && wj.contexts.empty() && !filters &&
          wj.serial_group.empty()) {
        out << k;
        continue;
      }
      out << YAML::BeginMap << YAML::Key << k << YAML::Value << YAML::BeginMap;
      if (approval) out << YAML::Key << "type" << YAML::Value << "approval";
      if (wj.name != k) {
        out << YAML::Key << "name" << YAML::Value;
        str(out, wj.name);
      }
      if (!wj.requirements.empty()) {
        out << YAML::Key << "requires" << YAML::Value << YAML::BeginSeq;
        for (const Requirement& r : wj.requirements) {
          if (r.statuses == std::vector<std::string>{"success"}) {
            str(out, r.job);
            continue;
          }
          out << YAML::BeginMap << YAML::Key << r.job << YAML::Value << YAML::Flow << r.statuses
              << YAML::EndMap;
        }
        out << YAML::EndSeq;
      }
      if (!wj.contexts.empty()) {
        out << YAML::Key << "context" << YAML::Value << YAML::BeginSeq;
        for (const std::string& c : wj.contexts) str(out, c);
        out << YAML::EndSeq;
      }
      if (!wj.serial_group.empty()) {
        out << YAML::Key << "serial-group" << YAML::Value;
        str(out, wj.serial_group);
      }
      if (filters && filters->expression) {
        out << YAML::Key << "filters" << YAML::Value;
        str(out, *filters->expression);
      } else if (filters) {
        out << YAML::Key << "filters" << YAML::Value << YAML::BeginMap;
        ref_filter(out, "branches", filters->branches);
        ref_filter(out, "tags", filters->tags);
        out << YAML::EndMap;
      }
      out << YAML::EndMap << YAML::EndMap;
    }
    out << YAML::EndSeq;
    if (cw.workflow.max_auto_reruns != 0) {
      out << YAML::Key << "max_auto_reruns" << YAML::Value << cw.workflow.max_auto_reruns;
    }
    if (!cw.workflow.triggers.empty()) {
      out << YAML::Key << "triggers" << YAML::Value << YAML::BeginSeq;
      for (const ScheduleTrigger& t : cw.workflow.triggers) {
        out << YAML::BeginMap << YAML::Key << "schedule" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "cron" << YAML::Value;
        str(out, t.cron);
        if (t.branches_only || t.branches_ignore) {
          out << YAML::Key << "filters" << YAML::Value << YAML::BeginMap << YAML::Key << "branches"
              << YAML::Value << YAML::BeginMap;
          patterns(out, "only", t.branches_only);
          patterns(out, "ignore", t.branches_ignore);
          out << YAML::EndMap << YAML::EndMap;
        }
        out << YAML::EndMap << YAML::EndMap;
      }
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace halo::config
