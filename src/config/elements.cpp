#include "config/elements.h"

#include <fmt/format.h>

namespace halo::config {

namespace {

// Orbs import orbs; a chain longer than this is a cycle or abuse.
constexpr int kMaxOrbDepth = 16;

template <class Def>
Lookup<Def> lookup(const Elements& home, std::string_view name,
                   const std::map<std::string, Def> Elements::*member, int depth = 0) {
  Lookup<Def> out;
  // Own names first: a processed config defines orb jobs under their `orb/job` names.
  const auto& defs = home.*member;
  if (auto it = defs.find(std::string(name)); it != defs.end()) {
    out.def = &it->second;
    return out;
  }
  size_t slash = name.find('/');
  if (slash == std::string_view::npos) return out;
  std::string alias(name.substr(0, slash));
  auto orb = home.orbs.find(alias);
  if (orb == home.orbs.end() || orb->second == nullptr) {
    out.unknown_orb = alias;
    return out;
  }
  if (orb->second->unresolved) {
    out.unresolved = true;
    return out;
  }
  if (depth >= kMaxOrbDepth) return out;
  auto inner = lookup(*orb->second, name.substr(slash + 1), member, depth + 1);
  if (inner.def == nullptr && !inner.unresolved && inner.unknown_orb.empty() &&
      inner.searched_orb.empty()) {
    inner.searched_orb = orb->second->orb;
  }
  return inner;
}

}  // namespace

Lookup<CommandDef> find_command(const Elements& home, std::string_view name) {
  return lookup(home, name, &Elements::commands);
}

Lookup<JobDef> find_job(const Elements& home, std::string_view name) {
  return lookup(home, name, &Elements::jobs);
}

Lookup<ExecutorDef> find_executor(const Elements& home, std::string_view name) {
  return lookup(home, name, &Elements::executors);
}

bool is_builtin_step(std::string_view name) {
  for (const char* k :
       {"run", "checkout", "save_cache", "restore_cache", "store_artifacts", "store_test_results",
        "persist_to_workspace", "attach_workspace", "add_ssh_keys", "setup_remote_docker", "deploy",
        "when", "unless", "steps", "install_signing_bundle"}) {
    if (name == k) return true;
  }
  return false;
}

CommandDefs parse_command_defs(const At& at, const Elements* home, Diagnostics& diag) {
  CommandDefs out;
  if (!at.node.IsDefined() || at.node.IsNull()) return out;
  for (const Entry& e : entries(at, diag, "commands")) {
    if (!is_element_name(e.name)) {
      diag.error(e.key, fmt::format("invalid command name {}: names start with a letter and use "
                                    "only letters, digits, _ and -",
                                    e.name));
    } else if (is_builtin_step(e.name)) {
      diag.error(e.key, fmt::format("{} is a built-in step and cannot be a command name", e.name));
      continue;
    }
    auto es = entries(e.value, diag, fmt::format("command {}", e.name));
    if (!e.value.node.IsMap()) continue;
    reject_unknown_keys(es, {"steps", "parameters", "description"}, diag, "a command");
    if (find(es, "steps") == nullptr) {
      diag.error(e.value, fmt::format("command {} needs steps", e.name));
    }
    CommandDef def{e.name, e.value, {}, home};
    if (const Entry* p = find(es, "parameters")) {
      def.params = parse_param_decls(p->value, ParamOwner::Element, diag);
    }
    out.emplace(e.name, std::move(def));
  }
  return out;
}

std::string describe_element(std::string_view kind, std::string_view name, const Elements* home) {
  if (home == nullptr || home->orb.empty()) return fmt::format("{} {}", kind, name);
  return fmt::format("{} {} of orb {}", kind, name, home->orb);
}

}  // namespace halo::config
