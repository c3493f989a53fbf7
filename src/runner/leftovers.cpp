#include "runner/leftovers.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace halo::runner {

namespace fs = std::filesystem;

namespace {

// Whether one NUL-separated environ names a path below `root` in a variable the runner sets.
bool placed_under(const std::string& environ, const std::string& root) {
  size_t start = 0;
  while (start < environ.size()) {
    size_t end = environ.find('\0', start);
    if (end == std::string::npos) end = environ.size();
    std::string_view var(environ.data() + start, end - start);
    for (std::string_view name : {"HOME=", "BASH_ENV=", "CIRCLE_WORKING_DIRECTORY="}) {
      if (var.substr(0, name.size()) != name) continue;
      std::string_view value = var.substr(name.size());
      if (value.size() > root.size() && value.substr(0, root.size()) == root &&
          value[root.size()] == '/')
        return true;
    }
    start = end + 1;
  }
  return false;
}

}  // namespace

int kill_leftover_job_processes(const fs::path& work_root) {
  std::error_code ec;
  fs::path root = fs::weakly_canonical(work_root, ec);
  if (ec || root.empty()) root = work_root.lexically_normal();
  std::string prefix = root.string();
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  if (prefix.size() <= 1) return 0;  // never "/" or "": that would match everything

  int killed = 0;
  const pid_t self = getpid();
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t pid = static_cast<pid_t>(std::atoi(name.c_str()));
    if (pid <= 1 || pid == self) continue;
    std::ifstream in(entry.path() / "environ", std::ios::binary);
    if (!in) continue;
    std::string environ((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!placed_under(environ, prefix)) continue;
    if (kill(pid, SIGKILL) == 0) ++killed;
  }
  if (killed > 0)
    spdlog::warn("runner: killed {} process(es) left by jobs of a runner that died", killed);
  return killed;
}

}  // namespace halo::runner
