// Runs one job's steps as real processes on this host and reports what happens.
// (The rules of steps are in step_runner.h, the host backend in host_executor.h.)
// The executor is shared by the embedded runner pool, remote runners and local execution:
// it knows nothing about the store or HTTP, only a JobPayload in and JobReporter calls out.
#pragma once
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "config/plan.h"
#include "protocol/job_channel.h"
#include "protocol/job_payload.h"

namespace halo::runner {

using protocol::JobOutcome;
using protocol::StepResult;
using protocol::StepStatus;
using protocol::to_string;

// The protocol's payload plus where this runner places the job on its host.
struct JobPayload : protocol::JobPayload {
  // A fresh directory owned by this job. The executor creates HOME=<work_dir>/home in it,
  // so "~/project" resolves inside it, and removes nothing (the caller cleans up).
  std::filesystem::path work_dir;
  // Paths the job's processes must not see (the server's data dir); masked when a sandbox
  // (bubblewrap) is available.
  std::vector<std::filesystem::path> hidden_paths;
  // The halo binary, linked into the job's PATH as `circleci` and `circleci-agent`; empty:
  // no such commands.
  std::filesystem::path tools_binary;
};

// Receives the job's progress. Calls come from the executor's thread, in order:
// step_started(i), output(i, ...)*, step_finished(i) for each step i (0-based index
// into job.steps; skipped steps get started+finished with StepStatus::Skipped).
// A background step's calls interleave with those of the steps after it: its
// step_finished(i) comes when it exits, or when the job's other steps are over and it is
// stopped (then reported Success, or Canceled if the job was canceled).
class JobReporter {
 public:
  virtual ~JobReporter() = default;
  virtual void step_started(int index, const config::Step& step, int64_t at_ms) = 0;
  // A chunk of combined stdout/stderr, as read from the pipe (not split on lines).
  virtual void output(int index, std::string_view data, int64_t at_ms) = 0;
  virtual void step_finished(int index, const StepResult& result) = 0;
};

struct CancelState;

// The server side of a job's files (caches, workspaces, artifacts, test results), under
// the job's lease. Without a channel those steps fail saying so.
struct ServerLink {
  protocol::JobChannel* channel = nullptr;
  protocol::Lease lease;
  int node = 0;  // which of the job's parallel runs this is
};

// A job on this host: the StepRunner over a HostExecutor, with secrets masked in the output.
class JobExecutor {
 public:
  JobExecutor(JobPayload payload, JobReporter& reporter, ServerLink server = {});
  ~JobExecutor();
  // Runs every step; returns when the job is over. Not re-entrant.
  JobOutcome run();
  // Thread-safe: kills the running step's whole process group and skips the rest;
  // run() then returns Canceled.
  void cancel();

 private:
  JobPayload payload_;
  JobReporter& reporter_;
  ServerLink server_;
  std::unique_ptr<CancelState> cancel_;
};

}  // namespace halo::runner
