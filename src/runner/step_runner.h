// The step sequencer: runs a job's steps in order on an Executor and reports what happens.
// It owns the rules of steps, whatever the backend: `when` (on_success, on_fail, always),
// background steps (stopped when the other steps are over), no_output_timeout, BASH_ENV,
// skipping the rest after a cancel, and how each step's outcome makes the job's.
#pragma once
#include <atomic>
#include <mutex>

#include "protocol/job_channel.h"
#include "protocol/job_payload.h"
#include "runner/executor.h"
#include "runner/job_executor.h"

namespace halo::runner {

// Shared by a running StepRunner and whoever cancels it from another thread.
struct CancelState {
  std::atomic<bool> requested{false};
  // Guards `foreground`: held while a cancel signals it and while the runner clears it before
  // reaping, so a late cancel never signals a reaped step.
  std::mutex mu;
  StepProcess* foreground = nullptr;
  // Thread-safe: sets `requested` and sends SIGTERM to the foreground step, if any.
  void cancel();
};

class StepRunner {
 public:
  StepRunner(const protocol::JobPayload& payload, Executor& executor, JobReporter& reporter,
             CancelState& cancel, ServerLink server = {});
  // Runs every step; returns when the job is over. Throws only what the reporter throws.
  JobOutcome run();

 private:
  const protocol::JobPayload& payload_;
  Executor& executor_;
  JobReporter& reporter_;
  CancelState& cancel_;
  ServerLink server_;
};

}  // namespace halo::runner
