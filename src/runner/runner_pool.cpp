#include "runner/runner_pool.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <memory>

#include "runner/job_executor.h"
#include "runner/leftovers.h"

namespace halo::runner {

namespace {

// Forwards the executor's reports to the server under the job's lease. A report the server
// fails to take (its store is down) is logged and dropped: the job goes on, and its result
// still counts; the server closes steps left open when the job is done.
class LeaseReporter final : public JobReporter {
 public:
  LeaseReporter(protocol::RunnerProtocol& server, const protocol::Lease& lease, int node)
      : server_(server), lease_(lease), node_(node) {}

  void step_started(int index, const config::Step& step, int64_t at_ms) override {
    guard([&] { server_.step_started(lease_, node_, index, step.name, at_ms); });
  }
  void output(int index, std::string_view data, int64_t at_ms) override {
    guard([&] { server_.step_output(lease_, node_, index, data, at_ms); });
  }
  void step_finished(int index, const StepResult& r) override {
    guard([&] { server_.step_finished(lease_, node_, index, r); });
  }

 private:
  template <typename F>
  void guard(F&& report) {
    try {
      report();
    } catch (const std::exception& e) {
      if (!failed_++) spdlog::error("runner: job {}: a report failed: {}", lease_.job_id, e.what());
    }
  }

