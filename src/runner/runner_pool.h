// A pool of runner threads that take work through the runner protocol and run it with the
// JobExecutor: claim a job, keep its lease alive (which is also how a cancel arrives), report
// steps and output under the lease, say done. The embedded runner of `halo serve` is this
// pool over the in-process protocol; a remote agent is the same pool over HTTP.
#pragma once
#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "protocol/job_channel.h"
#include "protocol/runner_protocol.h"

namespace halo::runner {

class JobExecutor;

struct RunnerPoolOptions {
  std::string runner_id;  // the lease holder's name, stable across restarts
  // Each attempt of a job runs in <work_root>/<lease id>, removed after. The pool owns the
  // root: start() clears what a previous pool left there.
  std::filesystem::path work_root;
  std::vector<std::filesystem::path> hidden_paths;  // what job processes must not see
  std::chrono::milliseconds heartbeat{10'000};      // how long one extend() may wait
  std::filesystem::path tools_binary;  // the halo binary: `circleci` in jobs (see JobPayload)
};

class RunnerPool {
 public:
  // `files` carries the built-in steps' files (caches, workspaces, artifacts, test results).
  RunnerPool(protocol::RunnerProtocol& server, protocol::JobChannel& files,
             RunnerPoolOptions options);
  ~RunnerPool();

  void start(int threads);
  // Stops the running jobs (each reported done as infrastructure_fail: the runner stopped
  // under it) and joins the threads. Claims end when the server side closes.
  void stop();

 private:
  void loop();
  void run(protocol::Claim claim);

  protocol::RunnerProtocol& server_;
  protocol::JobChannel& files_;
  RunnerPoolOptions options_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::mutex running_mu_;
  std::set<JobExecutor*> running_;
};

}  // namespace halo::runner
