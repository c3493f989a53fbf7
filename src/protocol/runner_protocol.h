// The runner protocol: how work reaches any runner (the embedded pool in `halo serve`, a
// remote `halo runner` agent, `halo local execute`) and how results come back. A runner
//   1. claims the next job: it gets a lease (an id and an expiry) and a self-contained payload;
//   2. extends the lease while the job runs, and learns that way that the job was canceled;
//   3. reports step starts, output and step ends under the lease;
//   4. says the job is done, with its outcome.
// Every call after the claim names the lease. A lease stops being current when the job
// ends, or when it expires (the server then re-queues the job once, and fails it with
// infrastructure_fail the second time): calls under a stale lease are refused, so a runner
// that was presumed dead cannot overwrite what a later attempt reported.
// The server side implements this interface in process (engine::RunnerService); a remote
// transport will implement it over HTTP with the same meaning.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/job_payload.h"

namespace halo::protocol {

// Who claims: a stable id (leases name their holder, so a restarted runner's old leases can
// be expired at once instead of waiting for them to run out).
struct RunnerInfo {
  std::string id;
};

struct Lease {
  std::string job_id;
  std::string id;          // unique per claim
  int64_t expires_at = 0;  // epoch ms; extend() moves it
};

struct Claim {
  Lease lease;
  JobPayload payload;
};

enum class LeaseState {
  Ok,        // extended; keep running
  Canceled,  // extended, but the job was canceled: stop it and report done(Canceled)
  Stale,     // not current (expired, or the job already ended): stop, report nothing more
};

const char* to_string(LeaseState s);

class RunnerProtocol {
 public:
  virtual ~RunnerProtocol() = default;

  // Waits up to `wait` for a runnable job and claims it. nullopt when none came in time or
  // the server is shutting down (see closed()).
  virtual std::optional<Claim> claim_next(const RunnerInfo& runner,
                                          std::chrono::milliseconds wait) = 0;
  // True once the server will hand out no more work.
  virtual bool closed() = 0;

  // Moves the lease's expiry forward, then waits up to `wait` for the job to be canceled (a
  // long poll: a cancel answers at once). Runners call it in a loop while the job runs.
  virtual LeaseState extend(const Lease& lease, std::chrono::milliseconds wait) = 0;

  // Progress of step `index` on node `node` (a job with parallelism N runs nodes 0..N-1,
  // each through every step); each returns false when the lease is stale (the report is
  // dropped).
  virtual bool step_started(const Lease& lease, int node, int index, const std::string& name,
                            int64_t at_ms) = 0;
  virtual bool step_output(const Lease& lease, int node, int index, std::string_view data,
                           int64_t at_ms) = 0;
  virtual bool step_finished(const Lease& lease, int node, int index, const StepResult& result) = 0;

  // The job is over. False (and nothing recorded) when the lease is stale. `message` says why
  // when the outcome alone does not.
  virtual bool done(const Lease& lease, JobOutcome outcome, const std::string& message = "") = 0;
};

}  // namespace halo::protocol
