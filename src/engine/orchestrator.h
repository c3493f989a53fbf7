// The orchestrator turns triggers into pipelines and moves workflows along: it compiles
// the config at the triggered commit, writes the pipeline with its workflows and jobs in
// one transaction, queues runnable jobs, advances the DAG when a job ends, cancels, applies
// the changes of workflow operations (approvals, reruns: engine/approvals.h, engine/reruns.h),
// and after a crash puts everything back into a consistent state.
#pragma once
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "common/clock.h"
#include "common/json.h"
#include "engine/job_queue.h"
#include "store/store.h"

namespace halo::engine {

struct TriggerRequest {
  std::string branch;  // at most one of branch/tag; neither means the default branch
  std::string tag;
  // Where to read the config from, when not the checked-out ref (pipeline/run's `config`).
  std::string config_branch;
  std::string config_tag;
  json parameters = json::object();
  std::string trigger_type = "api";
};

// Sees every workflow change inside its transaction, with the state before and after, and
// may append events to after.outbox (they commit or roll back with the change). Used by the
// webhook module; must not write to the store itself.
using ChangeObserver =
    std::function<void(const store::WorkflowState& before, store::WorkflowState& after)>;
// Sees a pipeline (and its jobs) just before its one write, and may add events to `outbox`.
using CreationObserver =
    std::function<void(const store::Pipeline& p, const std::vector<store::Job>& jobs,
                       std::vector<store::OutboxEvent>& outbox)>;

class Orchestrator {
 public:
  Orchestrator(store::Store& store, JobQueue& queue, std::filesystem::path data_dir,
               const Clock& clock = SystemClock::instance());

  // Where registry orbs (`ns/name@version`) of configs are read from (see config::CompileInput).
  void set_orb_dir(std::filesystem::path dir) { orb_dir_ = std::move(dir); }
  const std::filesystem::path& orb_dir() const { return orb_dir_; }

  // Creates a pipeline (state "created", or "errored" with errors[] when the ref or the
  // config is bad). Never throws on user input.
  store::Pipeline trigger(const store::Project& project, const store::User& actor,
                          const TriggerRequest& req);

  // queued -> running for a runner, in the workflow's transaction (so observers see the job
  // start): the job gets a new lease held by `holder` until now + ttl_ms, and its
  // lease_count goes up. nullopt if the job is no longer queued (canceled, or another runner
  // has it); else the job as claimed.
  std::optional<store::Job> claim_job(const std::string& job_id, const std::string& holder,
                                      int64_t ttl_ms);

  // Records a job's final status (and why) and advances its workflow. With a lease id, only
  // while that lease is the job's current one. False when nothing was recorded: the job is
  // unknown, already final, or the lease is stale. A job whose cancel was requested ends
  // canceled, not infrastructure_fail, when its runner was stopped at the same time.
  bool finish_job(const std::string& job_id, const std::string& status,
                  const std::string& message = "", const std::string& lease_id = "");

  // A running job's lease ran out (its runner is presumed gone). The first time, the job is
  // queued again (its steps of the failed attempt are dropped when it is claimed next);
  // after that it ends as infrastructure_fail. Nothing happens if the lease is no longer
  // current.
  // With `expired_by`, only if the lease's expiry (read in the same transaction, so a renewal
  // that came in meanwhile wins) is at most that time. `after_commit` runs once the change is
  // committed and before the job is pushed to the queue again. `why` says what happened to
  // the attempt, for the job's message (default: its runner stopped answering).
  enum class Expiry { None, Requeued, Failed };
  Expiry expire_lease(const std::string& job_id, const std::string& lease_id,
                      std::optional<int64_t> expired_by = std::nullopt,
                      const std::function<void()>& after_commit = {},
                      const std::string& why = "its runner stopped answering");

  // Cancels every unfinished job of the workflow; running ones are asked to stop (their
  // runners learn it from their lease). False if the workflow is unknown.
  bool cancel_workflow(const std::string& workflow_id, const std::string& actor_id);
  // Cancels one job. False if the job is unknown.
  bool cancel_job(const std::string& job_id, const std::string& actor_id);

  // Applies `change` to a workflow and its jobs in one transaction, then the DAG rules, and
  // queues the jobs that became runnable (the seam for operations such as approvals).
  // `change` returns false to leave the workflow as it was. nullopt if the workflow is
  // unknown; else the state as written.
  std::optional<store::WorkflowState> change_workflow(
      const std::string& workflow_id, const std::function<bool(store::WorkflowState&)>& change);

  // Starts a new workflow of an existing pipeline (a rerun): applies the DAG rules to `st`,
  // whose jobs are blocked or, when carried over from an earlier run, final; writes it in one
  // transaction and queues its runnable jobs. The change observer sees the workflow go from
  // `st` as given to `st` advanced, so it reports what the first advance ended (webhooks).
  void start_workflow(store::WorkflowState st);

  // Cancels the project's unfinished work, then deletes it with its history and logs.
  void delete_project(const std::string& project_id, const std::string& actor_id);

  // Told (after commit) the id of each running job whose cancel was just requested, so
  // runners waiting on their lease hear it at once. Set before any pipeline runs.
  void set_cancel_listener(std::function<void(const std::string& job_id)> f) {
    cancel_listener_ = std::move(f);
  }

  // After a restart: queued jobs are queued again. Running jobs keep their leases; the
  // runner service expires those whose runner is gone.
  void recover();

  const std::filesystem::path& data_dir() const { return data_dir_; }
  const Clock& clock() const { return clock_; }

  // Set before any pipeline runs (not thread-safe against running changes).
  void set_change_observer(ChangeObserver observer) { observer_ = std::move(observer); }
  void set_creation_observer(CreationObserver observer) {
    creation_observer_ = std::move(observer);
  }
  // Called after a write that added outbox events has committed (wakes the deliverer).
  void set_events_committed(std::function<void()> f) { events_committed_ = std::move(f); }

 private:
  // Whether a queued job of a serial group may start now: no job of its group is running in
  // the project, and none of an earlier pipeline is still queued.
  bool serial_group_allows(const store::Job& job);
  // After a job of a serial group ended: wakes the group's queued jobs.
  void wake_serial_group(const store::Job& job);
  // Applies DAG rules to a loaded workflow; queues what became runnable after commit.
  void advance(store::WorkflowState& st, int64_t now);
  void enqueue_runnable(const store::WorkflowState& st);
  // store_.update_workflow with the observer applied after `change`.
  std::optional<store::WorkflowState> update(
      const std::string& workflow_id, const std::function<void(store::WorkflowState&)>& change);

  store::Store& store_;
  JobQueue& queue_;
  std::filesystem::path data_dir_;
  std::filesystem::path orb_dir_;
  ChangeObserver observer_;
  CreationObserver creation_observer_;
  std::function<void()> events_committed_;

  std::function<void(const std::string&)> cancel_listener_;
  const Clock& clock_;
  // Held while a job of a serial group is checked and claimed, so two runners of this
  // server cannot start two jobs of one group at once.
  std::mutex serial_mu_;
};

}  // namespace halo::engine
