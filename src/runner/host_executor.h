// The host executor: steps run as process groups on this host, in the job's own work dir,
// with a minimal environment (never the server's), inside a bubblewrap sandbox that hides
// the server's data dir when bubblewrap works here.
#pragma once
#include <filesystem>
#include <optional>
#include <vector>

#include "runner/executor.h"

namespace halo::runner {

class HostExecutor final : public Executor {
 public:
  // `work_dir` is the job's fresh directory: HOME is <work_dir>/home, scripts and BASH_ENV
  // live in <work_dir>. `hidden` are the paths job processes must not see.
  // `tools_binary`, when set, is linked as <work_dir>/bin/circleci and circleci-agent, first
  // on every step's PATH.
  HostExecutor(std::filesystem::path work_dir, std::vector<std::filesystem::path> hidden,
               std::filesystem::path tools_binary = {});

  void setup() override;
  std::filesystem::path home() const override { return work_dir_ / "home"; }
  std::filesystem::path scratch_dir() const override { return work_dir_; }
  std::string default_shell() const override;
  void make_directories(const std::filesystem::path& path, int mode) override;
  void write_file(const std::filesystem::path& path, const std::string& content, int mode) override;
  std::unique_ptr<StepProcess> start(int index, const StepCommand& command) override;
  ArchiveStats archive(const std::vector<ArchiveItem>& items, ByteSink& out,
                       const ArchiveOptions& options) override;
  ArchiveStats extract(ByteSource& in, const PlaceFn& place) override;
  std::vector<std::string> glob(const std::filesystem::path& root,
                                const std::string& pattern) override;
  void read_file(const std::filesystem::path& path, ByteSink& out) override;
  bool exists(const std::filesystem::path& path) override;

 private:
  // Whether the job may touch `path`: anything but the hidden paths, except its own work dir
  // (which lives inside one). Symlinks in `path` are resolved first.
  bool allowed(const std::filesystem::path& path) const;

  // The work dir and the hidden paths with their symlinks resolved.
  struct Bounds {
    std::filesystem::path own;
    std::vector<std::filesystem::path> hidden;
  };
  Bounds resolve_bounds() const;

  std::filesystem::path work_dir_;
  std::vector<std::filesystem::path> hidden_;
  std::filesystem::path tools_binary_;
  bool use_sandbox_ = false;
  std::optional<Bounds> resolved_;  // set by setup()
};

}  // namespace halo::runner
