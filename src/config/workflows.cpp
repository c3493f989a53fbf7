#include "config/workflows.h"

#include <algorithm>
#include <deque>
#include <map>

#include <fmt/format.h>

#include "config/logic.h"

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
};

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

std::optional<Invocation> parse_invocation(const At& item, const WorkflowsInput& in,
                                           Diagnostics& diag, std::set<std::string>& invoked) {
  Scope scope{in.pipeline, nullptr};
  Invocation inv;
  inv.at = item;
  At spec;
  if (item.node.IsMap()) {
    auto es = entries(item, diag, "a workflow job");
    if (es.size() != 1) {
      diag.error(item, "a workflow job is a job name or a map with one key, the job name");
      return std::nullopt;
    }
    inv.key = es.front().name;
    inv.at = es.front().key;
    spec = es.front().value;
  } else {
    auto key = scalar_text(item, scope, diag, "a workflow job");
    if (!key) return std::nullopt;
    inv.key = *key;
  }
  bool approval = false;
  std::vector<Arg> args;
  if (spec.node.IsDefined() && !spec.node.IsNull()) {
    for (const Entry& e : entries(spec, diag, fmt::format("job {}", inv.key))) {
      if (e.name == "requires") {
        parse_requires(e.value, scope, diag, inv);
      } else if (e.name == "name") {
        auto n = scalar_text(e.value, scope, diag, "name");
        if (n && n->empty()) diag.error(e.value, "name cannot be empty");
        if (n && !n->empty()) {
          inv.explicit_name = *n;
          inv.name_at = e.value;
        }
      } else if (e.name == "context") {
        inv.wj.contexts = parse_contexts(e.value, scope, diag);
      } else if (e.name == "filters") {
        inv.filters = parse_filters(e.value, scope, diag);
      } else if (e.name == "type") {
        auto t = scalar_text(e.value, scope, diag, "type");
        if (t && *t == "approval") {
          approval = true;
        } else if (t) {
          diag.error(e.value,
                     fmt::format("a workflow job's type can only be approval, not \"{}\"", *t));
        }
      } else if (e.name == "matrix" || e.name == "pre-steps" || e.name == "post-steps" ||
                 e.name == "serial-group" || e.name == "override-with") {
        diag.error(e.key, fmt::format("{} is not supported yet", e.name));
      } else {
        auto v = scalar_value(e.value, scope, diag, fmt::format("argument {}", e.name));
        if (!v) continue;
        std::optional<std::string> text;
        if (e.value.node.IsScalar()) text = scalar_text(e.value, scope, diag, e.name);
        args.push_back({e.name, *v, text, e.value});
      }
    }
  }
  inv.wj.name = inv.explicit_name.value_or(inv.key);
  auto def = in.jobs->find(inv.key);
  if (approval) {
    if (def != in.jobs->end()) {
      diag.error(inv.at, fmt::format("approval job {} has the name of a defined job", inv.key));
    }
    if (!args.empty()) {
      std::string names;
      for (const Arg& a : args) names += (names.empty() ? "" : ", ") + a.name;
      diag.error(inv.at, fmt::format("Unexpected argument(s): {}", names));
    }
    inv.wj.job.name = inv.key;
    inv.wj.job.type = "approval";
    return inv;
  }
  if (def == in.jobs->end()) {
    diag.error(inv.at, fmt::format("job {} is not defined", inv.key));
    // Kept in the graph so that jobs requiring it do not report errors of their own.
    inv.wj.job.name = inv.key;
    return inv;
  }
  invoked.insert(inv.key);
  inv.wj.job = compile_job(def->second, args, inv.at, *in.executors, *in.pipeline, diag);
  return inv;
}

// Gives unnamed duplicates -1, -2... suffixes and reports clashing names.
void assign_names(std::vector<Invocation>& invs, const At& at, const std::string& workflow,
                  Diagnostics& diag) {
  std::set<std::string> taken;
  for (Invocation& inv : invs) {
    if (!inv.explicit_name) continue;
    if (!taken.insert(*inv.explicit_name).second) {
      diag.error(inv.name_at,
                 fmt::format("workflow {} has two jobs named {}", workflow, *inv.explicit_name));
    }
  }
  // The first unnamed invocation keeps the job's name; later ones count from -1.
  std::map<std::string, int> seen;
  std::map<std::string, int> suffix;
  for (Invocation& inv : invs) {
    if (inv.explicit_name) continue;
    std::string name = inv.key;
    if (seen[inv.key]++ > 0 || taken.count(name)) {
      do {
        name = fmt::format("{}-{}", inv.key, ++suffix[inv.key]);
      } while (taken.count(name));
    }
    taken.insert(name);
    inv.wj.name = name;
  }
  (void)at;
}

