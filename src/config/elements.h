// The named elements of a config or of one orb (commands, jobs, executors) and the orbs it
// imports, with lexical name lookup: `x` is looked up among the namespace's own elements,
// `alias/x` among those of the orb imported as `alias`.
#pragma once
#include <map>
#include <string>
#include <string_view>

#include "config/executors.h"
#include "config/jobs.h"
#include "config/parameters.h"
#include "config/yaml_source.h"

namespace halo::config {

struct CommandDef {
  std::string name;
  At at;  // the definition's map
  ParamDecls params;
  const Elements* home = nullptr;  // where the command's body resolves names
};
using CommandDefs = std::map<std::string, CommandDef>;

struct Elements {
  // "" for the config itself; for an orb, how the config refers to it ("circleci/node@7.2.1",
  // or "inline orb x"), to name it in errors.
  std::string orb;
  // An orb that could not be loaded: its elements are unknown, and uses of them are not
  // reported again (the unresolved orb is the one error).
  bool unresolved = false;
  CommandDefs commands;
  JobDefs jobs;
  ExecutorDefs executors;
  std::map<std::string, const Elements*> orbs;  // alias -> the imported orb
};

// The outcome of looking a name up: the definition, or why there is none.
template <class Def>
struct Lookup {
  const Def* def = nullptr;
  bool unresolved = false;   // the name belongs to an orb that could not be loaded (silent)
  std::string unknown_orb;   // set when `alias/x` names an alias that was never imported
  std::string searched_orb;  // set when `alias/x` was looked for in a loaded orb, not found
};

// "unknown step x: ..." style explanation of a failed lookup of `name`.
template <class Def>
std::string why_not_found(const Lookup<Def>& l, std::string_view kind) {
  if (!l.unknown_orb.empty()) return "no orb is imported as " + l.unknown_orb;
  if (!l.searched_orb.empty())
    return "orb " + l.searched_orb + " has no " + std::string(kind) + " of that name";
  return "";
}

Lookup<CommandDef> find_command(const Elements& home, std::string_view name);
Lookup<JobDef> find_job(const Elements& home, std::string_view name);
Lookup<ExecutorDef> find_executor(const Elements& home, std::string_view name);

// Parses `commands:`; definitions resolve names in `home`.
CommandDefs parse_command_defs(const At& at, const Elements* home, Diagnostics& diag);

// Built-in step names, which commands may not take.
bool is_builtin_step(std::string_view name);

// "command x", "orb job node/test (circleci/node@7.2.1)": an element named for errors.
std::string describe_element(std::string_view kind, std::string_view name, const Elements* home);

}  // namespace halo::config
