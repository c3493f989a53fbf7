#include "runner/host_executor.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "runner/environment.h"
#include "runner/process_group.h"
#include "runner/sandbox.h"
#include "runner/shell.h"

namespace halo::runner {

namespace fs = std::filesystem;

namespace {

class HostStepProcess final : public StepProcess {
 public:
  explicit HostStepProcess(ProcessGroup p) : p_(std::move(p)) {}
  int output_fd() const override { return p_.output_fd(); }
  void close_output() override { p_.close_output(); }
  bool exited() override { return p_.exited(); }
  void signal(int sig) override { p_.signal(sig); }
  void reap() override { p_.reap(); }
  int exit_code() const override { return exit_code_of(p_.wait_status()); }

 private:
  ProcessGroup p_;
};

}  // namespace

HostExecutor::HostExecutor(fs::path work_dir, std::vector<fs::path> hidden, fs::path tools_binary)
    : work_dir_(std::move(work_dir)),
      hidden_(std::move(hidden)),
      tools_binary_(std::move(tools_binary)) {}

void HostExecutor::setup() {
  fs::create_directories(home());
  if (!tools_binary_.empty()) {
    fs::create_directories(work_dir_ / "bin");
    for (const char* name : {"circleci", "circleci-agent"}) {
      fs::create_symlink(tools_binary_, work_dir_ / "bin" / name);
    }
  }
  // Without hidden paths there is nothing to mask, so the sandbox would only cost time.
  use_sandbox_ = !hidden_.empty() && sandbox_available();
  resolved_ = resolve_bounds();
}

HostExecutor::Bounds HostExecutor::resolve_bounds() const {
  Bounds b;
  std::error_code ec;
  b.own = fs::weakly_canonical(work_dir_, ec);
  if (ec) b.own.clear();
  for (const auto& h : hidden_) {
    fs::path hidden = fs::weakly_canonical(h, ec);
    b.hidden.push_back(ec ? h : hidden);
  }
  return b;
}

std::string HostExecutor::default_shell() const {
  return runner::default_shell();
}

void HostExecutor::make_directories(const fs::path& path, int mode) {
  // Only a directory made here gets `mode`: an existing one (a working_directory of /tmp)
  // keeps its own.
  if (fs::create_directories(path)) fs::permissions(path, static_cast<fs::perms>(mode));
}

void HostExecutor::write_file(const fs::path& path, const std::string& content, int mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0)
    throw std::system_error(errno, std::generic_category(), "cannot write " + path.string());
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      throw std::system_error(err, std::generic_category(), "cannot write " + path.string());
    }
    off += static_cast<size_t>(n);
  }
  ::fchmod(fd, static_cast<mode_t>(mode));  // O_CREAT's mode is only for new files
  ::close(fd);
}

std::unique_ptr<StepProcess> HostExecutor::start(int index, const StepCommand& command) {
  fs::path script = work_dir_ / ("step-" + std::to_string(index) + ".sh");
  write_file(script, command.script, 0600);
  SpawnOptions options;
  options.cwd = command.cwd;
  options.argv = shell_argv(command.shell, script.string());
  Environment env = base_environment(home(), shell_program(command.shell));
  for (const auto& [k, v] : command.environment) env[k] = v;
  if (!tools_binary_.empty()) env["PATH"] = (work_dir_ / "bin").string() + ":" + env["PATH"];
  options.env = to_envp(env);
  if (use_sandbox_) {
    SandboxSpec sandbox;
    sandbox.hidden = hidden_;
    sandbox.writable.push_back(work_dir_);
    sandbox.read_only = command.readable;
    sandbox.cwd = options.cwd;
    options.argv = sandbox_argv(sandbox, options.argv);
  }
  return std::make_unique<HostStepProcess>(ProcessGroup::spawn(options));
}

}  // namespace halo::runner

namespace halo::runner {

namespace {

bool inside(const fs::path& p, const fs::path& dir) {
  auto rel = p.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

bool HostExecutor::allowed(const fs::path& path) const {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(path, ec);
  if (ec) return false;
  // The job's own directory and the hidden ones are resolved once, in setup(): archiving or
  // extracting calls this for every file, and resolving all three each time tripled its cost.
  std::optional<Bounds> before_setup;
  const Bounds& b = resolved_ ? *resolved_ : before_setup.emplace(resolve_bounds());
  if (!b.own.empty() && (real == b.own || inside(real, b.own))) return true;
  for (const auto& hidden : b.hidden) {
    if (real == hidden || inside(real, hidden)) return false;
  }
  return true;
}

ArchiveStats HostExecutor::archive(const std::vector<ArchiveItem>& items, ByteSink& out,
                                   const ArchiveOptions& options) {
  ArchiveOptions o = options;
  o.allowed = [this, outer = options.allowed](const fs::path& p) {
    return allowed(p) && (!outer || outer(p));
  };
  return archive_paths(items, out, o);
}

ArchiveStats HostExecutor::extract(ByteSource& in, const PlaceFn& place) {
  return extract_archive(in, [&](const std::string& name) -> std::optional<fs::path> {
    auto dest = place(name);
    if (dest && !allowed(*dest)) {
      throw std::runtime_error(dest->string() + ": not writable by jobs");
    }
    return dest;
  });
}

std::vector<std::string> HostExecutor::glob(const fs::path& root, const std::string& pattern) {
  if (!allowed(root)) throw std::runtime_error(root.string() + ": not readable by jobs");
  return glob_paths(root, pattern);
}

bool HostExecutor::exists(const fs::path& path) {
  std::error_code ec;
  return allowed(path) && fs::exists(fs::symlink_status(path, ec));
}

void HostExecutor::read_file(const fs::path& path, ByteSink& out) {
  if (!allowed(path)) throw std::runtime_error(path.string() + ": not readable by jobs");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(path.string() + ": " + std::strerror(errno));
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      throw std::runtime_error(path.string() + ": " + std::strerror(err));
    }
    if (n == 0) break;
    try {
      out.write(std::string_view(buf, static_cast<size_t>(n)));
    } catch (...) {
      ::close(fd);
      throw;
    }
  }
  ::close(fd);
}

}  // namespace halo::runner
