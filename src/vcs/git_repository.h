// Read access to a project's git repository: resolve a branch or tag to a commit and read
// a file at a commit. Local repositories (a path or file:// URL) are read in place; others
// are mirrored into a cache directory with the git CLI and read from the mirror.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace halo::vcs {

struct Commit {
  std::string sha;
  std::string subject;  // first line of the message
  std::string body;     // the rest, trimmed
  std::string author_name;
  std::string author_email;
  int64_t authored_at_ms = 0;
};

struct ResolveResult {
  std::optional<Commit> commit;
  std::string error;  // set when commit is empty: why (unknown branch, unreachable repo, ...)
};

class GitRepository {
 public:
  // `url` is a local path, a file:// URL or a remote URL; `mirror_dir` is where a remote
  // repository is mirrored (unused for local ones).
  GitRepository(std::string url, std::filesystem::path mirror_dir);

  // Resolves refs/heads/<branch> or refs/tags/<tag> (exactly one of them non-empty).
  ResolveResult resolve(const std::string& branch, const std::string& tag);

  // The file's bytes at `sha`, or nullopt if it does not exist there.
  std::optional<std::string> read_file(const std::string& sha, const std::string& path);

  // True if url names a local repository (a path or file:// URL).
  static bool is_local(const std::string& url);

 private:
  std::string local_path() const;
  bool refresh_mirror(std::string& error);

  std::string url_;
  std::filesystem::path mirror_dir_;
};

}  // namespace halo::vcs
