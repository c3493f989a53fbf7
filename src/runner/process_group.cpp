#include "runner/process_group.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>
#include <system_error>

namespace halo::runner {

namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Resolves a bare program name against the *child's* PATH (posix_spawnp would use ours).
std::string resolve_program(const std::string& name, const std::vector<std::string>& env) {
  if (name.find('/') != std::string::npos) return name;
  std::string_view path = kDefaultPath;
  for (const auto& kv : env) {
    if (kv.rfind("PATH=", 0) == 0) path = std::string_view(kv).substr(5);
  }
  while (true) {
    auto colon = path.find(':');
    std::string dir(path.substr(0, colon));
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    path.remove_prefix(colon + 1);
  }
  return name;  // let exec fail with ENOENT
}

// RAII for the spawn attribute objects, which must be destroyed on every path.
struct SpawnAttrs {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  SpawnAttrs() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnAttrs() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

void check(int rc, const char* what) {
  if (rc != 0) throw std::system_error(rc, std::generic_category(), what);
}

}  // namespace

ProcessGroup ProcessGroup::spawn(const SpawnOptions& options) {
  if (options.argv.empty()) throw std::system_error(EINVAL, std::generic_category(), "empty argv");
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  // A daemon may run with 0-2 closed; keep the pipe clear of the slots we are about to fill.
  for (int& fd : fds) {
    if (fd < 3) {
      int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
      close(fd);
      fd = moved;
    }
  }
  if (fds[0] < 0 || fds[1] < 0) {
    for (int fd : fds) {
      if (fd >= 0) close(fd);
    }
    throw std::system_error(EMFILE, std::generic_category(), "pipe2");
  }
  struct Closer {
    int& fd;
    ~Closer() {
      if (fd >= 0) close(fd);
    }
  } close_read{fds[0]}, close_write{fds[1]};

  SpawnAttrs sa;
  // A new session makes the child the leader of a fresh process group we can kill as a whole,
  // and detaches it from any controlling terminal of the server.
  sigset_t empty, all;
  sigemptyset(&empty);
  sigfillset(&all);
  check(posix_spawnattr_setflags(
            &sa.attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF),
        "posix_spawnattr_setflags");
  check(posix_spawnattr_setsigmask(&sa.attr, &empty), "posix_spawnattr_setsigmask");
  // Ignored signals survive exec; a server that ignores SIGPIPE must not pass that on.
  check(posix_spawnattr_setsigdefault(&sa.attr, &all), "posix_spawnattr_setsigdefault");
  check(posix_spawn_file_actions_addopen(&sa.actions, 0, "/dev/null", O_RDONLY, 0), "addopen");
  check(posix_spawn_file_actions_adddup2(&sa.actions, fds[1], 1), "adddup2");
  check(posix_spawn_file_actions_adddup2(&sa.actions, fds[1], 2), "adddup2");
  // Other threads of the server may open descriptors without O_CLOEXEC; close them all anyway.
  check(posix_spawn_file_actions_addclosefrom_np(&sa.actions, 3), "addclosefrom");
  std::string cwd = options.cwd.string();
  if (!cwd.empty()) check(posix_spawn_file_actions_addchdir_np(&sa.actions, cwd.c_str()), "chdir");

  std::string program = resolve_program(options.argv[0], options.env);
  std::vector<char*> argv, envp;
  for (const auto& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : options.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  pid_t pid = -1;
  // glibc reports exec and chdir failures here (and reaps the failed child itself).
  int rc = posix_spawn(&pid, program.c_str(), &sa.actions, &sa.attr, argv.data(), envp.data());
  if (rc != 0) throw std::system_error(rc, std::generic_category(), "cannot start " + program);

  int flags = fcntl(fds[0], F_GETFL);
  fcntl(fds[0], F_SETFL, flags | O_NONBLOCK);
  ProcessGroup pg;
  pg.pid_ = pid;
  pg.out_fd_ = fds[0];
  fds[0] = -1;  // owned by pg now; the write end is closed by close_write
  return pg;
}

ProcessGroup::ProcessGroup(ProcessGroup&& other) noexcept
    : pid_(other.pid_),
      out_fd_(other.out_fd_),
      exited_(other.exited_),
      reaped_(other.reaped_),
      status_(other.status_) {
  other.pid_ = -1;
  other.out_fd_ = -1;
}

ProcessGroup& ProcessGroup::operator=(ProcessGroup&& other) noexcept {
  if (this != &other) {
    reset();
    pid_ = other.pid_;
    out_fd_ = other.out_fd_;
    exited_ = other.exited_;
    reaped_ = other.reaped_;
    status_ = other.status_;
    other.pid_ = -1;
    other.out_fd_ = -1;
  }
  return *this;
}

ProcessGroup::~ProcessGroup() {
  reset();
}

void ProcessGroup::reset() noexcept {
  close_output();
  if (pid_ > 0 && !reaped_) {
    signal(SIGKILL);
    reap();
  }
  pid_ = -1;
}

void ProcessGroup::close_output() {
  if (out_fd_ >= 0) close(out_fd_);
  out_fd_ = -1;
}

void ProcessGroup::signal(int sig) {
  if (pid_ > 0 && !reaped_) killpg(pid_, sig);
}

bool ProcessGroup::exited() {
  if (pid_ <= 0 || exited_) return exited_;
  siginfo_t info{};
  // WNOWAIT leaves the leader a zombie so its pgid stays reserved for signal().
  int rc = waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT);
  if (rc < 0 && errno == ECHILD) {
    // Someone else reaped it (SIGCHLD ignored, or a waitpid(-1) elsewhere in the process): the
    // status is lost and the pgid may be reused, so stop signalling it.
    exited_ = true;
    reaped_ = true;
    status_ = SIGKILL;  // reads as "did not exit normally"
    return true;
  }
  if (rc == 0 && info.si_pid == pid_) {
    exited_ = true;
    if (info.si_code == CLD_EXITED) {
      status_ = W_EXITCODE(info.si_status, 0);
    } else {
      status_ = info.si_status & 0x7f;  // the WIFSIGNALED form
    }
  }
  return exited_;
}

void ProcessGroup::reap() {
  if (pid_ <= 0 || reaped_) return;
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) status_ = status;
  exited_ = true;
  reaped_ = true;
}

int exit_code_of(int wait_status) {
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
}

}  // namespace halo::runner
