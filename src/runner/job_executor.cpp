#include "runner/job_executor.h"

#include <spdlog/spdlog.h>

#include "runner/host_executor.h"
#include "runner/output_masker.h"
#include "runner/step_runner.h"

namespace halo::runner {

JobExecutor::JobExecutor(JobPayload payload, JobReporter& reporter, ServerLink server)
    : payload_(std::move(payload)),
      reporter_(reporter),
      server_(server),
      cancel_(std::make_unique<CancelState>()) {}

JobExecutor::~JobExecutor() = default;

JobOutcome JobExecutor::run() {
  try {
    HostExecutor host(payload_.work_dir, payload_.hidden_paths, payload_.tools_binary);
    if (!payload_.secrets.empty()) {
      MaskingReporter masking(reporter_, payload_.secrets);
      return StepRunner(payload_, host, masking, *cancel_, server_).run();
    }
    return StepRunner(payload_, host, reporter_, *cancel_, server_).run();
  } catch (const std::exception& e) {
    // Reporter exceptions or allocation failures; the StepRunner has killed and reaped every
    // process it started on its way out.
    spdlog::error("job {}: executor failed: {}", payload_.job_id, e.what());
    return JobOutcome::InfrastructureFail;
  }
}

void JobExecutor::cancel() {
  cancel_->cancel();
}

}  // namespace halo::runner
