#include "engine/embedded_runner.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>
#include <optional>

#include "common/time.h"
#include "engine/job_environment.h"
#include "engine/job_secrets.h"
#include "model/status.h"
#include "runner/job_executor.h"

namespace halo::engine {

namespace {

// Persists what the executor reports: step rows in the store, output in the log files.
class StoreReporter final : public runner::JobReporter {
 public:
  StoreReporter(store::Store& store, store::LogStore& logs, std::string job_id)
      : store_(store), logs_(logs), job_id_(std::move(job_id)) {}

  void step_started(int index, const config::Step& step, int64_t at_ms) override {
    store::Step s;
    s.job_id = job_id_;
    s.index = index;
    s.name = step.name;
    s.status = "running";
    s.started_at = at_ms;
    store_.upsert_step(s);
    steps_[index] = s;
  }

  void output(int index, std::string_view data, int64_t at_ms) override {
    auto& w = writers_[index];
    if (!w) w = std::make_unique<store::LogWriter>(logs_, job_id_, index);
    w->append(at_ms, data);
  }

  void step_finished(int index, const runner::StepResult& r) override {
    store::Step s = steps_[index];
    s.job_id = job_id_;
    s.index = index;
    s.status = runner::to_string(r.status);
    s.has_exit_code = r.status != runner::StepStatus::Skipped && r.exit_code >= 0;
    s.exit_code = r.exit_code;
    if (s.started_at == 0) s.started_at = r.started_ms;
    s.ended_at = r.ended_ms;
    store_.upsert_step(s);
    writers_.erase(index);  // closes the file and wakes followers
    logs_.notify();
  }

 private:
  store::Store& store_;
  store::LogStore& logs_;
  std::string job_id_;
  std::map<int, store::Step> steps_;
  std::map<int, std::unique_ptr<store::LogWriter>> writers_;
};

class ExecutorHandle final : public Cancelable {
 public:
  explicit ExecutorHandle(runner::JobExecutor& e) : e_(e) {}
  void cancel() override { e_.cancel(); }

 private:
  runner::JobExecutor& e_;
};

std::string job_status_of(runner::JobOutcome o) {
  switch (o) {
    case runner::JobOutcome::Success: return model::job_status::kSuccess;
    case runner::JobOutcome::Failed: return model::job_status::kFailed;
    case runner::JobOutcome::Canceled: return model::job_status::kCanceled;
    case runner::JobOutcome::TimedOut: return model::job_status::kTimedout;
    case runner::JobOutcome::InfrastructureFail: return model::job_status::kInfrastructureFail;
  }
  return model::job_status::kFailed;
}

}  // namespace

EmbeddedRunner::EmbeddedRunner(store::Store& store, store::LogStore& logs, JobQueue& queue,
                               Orchestrator& orchestrator, std::string base_url,
                               std::string master_key)
    : store_(store),
      logs_(logs),
      queue_(queue),
      orchestrator_(orchestrator),
      base_url_(std::move(base_url)),
      master_key_(std::move(master_key)) {}

EmbeddedRunner::~EmbeddedRunner() { stop(); }

void EmbeddedRunner::start(int threads) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { loop(); });
}

void EmbeddedRunner::stop() {
  stopping_ = true;
  orchestrator_.cancel_all_running();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void EmbeddedRunner::loop() {
  while (auto id = queue_.pop()) {
    if (stopping_) break;
    try {
      if (!orchestrator_.claim_job(*id)) continue;  // canceled, or another runner has it
      run_job(*id);
    } catch (const std::exception& e) {
      spdlog::error("runner: job {}: {}", *id, e.what());
      orchestrator_.finish_job(*id, model::job_status::kInfrastructureFail,
                               std::string("the runner failed: ") + e.what());
    }
  }
}

void EmbeddedRunner::run_job(const std::string& job_id) {
  auto job = store_.job_by_id(job_id);
  if (!job) return;
  auto pipeline = store_.pipeline_by_id(job->pipeline_id);
  auto project = store_.project_by_id(job->project_id);
  if (!pipeline || !project) throw std::runtime_error("job without pipeline or project");
  auto actor = store_.user_by_id(pipeline->actor_id);

  JobSecrets secrets = resolve_job_secrets(store_, master_key_, *project, *pipeline, *job);
  if (!secrets.denied_status.empty()) {
    orchestrator_.finish_job(job_id, secrets.denied_status, secrets.message);
    return;
  }

  const auto& data_dir = orchestrator_.data_dir();
  runner::JobPayload payload;
  payload.job_id = job_id;
  payload.job = config::job_from_json(job->spec);
  // Precedence: project < context < built-in; job and step environment apply on top in the
  // executor.
  payload.environment = std::move(secrets.environment);
  for (auto& [k, v] : builtin_environment(*project, *pipeline, *job, actor ? actor->login : "", base_url_))
    payload.environment[k] = v;
  payload.secrets = std::move(secrets.values);
  payload.ssh_private_key = std::move(secrets.ssh_private_key);
  payload.checkout_url = project->vcs_url.rfind("file://", 0) == 0 ? project->vcs_url.substr(7)
                                                                  : project->vcs_url;
  payload.checkout_sha = pipeline->revision;
  payload.checkout_ref = pipeline->tag.empty() ? pipeline->branch : "";
  payload.work_dir = data_dir / "work" / job_id;
  payload.hidden_paths = {data_dir};

  StoreReporter reporter(store_, logs_, job_id);
  runner::JobExecutor executor(payload, reporter);
  ExecutorHandle handle(executor);
  orchestrator_.register_running(job_id, &handle);
  if (stopping_) handle.cancel();  // stop() may have run between claim and registration
  runner::JobOutcome outcome = executor.run();
  orchestrator_.unregister_running(job_id);

  std::error_code ec;
  std::filesystem::remove_all(payload.work_dir, ec);

  if (stopping_ && outcome == runner::JobOutcome::Canceled &&
      store_.job_by_id(job_id)->canceled_by.empty()) {
    orchestrator_.finish_job(job_id, model::job_status::kInfrastructureFail,
                             "halo serve was stopped while this job was running");
    return;
  }
  orchestrator_.finish_job(job_id, job_status_of(outcome));
}

}  // namespace halo::engine
