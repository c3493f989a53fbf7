// The runner pool inside `halo serve`: N threads that take queued jobs, claim them in the
// store, run them with the shared JobExecutor and report steps, logs and outcomes back.
#pragma once
#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "engine/job_queue.h"
#include "engine/orchestrator.h"
#include "store/log_store.h"
#include "store/store.h"

namespace halo::engine {

class EmbeddedRunner {
 public:
  EmbeddedRunner(store::Store& store, store::LogStore& logs, JobQueue& queue,
                 Orchestrator& orchestrator, std::string base_url, std::string master_key);
  ~EmbeddedRunner();

  void start(int threads);
  // Kills running jobs (recorded as infrastructure_fail: the server stopped under them),
  // and joins the threads. The queue must be closed by the caller first.
  void stop();

 private:
  void loop();
  void run_job(const std::string& job_id);

  store::Store& store_;
  store::LogStore& logs_;
  JobQueue& queue_;
  Orchestrator& orchestrator_;
  std::string base_url_;
  std::string master_key_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
};

}  // namespace halo::engine
