#include "config/workflows.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "config/logic.h"
#include "config/steps.h"

namespace halo::config {

namespace {

const std::vector<std::string> kTerminal{"success", "failed", "canceled", "unauthorized",
                                         "not_run"};

// One `jobs:` entry of a workflow while it is being compiled.
struct Invocation {
  std::string key;  // the job (or approval) named by the entry
  At at;            // the entry
  std::optional<std::string> explicit_name;
  At name_at;
  WorkflowJob wj;
  std::vector<At> requires_at;  // parallel to wj.requirements
  std::optional<Filters> filters;
  // `requires: [alias]` waits for every invocation with the alias: a matrix's alias, and the
  // name of the job group the invocation came from.
  std::vector<std::string> aliases;
  std::string group;  // the job group it came from; empty for a workflow's own jobs
};

// A `job-groups:` entry: a named list of workflow job invocations.
struct JobGroup {
  std::string name;
  At key;   // the group's name in job-groups
  At jobs;  // its jobs list
};
using JobGroups = std::map<std::string, JobGroup>;

// A workflow's (or a group's) `jobs:` entry that names a job group.
struct GroupCall {
  const JobGroup* group = nullptr;
  At key;   // the group's name in the entry
  At spec;  // the invocation's map (undefined or null when there is none)
};

// One entry of a matrix: parameter name -> value, and the arguments they become.
struct MatrixEntry {
  std::map<std::string, json> values;
  std::vector<Arg> args;
};

// A matrix larger than this is refused: every entry is a job.
constexpr size_t kMaxMatrix = 1000;

std::vector<std::string> statuses(const At& at, const Scope& scope, Diagnostics& diag) {
  std::vector<std::string> out;
  std::vector<At> list;
  if (at.node.IsSequence()) {
    list = items(at, diag, "statuses");
  } else {
    list.push_back(at);
  }
  for (const At& item : list) {
    auto s = scalar_text(item, scope, diag, "a status");
    if (!s) continue;
    if (*s == "terminal") {
      for (const auto& t : kTerminal) {
        if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
      }
    } else if (std::find(kTerminal.begin(), kTerminal.end(), *s) != kTerminal.end()) {
      if (std::find(out.begin(), out.end(), *s) == out.end()) out.push_back(*s);
    } else {
      diag.error(item, fmt::format("unknown status {} (expected success, failed, canceled, "
                                   "unauthorized, not_run or terminal)",
                                   *s));
    }
  }
  if (out.empty() && !list.empty()) diag.error(at, "requires needs at least one status");
  return out;
}

void parse_requires(const At& at, const Scope& scope, Diagnostics& diag, Invocation& inv) {
  for (const At& item : items(at, diag, "requires")) {
    if (item.node.IsMap()) {
      for (const Entry& e : entries(item, diag, "a requirement")) {
        auto st = statuses(e.value, scope, diag);
        if (st.empty()) continue;
        inv.wj.requirements.push_back({e.name, st});
        inv.requires_at.push_back(e.key);
      }
      continue;
    }
    auto name = scalar_text(item, scope, diag, "a requirement");
    if (!name) continue;
    inv.wj.requirements.push_back({*name, {"success"}});
    inv.requires_at.push_back(item);
  }
}

std::vector<std::string> parse_contexts(const At& at, const Scope& scope, Diagnostics& diag) {
  std::vector<std::string> out;
  std::vector<At> list;
  if (at.node.IsSequence()) {
    list = items(at, diag, "context");
  } else {
    list.push_back(at);
  }
  for (const At& item : list) {
    auto s = scalar_text(item, scope, diag, "a context");
    if (!s) continue;
    if (s->empty()) {
      diag.error(item, "context names cannot be empty");
    } else if (std::find(out.begin(), out.end(), *s) == out.end()) {
      out.push_back(*s);
    }
  }
  return out;
}

std::optional<std::string> parse_serial_group(const At& at, const Scope& scope, Diagnostics& diag) {
  auto g = scalar_text(at, scope, diag, "serial-group");
  bool valid = g && !g->empty() && g->size() <= 512 &&
               std::all_of(g->begin(), g->end(), [](unsigned char c) {
                 return std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '/';
               });
  if (g && !valid) {
    diag.error(at, "serial-group must be 1 to 512 characters of A-Z a-z 0-9 . - _ /");
    return std::nullopt;
  }
  return g;
}

// The matrix entries of an invocation; `alias` receives the matrix's alias when it has one.
std::vector<MatrixEntry> matrix_entries(const At& at, const Scope& scope, Diagnostics& diag,
                                        std::string& alias) {
  std::vector<MatrixEntry> out;
  auto es = entries(at, diag, "matrix");
  if (!at.node.IsMap()) return out;
  reject_unknown_keys(es, {"parameters", "exclude", "alias"}, diag, "matrix");
  if (const Entry* a = find(es, "alias")) {
    if (auto v = scalar_text(a->value, scope, diag, "alias"); v && !v->empty()) alias = *v;
  }
  const Entry* params = find(es, "parameters");
  if (params == nullptr) {
    diag.error(at, "matrix needs parameters");
    return out;
  }
  // Parameter names in order (std::map): default names list values in that order.
  std::map<std::string, std::vector<Arg>> values;
  for (const Entry& p : entries(params->value, diag, "matrix parameters")) {
    std::vector<Arg> vs;
    for (const At& item : items(p.value, diag, fmt::format("matrix parameter {}", p.name))) {
      std::vector<Entry> one{{p.name, p.key, item}};
      for (Arg& a : read_arguments(one, scope, diag, {})) vs.push_back(std::move(a));
    }
    if (p.value.node.IsSequence() && vs.empty()) {
      diag.error(p.value, fmt::format("matrix parameter {} needs at least one value", p.name));
      return out;
    }
    if (vs.empty()) return out;
    values[p.name] = std::move(vs);
  }
  if (values.empty()) {
    if (params->value.node.IsMap()) diag.error(params->value, "matrix needs parameters");
    return out;
  }
  auto text_of = [](const Arg& a) {
    return a.text ? *a.text : (a.value.is_string() ? a.value.get<std::string>() : a.value.dump());
  };
  std::vector<std::map<std::string, std::string>> excludes;
  if (const Entry* ex = find(es, "exclude")) {
    for (const At& item : items(ex->value, diag, "exclude")) {
      std::map<std::string, std::string> one;
      for (const Entry& e : entries(item, diag, "an exclude entry")) {
        if (!values.count(e.name)) {
          diag.error(e.key,
                     fmt::format("exclude names {}, which is not a matrix parameter", e.name));
          continue;
        }
        std::vector<Entry> single{e};
        for (const Arg& a : read_arguments(single, scope, diag, {})) one[e.name] = text_of(a);
      }
      excludes.push_back(std::move(one));
    }
  }
  size_t total = 1;
  for (const auto& [name, vs] : values) {
    total *= vs.size();
    if (total > kMaxMatrix) {
      diag.error(params->value, fmt::format("the matrix has more than {} entries", kMaxMatrix));
      return out;
    }
  }
  for (size_t n = 0; n < total; ++n) {
    // The last parameter varies fastest.
    std::vector<const Arg*> picked(values.size());
    size_t rest = n;
    size_t k = values.size();
    for (auto it = values.rbegin(); it != values.rend(); ++it) {
      picked[--k] = &it->second[rest % it->second.size()];
      rest /= it->second.size();
    }
    MatrixEntry entry;
    std::map<std::string, std::string> texts;
    for (const Arg* a : picked) {
      texts[a->name] = text_of(*a);
      // Matrix values are typed like the arguments they become (`<< matrix.n >>` of 3 is 3).
      entry.values[a->name] = a->value.is_primitive() ? a->value : json(text_of(*a));
      entry.args.push_back(*a);
    }
    bool excluded = std::any_of(excludes.begin(), excludes.end(), [&](const auto& ex) {
      if (ex.empty()) return false;
      for (const auto& [name, v] : ex) {
        if (texts[name] != v) return false;
      }
      return true;
    });
    if (!excluded) out.push_back(std::move(entry));
  }
  return out;
}

std::vector<Invocation> parse_invocation(const At& item, const WorkflowsInput& in,
                                         Diagnostics& diag, std::set<std::string>& invoked) {
  Scope scope{in.pipeline, nullptr, in.elements};
  std::vector<Invocation> out;
  Invocation base;
  base.at = item;
  At spec;
  if (item.node.IsMap()) {
    auto es = entries(item, diag, "a workflow job");
    if (es.size() != 1) {
      diag.error(item, "a workflow job is a job name or a map with one key, the job name");
      return out;
    }
    base.key = es.front().name;
    base.at = es.front().key;
    spec = es.front().value;
  } else {
    auto key = scalar_text(item, scope, diag, "a workflow job");
    if (!key) return out;
    base.key = *key;
  }
  std::vector<Entry> es;
  if (spec.node.IsDefined() && !spec.node.IsNull()) {
    es = entries(spec, diag, fmt::format("job {}", base.key));
  }
  std::vector<MatrixEntry> matrix{MatrixEntry{}};
  bool has_matrix = false;
  if (const Entry* m = find(es, "matrix")) {
    has_matrix = true;
    std::string alias = base.key;
    matrix = matrix_entries(m->value, scope, diag, alias);
    base.aliases.push_back(alias);
  }
  for (const MatrixEntry& me : matrix) {
    Invocation inv = base;
    Scope s = scope;
    if (has_matrix) s.matrix = &me.values;
    bool approval = false;
    std::string job_key = inv.key;
    std::vector<Arg> args = me.args;
    const Entry* pre = nullptr;
    const Entry* post = nullptr;
    for (const Entry& e : es) {
      if (e.name == "matrix") continue;
      if (e.name == "requires") {
        parse_requires(e.value, s, diag, inv);
      } else if (e.name == "name") {
        auto n = scalar_text(e.value, s, diag, "name");
        if (n && n->empty()) diag.error(e.value, "name cannot be empty");
        if (n && !n->empty()) {
          inv.explicit_name = *n;
          inv.name_at = e.value;
        }
      } else if (e.name == "context") {
        inv.wj.contexts = parse_contexts(e.value, s, diag);
      } else if (e.name == "filters") {
        inv.filters = parse_filters(e.value, s, diag);
      } else if (e.name == "type") {
        auto t = scalar_text(e.value, s, diag, "type");
        if (t && *t == "approval") {
          approval = true;
        } else if (t) {
          diag.error(e.value,
                     fmt::format("a workflow job's type can only be approval, not \"{}\"", *t));
        }
      } else if (e.name == "pre-steps") {
        pre = &e;
      } else if (e.name == "post-steps") {
        post = &e;
      } else if (e.name == "serial-group") {
        if (auto g = parse_serial_group(e.value, s, diag)) inv.wj.serial_group = *g;
      } else if (e.name == "override-with") {
        auto o = scalar_text(e.value, s, diag, "override-with");
        if (o && !o->empty()) job_key = *o;
      } else {
        std::vector<Entry> one{e};
        for (Arg& a : read_arguments(one, s, diag, {})) args.push_back(std::move(a));
      }
    }
    // Unnamed matrix entries are named <job>-<values in parameter-name order>.
    if (!inv.explicit_name && has_matrix) {
      std::string name = inv.key;
      for (const auto& [p, v] : me.values) name += "-" + stringify(v);
      inv.explicit_name = name;
      inv.name_at = inv.at;
    }
    inv.wj.name = inv.explicit_name.value_or(inv.key);
    auto found = find_job(*in.elements, job_key);
    if (approval) {
      if (found.def != nullptr) {
        diag.error(inv.at, fmt::format("approval job {} has the name of a defined job", inv.key));
      }
      if (!args.empty()) {
        std::string names;
        for (const Arg& a : args) names += (names.empty() ? "" : ", ") + a.name;
        diag.error(inv.at, fmt::format("Unexpected argument(s): {}", names));
      }
      inv.wj.job.name = inv.key;
      inv.wj.job.type = "approval";
      out.push_back(std::move(inv));
      continue;
    }
    if (found.def == nullptr) {
      if (!found.unresolved) {
        std::string why = why_not_found(found, "job");
        diag.error(inv.at, why.empty() ? fmt::format("job {} is not defined", job_key)
                                       : fmt::format("job {} is not defined: {}", job_key, why));
      }
      // Kept in the graph so that jobs requiring it do not report errors of their own.
      inv.wj.job.name = job_key;
      out.push_back(std::move(inv));
      continue;
    }
    if (found.def->home == in.elements) invoked.insert(found.def->name);
    inv.wj.job = compile_job(*found.def, args, inv.at, *in.pipeline, diag, job_key);
    if (pre != nullptr) {
      auto steps = compile_steps(pre->value, s, diag);
      inv.wj.job.steps.insert(inv.wj.job.steps.begin(), steps.begin(), steps.end());
    }
    if (post != nullptr) {
      auto steps = compile_steps(post->value, s, diag);
      inv.wj.job.steps.insert(inv.wj.job.steps.end(), steps.begin(), steps.end());
    }
    out.push_back(std::move(inv));
  }
  return out;
}

// " (one from job group g)" when a name clash involves jobs of different job groups.
std::string groups_of(const Invocation& a, const Invocation& b) {
  if (a.group == b.group) return "";
  if (a.group.empty() || b.group.empty()) {
    return fmt::format(" (one from job group {})", a.group.empty() ? b.group : a.group);
  }
  return fmt::format(" (from job groups {} and {})", a.group, b.group);
}

// Gives unnamed duplicates -1, -2... suffixes and reports clashing names; `owner` is "workflow
// w" or "job group g". Jobs of job groups come named: a job that would take the name of one is
// an error, not renamed.
void assign_names(std::vector<Invocation>& invs, const std::string& owner, Diagnostics& diag) {
  std::map<std::string, const Invocation*> taken;
  for (Invocation& inv : invs) {
    if (!inv.explicit_name) continue;
    auto [first, fresh] = taken.emplace(*inv.explicit_name, &inv);
    // Two jobs of one group were reported when the group was named.
    bool same_group =
        !inv.group.empty() && first->second->group == inv.group && owner.rfind("workflow ", 0) == 0;
    if (!fresh && !same_group) {
      diag.error(inv.name_at, fmt::format("{} has two jobs named {}{}", owner, *inv.explicit_name,
                                          groups_of(*first->second, inv)));
    }
  }
  // The first unnamed invocation keeps the job's name; later ones count from -1.
  std::map<std::string, int> seen;
  std::map<std::string, int> suffix;
  for (Invocation& inv : invs) {
    if (inv.explicit_name) continue;
    std::string name = inv.key;
    bool first = seen[inv.key]++ == 0;
    auto holder = taken.find(name);
    if (first && holder != taken.end() && holder->second->group != inv.group) {
      diag.error(inv.at, fmt::format("{} has two jobs named {}{}", owner, name,
                                     groups_of(*holder->second, inv)));
    }
    if (!first || holder != taken.end()) {
      do {
        name = fmt::format("{}-{}", inv.key, ++suffix[inv.key]);
      } while (taken.count(name));
    }
    taken.emplace(name, &inv);
    inv.wj.name = name;
  }
}

// Checks requires and orders the jobs so that requirements come first; false on errors.
// `owner` is "workflow w" (or "job group g") in errors.
bool check_graph(std::vector<Invocation>& invs, const At& at, const std::string& owner,
                 Diagnostics& diag, std::vector<size_t>& order) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < invs.size(); ++i) index.emplace(invs[i].wj.name, i);
  // `requires: [alias]` of a matrix waits for every entry of the matrix, and that of a job
  // group for every job of the group.
  std::map<std::string, std::vector<std::string>> aliases;
  for (const Invocation& inv : invs) {
    for (const std::string& a : inv.aliases) {
      auto& members = aliases[a];
      if (std::find(members.begin(), members.end(), inv.wj.name) == members.end())
        members.push_back(inv.wj.name);
    }
  }
  for (Invocation& inv : invs) {
    std::vector<Requirement> reqs;
    std::vector<At> ats;
    for (size_t r = 0; r < inv.wj.requirements.size(); ++r) {
      const Requirement& req = inv.wj.requirements[r];
      auto al = aliases.find(req.job);
      if (index.count(req.job) || al == aliases.end()) {
        reqs.push_back(req);
        ats.push_back(inv.requires_at[r]);
        continue;
      }
      for (const std::string& member : al->second) {
        reqs.push_back({member, req.statuses});
        ats.push_back(inv.requires_at[r]);
      }
    }
    inv.wj.requirements = std::move(reqs);
    inv.requires_at = std::move(ats);
  }
  bool ok = true;
  std::vector<std::vector<size_t>> downstream(invs.size());
  std::vector<size_t> pending(invs.size(), 0);
  for (size_t i = 0; i < invs.size(); ++i) {
    std::set<std::string> seen;
    for (size_t r = 0; r < invs[i].wj.requirements.size(); ++r) {
      const std::string& name = invs[i].wj.requirements[r].job;
      auto it = index.find(name);
      if (it == index.end()) {
        diag.error(invs[i].requires_at[r], fmt::format("{} requires {}, which is not a job of {}",
                                                       invs[i].wj.name, name, owner));
        ok = false;
        continue;
      }
      if (!seen.insert(name).second) continue;
      downstream[it->second].push_back(i);
      ++pending[i];
    }
  }
  if (!ok) return false;
  // Kahn's algorithm: iterative, so long chains cannot overflow the stack.
  std::deque<size_t> ready;
  for (size_t i = 0; i < invs.size(); ++i) {
    if (pending[i] == 0) ready.push_back(i);
  }
  while (!ready.empty()) {
    size_t i = ready.front();
    ready.pop_front();
    order.push_back(i);
    for (size_t d : downstream[i]) {
      if (--pending[d] == 0) ready.push_back(d);
    }
  }
  if (order.size() == invs.size()) return true;
  // Every job left has a requirement left: walk requirements until one repeats.
  size_t cur = 0;
  while (pending[cur] == 0) ++cur;
  std::vector<size_t> path;
  std::map<size_t, size_t> pos;
  while (!pos.count(cur)) {
    pos[cur] = path.size();
    path.push_back(cur);
    for (const Requirement& r : invs[cur].wj.requirements) {
      size_t next = index.at(r.job);
      if (pending[next] != 0) {
        cur = next;
        break;
      }
    }
  }
  std::string cycle;
  for (size_t k = pos[cur]; k < path.size(); ++k) cycle += invs[path[k]].wj.name + " -> ";
  cycle += invs[cur].wj.name;
  diag.error(at, fmt::format("{} has a cycle in requires: {}", owner, cycle));
  return false;
}

