#include "runner/sandbox.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <cstdlib>
#include <string_view>

#include "runner/process_group.h"

namespace halo::runner {

namespace {

namespace fs = std::filesystem;

std::string find_bwrap() {
  const char* env = std::getenv("PATH");
  std::string_view path = env ? env : "/usr/local/bin:/usr/bin:/bin";
  while (!path.empty()) {
    auto colon = path.find(':');
    std::string dir(path.substr(0, colon));
    if (!dir.empty()) {
      std::string candidate = dir + "/bwrap";
      if (access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    if (colon == std::string_view::npos) break;
    path.remove_prefix(colon + 1);
  }
  return {};
}

const std::string& bwrap_path() {
  static const std::string path = find_bwrap();
  return path;
}

// Canonical form where possible: bwrap resolves mount targets literally, and a hidden dir
// reached through a symlink would otherwise stay visible under its real name.
std::string canonical_or_same(const fs::path& p) {
  std::error_code ec;
  auto c = fs::weakly_canonical(p, ec);
  return ec ? p.string() : c.string();
}

// Runs one trivial sandboxed command with the same kind of mounts real steps use.
bool probe(std::string& diagnostics) {
  if (bwrap_path().empty()) {
    diagnostics = "bwrap not found on PATH";
    return false;
  }
  SandboxSpec spec;
  spec.hidden.push_back(fs::temp_directory_path());
  spec.cwd = "/";
  SpawnOptions options;
  options.argv = sandbox_argv(spec, {"true"});
  const char* path = std::getenv("PATH");
  options.env.push_back(std::string("PATH=") + (path ? path : "/usr/bin:/bin"));
  options.cwd = "/";
  try {
    ProcessGroup pg = ProcessGroup::spawn(options);
    // Collect bwrap's complaint, if any, until it closes the pipe (it exits quickly either way).
    char buf[512];
    while (pg.output_fd() >= 0) {
      pollfd pfd{pg.output_fd(), POLLIN, 0};
      if (poll(&pfd, 1, 5000) <= 0) break;
      ssize_t n = read(pg.output_fd(), buf, sizeof buf);
      if (n > 0 && diagnostics.size() < 4096) diagnostics.append(buf, static_cast<size_t>(n));
      if (n == 0) pg.close_output();
    }
    pg.signal(SIGKILL);
    pg.reap();
    if (exit_code_of(pg.wait_status()) == 0) return true;
    if (diagnostics.empty())
      diagnostics = "bwrap exited with status " + std::to_string(pg.wait_status());
  } catch (const std::exception& e) {
    diagnostics = e.what();
  }
  return false;
}

}  // namespace

bool sandbox_available() {
  static const bool available = [] {
    std::string diagnostics;
    bool ok = probe(diagnostics);
    if (!ok) {
      while (!diagnostics.empty() && diagnostics.back() == '\n') diagnostics.pop_back();
      spdlog::warn("bubblewrap sandbox unavailable, jobs run unsandboxed: {}", diagnostics);
    }
    return ok;
  }();
  return available;
}

std::vector<std::string> sandbox_argv(const SandboxSpec& spec,
                                      const std::vector<std::string>& argv) {
  // The whole host is visible (jobs run "on the machine", as with CircleCI's machine executor),
  // then the hidden paths are masked and the job's own paths mounted back on top of them.
  // --die-with-parent: the job goes if the thread that runs it does (the server crashed). No
  // --new-session and no pid namespace, so the whole tree stays in the process group we kill.
  std::vector<std::string> out{bwrap_path(), "--dev-bind", "/", "/", "--die-with-parent"};
  for (const auto& h : spec.hidden) {
    std::error_code ec;
    auto st = fs::status(h, ec);
    if (ec || !fs::exists(st)) continue;  // a missing one would be created on the host
    std::string p = canonical_or_same(h);
    if (fs::is_directory(st)) {
      out.insert(out.end(), {"--tmpfs", p});
    } else {
      out.insert(out.end(), {"--ro-bind", "/dev/null", p});
    }
  }
  for (const auto& w : spec.writable) {
    std::string p = canonical_or_same(w);
    out.insert(out.end(), {"--bind", p, p});
  }
  for (const auto& r : spec.read_only) {
    std::string p = canonical_or_same(r);
    out.insert(out.end(), {"--ro-bind-try", p, p});
  }
  if (!spec.cwd.empty()) out.insert(out.end(), {"--chdir", spec.cwd.string()});
  out.push_back("--");
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

}  // namespace halo::runner
