// Starts a command as the leader of its own session and process group, with stdout and stderr
// on one pipe, and signals, watches and reaps it so that no child outlives its owner or stays
// a zombie.
#pragma once
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace halo::runner {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is looked up on the PATH in `env` if it has no '/'
  std::vector<std::string> env;   // "NAME=value"; the child sees exactly these
  std::filesystem::path cwd;
};

class ProcessGroup {
 public:
  // Starts the process: new session (so pgid == pid), stdin = /dev/null, stdout and stderr on
  // a non-blocking pipe whose read end is output_fd(), every other descriptor closed, signal
  // dispositions and mask reset. Throws std::system_error if it cannot be started (an exec
  // failure such as a missing shell included).
  static ProcessGroup spawn(const SpawnOptions& options);

  ProcessGroup() = default;
  ProcessGroup(ProcessGroup&& other) noexcept;
  ProcessGroup& operator=(ProcessGroup&& other) noexcept;
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;
  // Kills the whole group and reaps the leader if that has not happened yet.
  ~ProcessGroup();

  pid_t pid() const { return pid_; }  // also the process group id
  int output_fd() const { return out_fd_; }
  void close_output();

  // Sends `sig` to every process of the group. Safe until reap(): the unreaped leader (even as
  // a zombie) keeps the pgid from being reused, so this never hits an unrelated process.
  void signal(int sig);
  // Whether the leader has exited. It is not reaped (see signal()); wait_status() is then valid.
  bool exited();
  int wait_status() const { return status_; }
  // Reaps the leader, waiting for it if needed. signal() is a no-op afterwards.
  void reap();

 private:
  void reset() noexcept;

  pid_t pid_ = -1;
  int out_fd_ = -1;
  bool exited_ = false;
  bool reaped_ = false;
  int status_ = 0;
};

// Exit code of a wait status: the code for a normal exit, -1 otherwise (killed by a signal).
int exit_code_of(int wait_status);

}  // namespace halo::runner
