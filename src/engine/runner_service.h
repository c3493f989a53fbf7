// The server's side of the runner protocol, in process: hands queued jobs to runners under
// leases with self-contained payloads (secrets decrypted here and nowhere else), records
// their step reports (step rows in the store, output in the log files) while the lease is
// current, and expires the leases of runners that stopped answering. The embedded runner
// pool of `halo serve` talks to it directly; remote runners will reach it over HTTP.
#pragma once
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>

#include "common/clock.h"
#include "engine/job_files.h"
#include "engine/job_queue.h"
#include "engine/orchestrator.h"
#include "protocol/runner_protocol.h"
#include "store/log_store.h"
#include "store/store.h"

namespace halo::engine {

struct RunnerServiceOptions {
  std::string base_url;    // for the built-in environment (CIRCLE_BUILD_URL)
  std::string master_key;  // opens the secrets put in payloads
  int64_t lease_ttl_ms = 60'000;
};

class RunnerService final : public protocol::RunnerProtocol {
 public:
  RunnerService(store::Store& store, store::LogStore& logs, JobQueue& queue,
                Orchestrator& orchestrator, RunnerServiceOptions options,
                const Clock& clock = SystemClock::instance());
  ~RunnerService() override;

  std::optional<protocol::Claim> claim_next(const protocol::RunnerInfo& runner,
                                            std::chrono::milliseconds wait) override;
  bool closed() override;
  protocol::LeaseState extend(const protocol::Lease& lease,
                              std::chrono::milliseconds wait) override;
  bool step_started(const protocol::Lease& lease, int node, int index, const std::string& name,
                    int64_t at_ms) override;
  bool step_output(const protocol::Lease& lease, int node, int index, std::string_view data,
                   int64_t at_ms) override;
  bool step_finished(const protocol::Lease& lease, int node, int index,
                     const protocol::StepResult& result) override;
  bool done(const protocol::Lease& lease, protocol::JobOutcome outcome,
            const std::string& message) override;

  // Running jobs whose lease has run out: queued again once, then infrastructure_fail (see
  // Orchestrator::expire_lease). Jobs left running without a lease (by a version of halo
  // before leases) end as infrastructure_fail. Returns how many jobs it touched.
  int expire_leases();
  // Expires at once every lease held by `holder`, whatever its expiry: used at start-up for
  // this server's own embedded runner, whose previous incarnation is certainly gone.
  int expire_leases_of(const std::string& holder);

  // The job of a current lease (for the job channel); nullopt when the lease is stale.
  std::optional<LeasedJob> leased_job(const protocol::Lease& lease);

  // The orchestrator's cancel listener: wakes the runner waiting on that job's lease.
  void on_cancel(const std::string& job_id);

  // A thread that expires leases as they run out; stop() ends it. Runners waiting in
  // extend() are released when their jobs end (the pool stops its jobs first).
  void start_reaper();
  void stop();

 private:
  // The step reports of one current lease.
  struct Active {
    std::string job_id;
    LeasedJob leased;
    int nodes = 1;  // the job's parallelism
    std::mutex mu;
    // By (node, step index).
    std::map<std::pair<int, int>, store::Step> steps;
    std::map<std::pair<int, int>, std::unique_ptr<store::LogWriter>> writers;
  };
  std::shared_ptr<Active> find(const protocol::Lease& lease);
  void forget(const std::string& lease_id);
  // Builds the payload of a claimed job; nullopt when the job was ended instead (its secrets
  // were denied, or it cannot be dispatched).
  std::optional<protocol::JobPayload> payload_of(const store::Job& job);
  std::vector<protocol::WorkspaceLayerRef> workspace_layers_for(const store::Job& job);
  int expire(const std::vector<store::Job>& jobs, bool only_past_expiry);

  store::Store& store_;
  store::LogStore& logs_;
  JobQueue& queue_;
  Orchestrator& orchestrator_;
  RunnerServiceOptions options_;
  const Clock& clock_;

  std::mutex mu_;
  std::condition_variable cv_;  // lease ended, cancel requested, or stopping
  std::unordered_map<std::string, std::shared_ptr<Active>> active_;  // by lease id
  std::set<std::string> canceled_jobs_;
  bool stopping_ = false;
  std::thread reaper_;
};

}  // namespace halo::engine