// Checks requires and orders the jobs so that requirements come first; false on errors.
bool check_graph(std::vector<Invocation>& invs, const At& at, const std::string& workflow,
                 Diagnostics& diag, std::vector<size_t>& order) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < invs.size(); ++i) index.emplace(invs[i].wj.name, i);
  bool ok = true;
  std::vector<std::vector<size_t>> downstream(invs.size());
  std::vector<size_t> pending(invs.size(), 0);
  for (size_t i = 0; i < invs.size(); ++i) {
    std::set<std::string> seen;
    for (size_t r = 0; r < invs[i].wj.requirements.size(); ++r) {
      const std::string& name = invs[i].wj.requirements[r].job;
      auto it = index.find(name);
      if (it == index.end()) {
        diag.error(invs[i].requires_at[r],
                   fmt::format("{} requires {}, which is not a job of workflow {}", invs[i].wj.name,
                               name, workflow));
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
  diag.error(at, fmt::format("workflow {} has a cycle in requires: {}", workflow, cycle));
  return false;
}

std::optional<CompiledWorkflow> compile_workflow(const std::string& name, const At& at,
                                                 const WorkflowsInput& in, Diagnostics& diag,
                                                 std::set<std::string>& invoked) {
  Scope scope{in.pipeline, nullptr};
  auto es = entries(at, diag, fmt::format("workflow {}", name));
  if (!at.node.IsMap()) return std::nullopt;
  reject_unknown_keys(es, {"jobs", "when", "unless", "triggers", "max_auto_reruns"}, diag,
                      "a workflow");
  bool run = true;
  if (const Entry* e = find(es, "when"))
    run = evaluate_condition(e->value, scope, diag).value_or(false) && run;
  if (const Entry* e = find(es, "unless"))
    run = !evaluate_condition(e->value, scope, diag).value_or(true) && run;
  if (const Entry* e = find(es, "max_auto_reruns"))
    diag.error(e->key, "max_auto_reruns is not supported yet");
  // triggers (legacy scheduled workflows) are read by the scheduler, not compiled here.

  const Entry* jobs = find(es, "jobs");
  if (jobs == nullptr) {
    diag.error(at, fmt::format("workflow {} needs jobs", name));
    return std::nullopt;
  }
  std::vector<Invocation> invs;
  size_t before = diag.count();
  for (const At& item : items(jobs->value, diag, "jobs")) {
    if (auto inv = parse_invocation(item, in, diag, invoked)) invs.push_back(std::move(*inv));
  }
  if (jobs->value.node.IsSequence() && invs.empty() && diag.count() == before) {
    diag.error(jobs->value, fmt::format("workflow {} needs at least one job", name));
  }
  assign_names(invs, jobs->value, name, diag);
  std::vector<size_t> order;
  if (!check_graph(invs, jobs->value, name, diag, order)) return std::nullopt;
  if (!run) return std::nullopt;

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
  if (at == nullptr) {
    // CircleCI 2.0 behaviour: without workflows, a job named build runs on its own.
    auto build = in.jobs->find("build");
    if (build == in.jobs->end()) return out;
    invoked.insert("build");
    CompiledWorkflow wf;
    wf.workflow.name = kImplicitWorkflow;
    WorkflowJob wj;
    wj.name = "build";
    wj.job = compile_job(build->second, {}, build->second.at, *in.executors, *in.pipeline, diag);
    wf.workflow.jobs.push_back(std::move(wj));
    wf.filters.push_back(std::nullopt);
    out.push_back(std::move(wf));
    return out;
  }
  if (at->node.IsNull()) return out;
  for (const Entry& e : entries(*at, diag, "workflows")) {
    // `version: 2` inside workflows is a 2.0 leftover.
    if (e.name == "version") continue;
    if (e.name.empty()) {
      diag.error(e.key, "workflow names cannot be empty");
      continue;
    }
    if (auto wf = compile_workflow(e.name, e.value, in, diag, invoked))
      out.push_back(std::move(*wf));
  }
  return out;
}

}  // namespace halo::config
