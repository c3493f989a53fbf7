// Processes of jobs whose runner died: after a kill -9 of halo, a job's processes (a
// `sleep 300`, a test server, a deploy) can outlive it, and the job runs again once the
// lease is expired. A restarted runner pool kills them before it takes new work, so two
// attempts of one job never run side by side.
#pragma once
#include <filesystem>

namespace halo::runner {

// Sends SIGKILL to every process on this host whose environment places it in a job work dir
// under `work_root` (HOME, BASH_ENV or CIRCLE_WORKING_DIRECTORY below it). Returns how many
// processes it signalled. Processes it may not read or signal are skipped.
int kill_leftover_job_processes(const std::filesystem::path& work_root);

}  // namespace halo::runner