  protocol::RunnerProtocol& server_;
  const protocol::Lease& lease_;
  int node_;
  int failed_ = 0;
};

// The job's outcome from its nodes': it fails if any node fails.
JobOutcome combine(const std::vector<JobOutcome>& outcomes) {
  auto any = [&](JobOutcome o) {
    return std::find(outcomes.begin(), outcomes.end(), o) != outcomes.end();
  };
  for (JobOutcome o : {JobOutcome::Canceled, JobOutcome::InfrastructureFail, JobOutcome::Failed,
                       JobOutcome::TimedOut}) {
    if (any(o)) return o;
  }
  return JobOutcome::Success;
}

// done(), said again while the server cannot record it (its store is down): the lease stays
// current on the server until then. Gives up after about half a minute; the lease then runs
// out and the server queues the job again.
void report_done(protocol::RunnerProtocol& server, const protocol::Lease& lease, JobOutcome outcome,
                 const std::string& message) {
  auto delay = std::chrono::milliseconds(500);
  for (int attempt = 1;; ++attempt) {
    try {
      if (!server.done(lease, outcome, message))
        spdlog::warn("runner: job {}: the server refused the result (lease no longer current)",
                     lease.job_id);
      return;
    } catch (const std::exception& e) {
      spdlog::error("runner: job {}: reporting the result failed ({}): {}", lease.job_id, attempt,
                    e.what());
      if (attempt == 6) return;
    }
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
}

}  // namespace

RunnerPool::RunnerPool(protocol::RunnerProtocol& server, protocol::JobChannel& files,
                       RunnerPoolOptions options)
    : server_(server), files_(files), options_(std::move(options)) {}

RunnerPool::~RunnerPool() {
  stop();
}

void RunnerPool::start(int threads) {
  // The work root is this pool's alone: whatever is there was left by a pool that died, and
  // so are processes still running in it (their jobs are run again).
  kill_leftover_job_processes(options_.work_root);
  std::error_code ec;
  std::filesystem::remove_all(options_.work_root, ec);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { loop(); });
}

void RunnerPool::stop() {
  stopping_ = true;
  {
    std::lock_guard lock(running_mu_);
    for (auto* e : running_) e->cancel();
  }
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void RunnerPool::loop() {
  protocol::RunnerInfo me{options_.runner_id};
  while (!stopping_ && !server_.closed()) {
    std::optional<protocol::Claim> claim;
    try {
      claim = server_.claim_next(me, std::chrono::seconds(5));
    } catch (const std::exception& e) {
      spdlog::error("runner {}: claim failed: {}", me.id, e.what());
      std::this_thread::sleep_for(std::chrono::seconds(1));  // a broken store: don't spin
      continue;
    }
    if (!claim) continue;
    const std::string job_id = claim->lease.job_id;
    try {
      run(std::move(*claim));
    } catch (const std::exception& e) {
      spdlog::error("runner {}: job {}: {}", me.id, job_id, e.what());
    }
  }
}

void RunnerPool::run(protocol::Claim claim) {
  const protocol::Lease lease = claim.lease;
  JobPayload base;
  static_cast<protocol::JobPayload&>(base) = std::move(claim.payload);
  base.hidden_paths = options_.hidden_paths;
  base.tools_binary = options_.tools_binary;
  // One directory per attempt: an attempt presumed dead (still stopping) and the next one
  // of the same job never share files. A parallel job's nodes each get one inside it.
  const std::filesystem::path attempt_dir = options_.work_root / lease.id;
  const int nodes = std::max(1, base.job.parallelism);

  std::vector<std::unique_ptr<LeaseReporter>> reporters;
  std::vector<std::unique_ptr<JobExecutor>> executors;
  for (int node = 0; node < nodes; ++node) {
    JobPayload p = base;
    p.work_dir = nodes == 1 ? attempt_dir : attempt_dir / ("node-" + std::to_string(node));
    p.environment["CIRCLE_NODE_INDEX"] = std::to_string(node);
    p.environment["CIRCLE_NODE_TOTAL"] = std::to_string(nodes);
    reporters.push_back(std::make_unique<LeaseReporter>(server_, lease, node));
    executors.push_back(std::make_unique<JobExecutor>(std::move(p), *reporters.back(),
                                                      ServerLink{&files_, lease, node}));
  }
  auto cancel_all = [&] {
    for (auto& e : executors) e->cancel();
  };
  {
    std::lock_guard lock(running_mu_);
    for (auto& e : executors) running_.insert(e.get());
  }
  if (stopping_) cancel_all();  // stop() may have run between the claim and the insert

  // The heartbeat keeps the lease and is where a cancel arrives; it ends when the lease goes
  // stale, which done() below makes it.
  std::atomic<bool> canceled_by_server{false};
  std::mutex mu;
  std::condition_variable finished_cv;
  bool finished = false;
  // A jthread: if anything below throws, it is still joined before what it uses goes away.
  std::jthread heartbeat([&] {
    bool canceled = false;
    while (true) {
      if (canceled) {
        // A canceled job's lease is still extended while its processes stop, but a canceled
        // extend answers at once: pace the calls instead of spinning.
        std::unique_lock lock(mu);
        finished_cv.wait_for(lock, options_.heartbeat / 2, [&] { return finished; });
      }
      {
        std::lock_guard lock(mu);
        if (finished) return;
      }
      protocol::LeaseState s;
      try {
        s = server_.extend(lease, options_.heartbeat);
      } catch (const std::exception& e) {
        spdlog::warn("runner: job {}: extending the lease failed: {}", lease.job_id, e.what());
        std::unique_lock lock(mu);
        finished_cv.wait_for(lock, std::chrono::seconds(1), [&] { return finished; });
        continue;
      }
      if (s == protocol::LeaseState::Ok) continue;
      if (s == protocol::LeaseState::Canceled && !canceled) {
        canceled = true;
        canceled_by_server = true;
        cancel_all();
      }
      if (s == protocol::LeaseState::Stale) {
        cancel_all();
        return;
      }
    }
  });

  // Whatever happens below, the heartbeat is told to stop before the jthread joins it.
  struct FinishOnExit {
    std::mutex& mu;
    std::condition_variable& cv;
    bool& finished;
    ~FinishOnExit() {
      {
        std::lock_guard lock(mu);
        finished = true;
      }
      cv.notify_all();
    }
  } finish_on_exit{mu, finished_cv, finished};

  // Node 0 runs on this thread, the others each on one of their own, all at once.
  std::vector<JobOutcome> outcomes(static_cast<size_t>(nodes), JobOutcome::InfrastructureFail);
  {
    std::vector<std::jthread> others;
    for (int node = 1; node < nodes; ++node) {
      others.emplace_back([&, node] {
        outcomes[static_cast<size_t>(node)] = executors[static_cast<size_t>(node)]->run();
      });
    }
    outcomes[0] = executors[0]->run();
  }
  JobOutcome outcome = combine(outcomes);
  {
    std::lock_guard lock(running_mu_);
    for (auto& e : executors) running_.erase(e.get());
  }
  std::error_code ec;
  std::filesystem::remove_all(attempt_dir, ec);

  std::string message;
  if (outcome == JobOutcome::Canceled && !canceled_by_server && stopping_) {
    outcome = JobOutcome::InfrastructureFail;
    message = "halo serve was stopped while this job was running";
  }
  {
    std::lock_guard lock(mu);
    finished = true;
  }
  finished_cv.notify_all();
  report_done(server_, lease, outcome, message);
}

}  // namespace halo::runner
