// Executor backends: where a job's steps run. The StepRunner owns the order of steps and
// their rules (when, background, timeouts, BASH_ENV, halting on failure); an Executor owns
// the place: it sets up the job's filesystem view, starts each step's process with the
// job's environment, and tears everything down. HostExecutor runs steps on this host (in a
// bubblewrap sandbox when it works); a container backend runs them in the job's containers
// behind the same interface. Paths here are as the job's processes see them.
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/byte_stream.h"
#include "runner/tar_archive.h"

namespace halo::runner {

// A started step, driven by the StepRunner's poll loop on one thread. signal() may also be
// called from another thread (a cancel) until reap() has returned.
class StepProcess {
 public:
  virtual ~StepProcess() = default;
  // Combined stdout and stderr, readable without blocking; -1 once closed (EOF).
  virtual int output_fd() const = 0;
  virtual void close_output() = 0;
  // Whether the step's main process has exited (then exit_code() is valid).
  virtual bool exited() = 0;
  // Sends `sig` to every process of the step; a no-op after reap().
  virtual void signal(int sig) = 0;
  // Releases the step's main process, waiting for it if needed.
  virtual void reap() = 0;
  // The exit code, or -1 when the step was killed by a signal.
  virtual int exit_code() const = 0;
};

struct StepCommand {
  std::string shell;   // the shell line ("/bin/bash -eo pipefail"); the script is its last argument
  std::string script;  // the step's script
  // The job's environment for this step (project, contexts, built-ins, job and step); the
  // executor puts it over its own base (PATH, HOME, SHELL...).
  std::map<std::string, std::string> environment;
  std::filesystem::path cwd;
  // Paths the step must be able to read even if they are hidden from jobs (a local clone
  // source that lives in the server's data dir).
  std::vector<std::filesystem::path> readable;
};

class Executor {
 public:
  virtual ~Executor() = default;
  // Prepares the job's place (HOME and the scratch dir exist afterwards). Throws when it
  // cannot: the job then ends as infrastructure_fail.
  virtual void setup() = 0;
  // The job's HOME ("~" in paths).
  virtual std::filesystem::path home() const = 0;
  // A directory outside HOME for the runner's own files (step scripts, the BASH_ENV file).
  virtual std::filesystem::path scratch_dir() const = 0;
  // The shell of steps that name none: "/bin/bash -eo pipefail", or sh where bash is missing.
  virtual std::string default_shell() const = 0;
  virtual void make_directories(const std::filesystem::path& path, int mode = 0755) = 0;
  virtual void write_file(const std::filesystem::path& path, const std::string& content,
                          int mode = 0644) = 0;
  // Starts step `index`. Throws when the step cannot be started (the step then fails).
  virtual std::unique_ptr<StepProcess> start(int index, const StepCommand& command) = 0;

  // Files, for the built-in steps (caches, workspaces, artifacts, test results); paths are as
  // the job sees them. Each throws std::runtime_error with a message for the step's output
  // when a path is missing, unreadable, or one the job must not touch.
  // A tar of `items` into `out` (see tar_archive.h).
  virtual ArchiveStats archive(const std::vector<ArchiveItem>& items, ByteSink& out,
                               const ArchiveOptions& options) = 0;
  // Extracts a tar read from `in`; `place` says where each entry goes.
  virtual ArchiveStats extract(ByteSource& in, const PlaceFn& place) = 0;
  // Paths under `root` matching a glob pattern, relative to root (see glob_paths).
  virtual std::vector<std::string> glob(const std::filesystem::path& root,
                                        const std::string& pattern) = 0;
  // Streams a regular file's content into `out` (a checksum, a test report).
  virtual void read_file(const std::filesystem::path& path, ByteSink& out) = 0;
  virtual bool exists(const std::filesystem::path& path) = 0;
};

}  // namespace halo::runner
