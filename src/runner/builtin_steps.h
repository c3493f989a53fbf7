// CircleCI's built-in steps that move files between a job and the server: save_cache,
// restore_cache, persist_to_workspace, attach_workspace, store_artifacts and
// store_test_results. Each moves a tar stream between the
// Executor (where the job's files are) and the JobChannel (the server), compressing caches
// and workspaces with zstd on the way; nothing is held in memory whole, and nothing touches
// the server's data dir.
#pragma once
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "config/plan.h"
#include "protocol/job_channel.h"
#include "protocol/job_payload.h"
#include "runner/executor.h"

namespace halo::runner {

struct BuiltinContext {
  Executor& executor;
  protocol::JobChannel* channel = nullptr;  // null: the runner has no server (steps fail)
  protocol::Lease lease;
  const protocol::JobPayload& payload;
  std::filesystem::path home;
  std::filesystem::path working_dir;
  std::map<std::string, std::string> environment;  // the job's, for cache key templates
  int node_index = 0;
  std::function<void(std::string_view)> output;  // the step's output
};

// Performs one built-in step (not run or checkout); failures are explained in the output.
protocol::StepStatus run_builtin_step(const config::Step& step, BuiltinContext& context);

// "1.2 MiB": sizes in step output.
std::string human_size(uint64_t bytes);

}  // namespace halo::runner