std::vector<ScheduleTrigger> parse_triggers(const At& at, const Scope& scope, Diagnostics& diag) {
  std::vector<ScheduleTrigger> out;
  for (const At& item : items(at, diag, "triggers")) {
    auto es = entries(item, diag, "a trigger");
    reject_unknown_keys(es, {"schedule"}, diag, "a trigger");
    const Entry* sched = find(es, "schedule");
    if (sched == nullptr) {
      if (item.node.IsMap()) diag.error(item, "a trigger needs schedule");
      continue;
    }
    auto ss = entries(sched->value, diag, "schedule");
    reject_unknown_keys(ss, {"cron", "filters"}, diag, "schedule");
    ScheduleTrigger t;
    const Entry* cron = find(ss, "cron");
    if (cron == nullptr) {
      if (sched->value.node.IsMap()) diag.error(sched->value, "schedule needs cron");
      continue;
    }
    t.cron = scalar_text(cron->value, scope, diag, "cron").value_or("");
    size_t fields = 0;
    bool in_field = false;
    for (char c : t.cron) {
      bool space = c == ' ' || c == '\t';
      if (!space && !in_field) ++fields;
      in_field = !space;
    }
    if (fields != 5) {
      diag.error(cron->value, fmt::format("cron must have 5 fields, not \"{}\"", t.cron));
    }
    if (const Entry* f = find(ss, "filters")) {
      if (auto parsed = parse_filters(f->value, scope, diag)) {
        if (parsed->tags) diag.error(f->value, "schedule filters take only branches");
        if (parsed->branches) {
          t.branches_only = parsed->branches->only;
          t.branches_ignore = parsed->branches->ignore;
        }
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

// Group names follow the schema: ^[A-Za-z][A-Za-z\s\d_-]*$.
bool is_group_name(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || std::isspace(c) || c == '_' || c == '-';
  });
}

// Reads `job-groups:`. Groups with an unusable name are kept, so that workflows using them do
// not report them as undefined jobs as well.
JobGroups parse_job_groups(const At* at, const Elements& elements, Diagnostics& diag) {
  JobGroups out;
  if (at == nullptr || !at->node.IsDefined() || at->node.IsNull()) return out;
  for (const Entry& e : entries(*at, diag, "job-groups")) {
    if (!is_group_name(e.name)) {
      diag.error(e.key, fmt::format("invalid job group name {}: names start with a letter and use "
                                    "only letters, digits, spaces, _ and -",
                                    e.name));
    }
    if (elements.jobs.count(e.name)) {
      diag.error(e.key, fmt::format("job group {} has the name of a job; a name is a job or a job "
                                    "group, not both",
                                    e.name));
    }
    // A null value has the position of whatever follows it: name the key instead.
    if (e.value.node.IsNull()) {
      diag.error(e.key, fmt::format("job group {} needs jobs", e.name));
      continue;
    }
    auto es = entries(e.value, diag, fmt::format("job group {}", e.name));
    if (!e.value.node.IsMap()) continue;
    reject_unknown_keys(es, {"jobs"}, diag, fmt::format("job group {}", e.name));
    const Entry* jobs = find(es, "jobs");
    if (jobs == nullptr || jobs->value.node.IsNull()) {
      diag.error(jobs ? jobs->key : e.value, fmt::format("job group {} needs jobs", e.name));
      continue;
    }
    if (!jobs->value.node.IsSequence()) {
      items(jobs->value, diag, "jobs");  // reports what it is instead
      continue;
    }
    if (jobs->value.node.size() == 0) {
      diag.error(jobs->value, fmt::format("job group {} needs at least one job", e.name));
      continue;
    }
    out.emplace(e.name, JobGroup{e.name, e.key, jobs->value});
  }
  return out;
}

// The job group that an entry of a jobs list invokes, if it names one.
std::optional<GroupCall> group_call(const At& item, const JobGroups& groups, const Scope& scope) {
  if (groups.empty()) return std::nullopt;
  Diagnostics scratch;  // entries that are not groups report their own errors later
  if (item.node.IsMap()) {
    auto es = entries(item, scratch, "a workflow job");
    if (es.size() != 1) return std::nullopt;
    auto it = groups.find(es.front().name);
    if (it == groups.end()) return std::nullopt;
    return GroupCall{&it->second, es.front().key, es.front().value};
  }
  if (!item.node.IsScalar()) return std::nullopt;
  auto name = scalar_text(item, scope, scratch, "a workflow job");
  auto it = name ? groups.find(*name) : groups.end();
  if (it == groups.end()) return std::nullopt;
  return GroupCall{&it->second, item, At()};
}

// The jobs of a group, named as in a workflow of their own. Their names are then fixed:
// wherever the group is used, its jobs keep them.
std::vector<Invocation> group_jobs(const JobGroup& g, const JobGroups& groups,
                                   const WorkflowsInput& in, Diagnostics& diag,
                                   std::set<std::string>& invoked) {
  Scope scope{in.pipeline, nullptr, in.elements};
  std::vector<Invocation> out;
  for (const At& item : items(g.jobs, diag, "jobs")) {
    if (auto nested = group_call(item, groups, scope)) {
      diag.error(nested->key, fmt::format("job group {} cannot contain job group {}: job groups "
                                          "do not nest",
                                          g.name, nested->group->name));
      continue;
    }
    for (Invocation& inv : parse_invocation(item, in, diag, invoked)) {
      inv.group = g.name;
      out.push_back(std::move(inv));
    }
  }
  assign_names(out, fmt::format("job group {}", g.name), diag);
  for (Invocation& inv : out) {
    if (inv.explicit_name) continue;
    inv.explicit_name = inv.wj.name;
    inv.name_at = inv.at;
  }
  return out;
}

// The names that requirements inside a group can use for the group's own jobs.
std::set<std::string> internal_names(const std::vector<Invocation>& jobs) {
  std::set<std::string> out;
  for (const Invocation& inv : jobs) {
    out.insert(inv.wj.name);
    out.insert(inv.aliases.begin(), inv.aliases.end());
  }
  return out;
}

// A job group used in a workflow: its jobs, with the invocation's keys applied. The
// invocation's requires go to the group's roots (jobs that require nothing in the group); its
// contexts join every job's; its filters and serial group go to jobs without their own.
std::vector<Invocation> expand_group(const GroupCall& call, const JobGroups& groups,
                                     const WorkflowsInput& in, Diagnostics& diag,
                                     std::set<std::string>& invoked) {
  Scope scope{in.pipeline, nullptr, in.elements};
  const JobGroup& g = *call.group;
  Invocation over;
  if (call.spec.node.IsDefined() && !call.spec.node.IsNull()) {
    for (const Entry& e : entries(call.spec, diag, fmt::format("job group {}", g.name))) {
      if (e.name == "requires") {
        parse_requires(e.value, scope, diag, over);
      } else if (e.name == "context") {
        over.wj.contexts = parse_contexts(e.value, scope, diag);
      } else if (e.name == "filters") {
        over.filters = parse_filters(e.value, scope, diag);
      } else if (e.name == "serial-group") {
        if (auto sg = parse_serial_group(e.value, scope, diag)) over.wj.serial_group = *sg;
      } else {
        diag.error(e.key, fmt::format("unknown key {} in the use of job group {} (a job group "
                                      "takes requires, context, filters and serial-group)",
                                      e.name, g.name));
      }
    }
  }
  std::vector<Invocation> jobs = group_jobs(g, groups, in, diag, invoked);
  std::set<std::string> internal = internal_names(jobs);
  for (Invocation& inv : jobs) {
    auto& reqs = inv.wj.requirements;
    bool root = std::none_of(reqs.begin(), reqs.end(),
                             [&](const Requirement& r) { return internal.count(r.job) > 0; });
    for (size_t r = 0; root && r < over.wj.requirements.size(); ++r) {
      const Requirement& req = over.wj.requirements[r];
      bool own = std::any_of(reqs.begin(), reqs.end(),
                             [&](const Requirement& mine) { return mine.job == req.job; });
      if (own) continue;  // the job's own statuses win
      reqs.push_back(req);
      inv.requires_at.push_back(over.requires_at[r]);
    }
    for (const std::string& c : over.wj.contexts) {
      auto& mine = inv.wj.contexts;
      if (std::find(mine.begin(), mine.end(), c) == mine.end()) mine.push_back(c);
    }
    if (!inv.filters) inv.filters = over.filters;
    if (inv.wj.serial_group.empty()) inv.wj.serial_group = over.wj.serial_group;
    inv.aliases.push_back(g.name);
  }
  return jobs;
}

// A group no workflow uses is still checked: its jobs, names and the requires between them.
// Its jobs do not count as invoked (the jobs nothing runs are checked on their own), and the
// commands their steps call are not looked up, as for those jobs.
void check_unused_group(const JobGroup& g, const JobGroups& groups, const WorkflowsInput& in,
                        Diagnostics& diag) {
  Diagnostics scratch;
  std::set<std::string> invoked;
  std::vector<Invocation> jobs = group_jobs(g, groups, in, scratch, invoked);
  std::set<std::string> internal = internal_names(jobs);
  for (Invocation& inv : jobs) {
    // Requirements outside the group are resolved where the group is used.
    std::vector<Requirement> reqs;
    std::vector<At> ats;
    for (size_t r = 0; r < inv.wj.requirements.size(); ++r) {
      if (!internal.count(inv.wj.requirements[r].job)) continue;
      reqs.push_back(inv.wj.requirements[r]);
      ats.push_back(inv.requires_at[r]);
    }
    inv.wj.requirements = std::move(reqs);
    inv.requires_at = std::move(ats);
  }
  std::vector<size_t> order;
  if (scratch.count() == 0)
    check_graph(jobs, g.jobs, fmt::format("job group {}", g.name), scratch, order);
  for (const ConfigError& e : scratch.errors()) {
    if (e.message.rfind("unknown step ", 0) == 0) continue;
    diag.error(e.path, e.line, e.column, e.message);
  }
}

std::optional<CompiledWorkflow> compile_workflow(const std::string& name, const At& at,
                                                 const WorkflowsInput& in, const JobGroups& groups,
                                                 std::set<std::string>& used_groups,
                                                 Diagnostics& diag,
                                                 std::set<std::string>& invoked) {
  Scope scope{in.pipeline, nullptr, in.elements};
  auto es = entries(at, diag, fmt::format("workflow {}", name));
  if (!at.node.IsMap()) return std::nullopt;
  // `description`: ignored by CircleCI, kept by real configs (not in the schema).
  reject_unknown_keys(es, {"jobs", "when", "unless", "triggers", "max_auto_reruns", "description"},
                      diag, "a workflow");
  bool run = true;
  if (const Entry* e = find(es, "when"))
    run = evaluate_condition(e->value, scope, diag, true).value_or(false) && run;
  if (const Entry* e = find(es, "unless"))
    run = !evaluate_condition(e->value, scope, diag, true).value_or(true) && run;
  int max_auto_reruns = 0;
  if (const Entry* e = find(es, "max_auto_reruns")) {
    auto v = scalar_value(e->value, scope, diag, "max_auto_reruns");
    if (v && v->is_number_integer() && *v >= 1 && *v <= 5) {
      max_auto_reruns = v->get<int>();
    } else if (v) {
      diag.error(e->value, "max_auto_reruns must be an integer from 1 to 5");
    }
  }
  // triggers (legacy scheduled workflows) are kept for the scheduler.
  std::vector<ScheduleTrigger> triggers;
  if (const Entry* e = find(es, "triggers")) triggers = parse_triggers(e->value, scope, diag);

  const Entry* jobs = find(es, "jobs");
  if (jobs == nullptr) {
    diag.error(at, fmt::format("workflow {} needs jobs", name));
    return std::nullopt;
  }
  // CircleCI drops a workflow whose when/unless says no before it expands its jobs, so what
  // its jobs get wrong is not an error (ethereum/remix-project leaves out a required argument
  // in a workflow that runs only when asked).
  Diagnostics skipped;
  if (!run && diag.exhausted()) return std::nullopt;
  Diagnostics& jd = run ? diag : skipped;
  std::vector<Invocation> invs;
  size_t before = jd.count();
  std::set<std::string> groups_here;
  for (const At& item : items(jobs->value, jd, "jobs")) {
    if (auto call = group_call(item, groups, scope)) {
      const std::string& group = call->group->name;
      if (!groups_here.insert(group).second) {
        jd.error(call->key, fmt::format("job group {} is used twice in workflow {}", group, name));
        continue;
      }
      used_groups.insert(group);
      for (Invocation& inv : expand_group(*call, groups, in, jd, invoked))
        invs.push_back(std::move(inv));
      continue;
    }
    for (Invocation& inv : parse_invocation(item, in, jd, invoked)) invs.push_back(std::move(inv));
  }
  if (jobs->value.node.IsSequence() && invs.empty() && jd.count() == before) {
    jd.error(jobs->value, fmt::format("workflow {} needs at least one job", name));
  }
  std::string owner = fmt::format("workflow {}", name);
  assign_names(invs, owner, jd);
  // `requires: [group]` means the group's jobs: no job may take a group's name.
  for (const Invocation& inv : invs) {
    if (groups_here.count(inv.wj.name)) {
      jd.error(inv.explicit_name ? inv.name_at : inv.at,
               fmt::format("workflow {} has a job and a job group named {}", name, inv.wj.name));
    }
  }
  std::vector<size_t> order;
  bool graph_ok = check_graph(invs, jobs->value, owner, jd, order);
  if (!run) {
    diag.spend(at, skipped.spent());  // the work still counts against the one budget
    return std::nullopt;
  }
  if (!graph_ok) return std::nullopt;

  // Filters: a job runs when its filters admit the pipeline and, if it has requirements,
  // at least one of them runs. Requirements on jobs that do not run are dropped.
  std::string branch = pipeline_string(*in.pipeline, "git.branch");
  std::string tag = pipeline_string(*in.pipeline, "git.tag");
  std::map<std::string, bool> runs;
  for (size_t i : order) {
    Invocation& inv = invs[i];
    bool r = filters_allow(inv.filters, branch, tag);
    if (r && !inv.wj.requirements.empty()) {
      std::vector<Requirement> kept;
      for (const Requirement& req : inv.wj.requirements) {
        if (runs[req.job]) kept.push_back(req);
      }
      r = !kept.empty();
      inv.wj.requirements = std::move(kept);
    }
    runs[inv.wj.name] = r;
  }
  CompiledWorkflow out;
  out.workflow.name = name;
  out.workflow.triggers = std::move(triggers);
  out.workflow.max_auto_reruns = max_auto_reruns;
  for (Invocation& inv : invs) {
    if (!runs[inv.wj.name]) continue;
    out.workflow.jobs.push_back(std::move(inv.wj));
    out.filters.push_back(std::move(inv.filters));
  }
  if (out.workflow.jobs.empty()) return std::nullopt;
  return out;
}

}  // namespace

std::vector<CompiledWorkflow> compile_workflows(const At* at, const WorkflowsInput& in,
                                                Diagnostics& diag, std::set<std::string>& invoked) {
  std::vector<CompiledWorkflow> out;
  JobGroups groups = parse_job_groups(in.job_groups, *in.elements, diag);
  std::set<std::string> used_groups;
  if (at == nullptr) {
    // CircleCI 2.0 behaviour: without workflows, a job named build runs on its own.
    auto build = in.elements->jobs.find("build");
    // Like any job without tag filters, the implicit build does not run for tags (this also
    // keeps processing a fixed point: its output has an explicit, unfiltered workflow).
    if (build != in.elements->jobs.end() && pipeline_string(*in.pipeline, "git.tag").empty()) {
      invoked.insert("build");
      CompiledWorkflow wf;
      wf.workflow.name = kImplicitWorkflow;
      WorkflowJob wj;
      wj.name = "build";
      wj.job = compile_job(build->second, {}, build->second.at, *in.pipeline, diag);
      wf.workflow.jobs.push_back(std::move(wj));
      wf.filters.push_back(std::nullopt);
      out.push_back(std::move(wf));
    }
  } else if (!at->node.IsNull()) {
    for (const Entry& e : entries(*at, diag, "workflows")) {
      // `version: 2` inside workflows is a 2.0 leftover.
      if (e.name == "version") continue;
      if (e.name.empty()) {
        diag.error(e.key, "workflow names cannot be empty");
        continue;
      }
      if (auto wf = compile_workflow(e.name, e.value, in, groups, used_groups, diag, invoked))
        out.push_back(std::move(*wf));
    }
  }
  for (const auto& entry : groups) {
    if (!used_groups.count(entry.first) && !diag.exhausted())
      check_unused_group(entry.second, groups, in, diag);
  }
  return out;
}

}  // namespace halo::config
