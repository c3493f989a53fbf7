// Wraps a step's command in bubblewrap, when bubblewrap works on this host, so that the
// server's own files (its data dir) are invisible to the job while the rest of the host is not.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace halo::runner {

struct SandboxSpec {
  std::vector<std::filesystem::path> hidden;     // replaced by an empty tmpfs (or /dev/null)
  std::vector<std::filesystem::path> writable;   // bound back read-write, e.g. the job's work dir
  std::vector<std::filesystem::path> read_only;  // bound back read-only, e.g. a local clone source
  std::filesystem::path cwd;
};

// Whether bubblewrap is installed and can set up the mounts we need. Probed once per process
// (thread-safe) and cached; logs one warning when it cannot be used.
bool sandbox_available();

// The argv that runs `argv` inside the sandbox described by `spec`. Paths in `hidden` that do
// not exist are ignored. Only meaningful when sandbox_available().
std::vector<std::string> sandbox_argv(const SandboxSpec& spec,
                                      const std::vector<std::string>& argv);

}  // namespace halo::runner
