#include "model/workflow_graph.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "model/status.h"

namespace halo::model {

namespace {

enum class Readiness { Waiting, Ready, Impossible };

Readiness readiness(const GraphJob& job, const std::unordered_map<std::string, size_t>& by_name,
                    const std::vector<GraphJob>& jobs) {
  bool waiting = false;
  for (const auto& req : job.requirements) {
    auto it = by_name.find(req.job);
    if (it == by_name.end()) continue;  // filtered out at compile time: ignored
    const std::string& st = jobs[it->second].status;
    if (!job_is_terminal(st)) {
      waiting = true;
      continue;
    }
    std::string folded = requirement_status(st);
    if (std::find(req.statuses.begin(), req.statuses.end(), folded) == req.statuses.end())
      return Readiness::Impossible;
  }
  return waiting ? Readiness::Waiting : Readiness::Ready;
}

}  // namespace

GraphUpdate advance(std::vector<GraphJob>& jobs, bool canceled) {
  GraphUpdate update;
  std::unordered_map<std::string, size_t> by_name;
  for (size_t i = 0; i < jobs.size(); ++i) by_name[jobs[i].name] = i;

  bool changed = true;
  while (changed) {
    changed = false;
    for (size_t i = 0; i < jobs.size(); ++i) {
      if (jobs[i].status != job_status::kBlocked) continue;
      if (canceled) continue;  // the canceller marks these canceled itself
      switch (readiness(jobs[i], by_name, jobs)) {
        case Readiness::Waiting:
          break;
        case Readiness::Ready:
          jobs[i].status = job_status::kQueued;
          update.queued.push_back(i);
          changed = true;
          break;
        case Readiness::Impossible:
          jobs[i].status = job_status::kNotRun;
          update.not_run.push_back(i);
          changed = true;
          break;
      }
    }
  }
  update.workflow_status = derive_workflow_status(jobs, canceled);
  return update;
}

std::string derive_workflow_status(const std::vector<GraphJob>& jobs, bool canceled) {
  bool any_active = false, any_blocked = false, any_failure = false, any_on_hold = false,
       any_canceled = false, any_unauthorized = false, any_ran = false;
  for (const auto& j : jobs) {
    if (!job_is_terminal(j.status)) {
      if (j.status == job_status::kOnHold)
        any_on_hold = true;
      else if (j.status == job_status::kBlocked)
        any_blocked = true;
      else
        any_active = true;
      continue;
    }
    if (job_is_failure(j.status)) any_failure = true;
    if (j.status == job_status::kCanceled) any_canceled = true;
    if (j.status == job_status::kUnauthorized) any_unauthorized = true;
    if (j.status != job_status::kNotRun) any_ran = true;
  }
  if (canceled) return workflow_status::kCanceled;
  // Jobs blocked while nothing runs wait for an approval: the workflow is on hold.
  any_active |= any_blocked && !any_on_hold;
  if (any_active) return any_failure ? workflow_status::kFailing : workflow_status::kRunning;
  if (any_on_hold) return any_failure ? workflow_status::kFailing : workflow_status::kOnHold;
  if (any_unauthorized) return workflow_status::kUnauthorized;
  if (any_failure) return workflow_status::kFailed;
  if (any_canceled) return workflow_status::kCanceled;
  if (!any_ran && !jobs.empty()) return workflow_status::kNotRun;
  return workflow_status::kSuccess;
}

std::vector<size_t> upstream_in_order(const std::vector<GraphJob>& jobs, size_t index) {
  std::map<std::string, size_t> by_name;
  for (size_t i = 0; i < jobs.size(); ++i) by_name[jobs[i].name] = i;
  // The ancestors, found by walking requirements.
  std::vector<bool> wanted(jobs.size(), false);
  std::vector<size_t> stack{index};
  while (!stack.empty()) {
    size_t j = stack.back();
    stack.pop_back();
    for (const auto& r : jobs[j].requirements) {
      auto it = by_name.find(r.job);
      if (it == by_name.end() || wanted[it->second] || it->second == index) continue;
      wanted[it->second] = true;
      stack.push_back(it->second);
    }
  }
  // Then emitted once everything they require is: a topological order, stable by position.
  std::vector<size_t> out;
  std::vector<bool> emitted(jobs.size(), false);
  bool progress = true;
  while (progress) {
    progress = false;
    for (size_t i = 0; i < jobs.size(); ++i) {
      if (!wanted[i] || emitted[i]) continue;
      bool ready = true;
      for (const auto& r : jobs[i].requirements) {
        auto it = by_name.find(r.job);
        if (it != by_name.end() && wanted[it->second] && !emitted[it->second]) ready = false;
      }
      if (!ready) continue;
      emitted[i] = true;
      out.push_back(i);
      progress = true;
    }
  }
  return out;  // a cycle (the compiler refuses them) would leave its jobs out
}

}  // namespace halo::model
