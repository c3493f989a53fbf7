#include "model/rerun_selection.h"

#include <unordered_map>

#include "model/status.h"

namespace halo::model {

namespace {

// Every job reachable from `from` along `edges` (index -> neighbour indexes), `from` included.
std::set<size_t> closure(const std::set<size_t>& from,
                         const std::vector<std::vector<size_t>>& edges) {
  std::set<size_t> seen = from;
  std::vector<size_t> todo(from.begin(), from.end());
  while (!todo.empty()) {
    size_t i = todo.back();
    todo.pop_back();
    for (size_t next : edges[i])
      if (seen.insert(next).second) todo.push_back(next);
  }
  return seen;
}

}  // namespace

std::vector<size_t> jobs_to_rerun(const std::vector<GraphJob>& jobs, RerunMode mode,
                                  const std::set<std::string>& chosen) {
  std::vector<size_t> out;
  if (mode == RerunMode::All || mode == RerunMode::FromFailed) {
    for (size_t i = 0; i < jobs.size(); ++i)
      if (mode == RerunMode::All || jobs[i].status != job_status::kSuccess) out.push_back(i);
    return out;
  }

  std::unordered_map<std::string, size_t> by_name;
  for (size_t i = 0; i < jobs.size(); ++i) by_name[jobs[i].name] = i;
  std::vector<std::vector<size_t>> upstream(jobs.size()), downstream(jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    for (const auto& r : jobs[i].requirements) {
      auto it = by_name.find(r.job);
      if (it == by_name.end()) continue;  // filtered out at compile time
      upstream[i].push_back(it->second);
      downstream[it->second].push_back(i);
    }
  }
  std::set<size_t> start;
  for (const auto& name : chosen)
    if (auto it = by_name.find(name); it != by_name.end()) start.insert(it->second);

  std::set<size_t> rerun = closure(start, downstream);
  if (mode == RerunMode::Jobs) {
    // Everything runs again except what the chosen jobs need (their upstream).
    std::set<size_t> needed = closure(start, upstream);
    for (size_t i = 0; i < jobs.size(); ++i)
      if (!needed.count(i)) rerun.insert(i);
  }
  return {rerun.begin(), rerun.end()};
}

}  // namespace halo::model
