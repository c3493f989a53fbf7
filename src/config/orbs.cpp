#include "config/orbs.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/orb_directory.h"
#include "config/yaml_load.h"

namespace halo::config {

namespace {

// Orbs importing orbs importing orbs...: deeper than this is a cycle or abuse.
constexpr int kMaxDepth = 8;

bool is_orb_part(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

}  // namespace

Elements* OrbLoader::registry(const std::string& ref, const At& at, const std::string& importer,
                              Diagnostics& diag, int depth) {
  if (auto it = cache_.find(ref); it != cache_.end()) return it->second;
  Elements& e = storage_.emplace_back();
  cache_[ref] = &e;
  e.orb = ref;
  std::string by = importer.empty() ? "" : fmt::format(" (imported by orb {})", importer);
  size_t slash = ref.find('/');
  size_t at_sign = ref.find('@');
  std::string ns = ref.substr(0, slash);
  std::string name = slash == std::string::npos || at_sign == std::string::npos || at_sign < slash
                         ? ""
                         : ref.substr(slash + 1, at_sign - slash - 1);
  std::string version = at_sign == std::string::npos ? "" : ref.substr(at_sign + 1);
  if (!is_orb_part(ns) || !is_orb_part(name) || version.empty()) {
    diag.error(at,
               fmt::format("invalid orb reference \"{}\"{}: use namespace/name@version", ref, by));
    e.unresolved = true;
    return &e;
  }
  if (orb_dir_.empty()) {
    diag.error(at, fmt::format("orb {}{} cannot be resolved: no orb directory is set (--orb-dir)",
                               ref, by));
    e.unresolved = true;
    return &e;
  }
  OrbLookup found = find_orb_copy(orb_dir_, ns, name, version);
  if (!found.copy) {
    diag.error(at, fmt::format("orb {}{} cannot be resolved: {}", ref, by, found.why_not));
    e.unresolved = true;
    return &e;
  }
  // Errors about the orb's content say which copy they are about when it is not the version
  // written: `@1`, `@volatile`, or a copy that has no version.
  if (found.copy->version.empty()) {
    e.orb = fmt::format("{} (resolved to {}, which may be another version)", ref, found.copy->path);
  } else if (found.copy->version != version) {
    e.orb = fmt::format("{} (resolved to {}/{}@{})", ref, ns, name, found.copy->version);
  }
  std::string why;
  std::optional<std::string> text = read_orb_copy(*found.copy, why);
  if (!text) {
    diag.error(at, fmt::format("orb {}{}: {}", ref, by, why));
    e.unresolved = true;
    return &e;
  }
  try {
    documents_.push_back(yaml::load(*text));
  } catch (const YAML::Exception& ex) {
    diag.error(
        at, fmt::format("orb {}{}: {} is not valid YAML: {}", ref, by, found.copy->path, ex.msg));
    e.unresolved = true;
    return &e;
  }
  At root(documents_.back()->root(), at.path, &at);
  load_body(root, e, diag, depth + 1);
  return &e;
}

void OrbLoader::import(const At& at, Elements& home, Diagnostics& diag, int depth) {
  if (!at.node.IsDefined() || at.node.IsNull()) return;
  Scope scope{pipeline_, nullptr};
  for (const Entry& e : entries(at, diag, "orbs")) {
    if (!is_element_name(e.name)) {
      diag.error(e.key, fmt::format("invalid orb alias {}: names start with a letter and use "
                                    "only letters, digits, _ and -",
                                    e.name));
    }
    if (depth >= kMaxDepth) {
      diag.error(e.key, "orbs import orbs too deeply (is there a cycle?)");
      continue;
    }
    if (e.value.node.IsMap()) {
      Elements& inline_orb = storage_.emplace_back();
      inline_orb.orb = home.orb.empty() ? fmt::format("{} (inline)", e.name)
                                        : fmt::format("{} (inline in {})", e.name, home.orb);
      load_body(e.value, inline_orb, diag, depth + 1);
      home.orbs[e.name] = &inline_orb;
      continue;
    }
    auto ref = scalar_text(e.value, scope, diag, "an orb reference");
    if (!ref) continue;
    home.orbs[e.name] = registry(*ref, e.value, home.orb, diag, depth);
  }
}

void OrbLoader::load_body(const At& at, Elements& out, Diagnostics& diag, int depth) {
  auto es = entries(at, diag, "an orb");
  if (!at.node.IsMap()) {
    out.unresolved = true;
    return;
  }
  // Other keys are ignored with a warning, as CircleCI ignores them: orbs keep YAML anchors
  // under keys of their own (woocommerce-ios's `test_parameters: &test_parameters`).
  static const std::set<std::string> known{"version",  "description", "display",   "orbs",
                                           "commands", "jobs",        "executors", "examples"};
  for (const Entry& e : es)
    if (!known.count(e.name))
      diag.warning(e.key, fmt::format("unknown key {} in an orb is ignored", e.name));
  if (const Entry* e = find(es, "orbs")) import(e->value, out, diag, depth);
  if (const Entry* e = find(es, "commands"))
    out.commands = parse_command_defs(e->value, &out, diag);
  if (const Entry* e = find(es, "executors")) {
    out.executors = parse_executor_defs(e->value, true, &out, diag);
  }
  if (const Entry* e = find(es, "jobs")) out.jobs = parse_job_defs(e->value, true, &out, diag);
}

}  // namespace halo::config
