#include "vcs/git_repository.h"

#include <git2.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <vector>

#include <memory>
#include <mutex>

namespace halo::vcs {

namespace {

void init_libgit2() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
}

std::string last_error() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown git error";
}

struct RepoDeleter {
  void operator()(git_repository* r) const { git_repository_free(r); }
};
using RepoPtr = std::unique_ptr<git_repository, RepoDeleter>;

RepoPtr open_repo(const std::string& path, std::string& error) {
  git_repository* r = nullptr;
  if (git_repository_open_ext(&r, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
    error = "cannot open repository: " + last_error();
    return nullptr;
  }
  return RepoPtr(r);
}

// Runs git with the given arguments; no shell involved. Returns the exit status.
int run_git(const std::vector<std::string>& args) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>("git"));
    for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, 0);
      dup2(devnull, 1);
      dup2(devnull, 2);
    }
    execvp("git", argv.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

GitRepository::GitRepository(std::string url, std::filesystem::path mirror_dir)
    : url_(std::move(url)), mirror_dir_(std::move(mirror_dir)) {
  init_libgit2();
}

bool GitRepository::is_local(const std::string& url) {
  return url.rfind("file://", 0) == 0 || (!url.empty() && url[0] == '/');
}

std::string GitRepository::local_path() const {
  if (url_.rfind("file://", 0) == 0) return url_.substr(7);
  if (is_local(url_)) return url_;
  return mirror_dir_.string();
}

bool GitRepository::refresh_mirror(std::string& error) {
  if (is_local(url_)) return true;
  int rc;
  if (!std::filesystem::exists(mirror_dir_ / "HEAD")) {
    std::filesystem::create_directories(mirror_dir_.parent_path());
    rc = run_git({"clone", "--quiet", "--mirror", "--", url_, mirror_dir_.string()});
  } else {
    rc = run_git({"-C", mirror_dir_.string(), "fetch", "--quiet", "--prune", "origin"});
  }
  if (rc != 0) {
    error = "could not fetch " + url_;
    return false;
  }
  return true;
}

ResolveResult GitRepository::resolve(const std::string& branch, const std::string& tag) {
  ResolveResult out;
  if (!refresh_mirror(out.error)) return out;
  RepoPtr repo = open_repo(local_path(), out.error);
  if (!repo) return out;
  std::string ref = branch.empty() ? "refs/tags/" + tag : "refs/heads/" + branch;
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, repo.get(), (ref + "^{commit}").c_str()) != 0) {
    out.error = branch.empty() ? "Tag '" + tag + "' not found in the repository"
                               : "Branch '" + branch + "' not found in the repository";
    return out;
  }
  git_commit* c = reinterpret_cast<git_commit*>(obj);
  Commit commit;
  char sha[GIT_OID_HEXSZ + 1];
  git_oid_tostr(sha, sizeof sha, git_commit_id(c));
  commit.sha = sha;
  const char* summary = git_commit_summary(c);
  commit.subject = summary ? summary : "";
  const char* body = git_commit_body(c);
  commit.body = body ? body : "";
  while (!commit.body.empty() && (commit.body.back() == '\n' || commit.body.back() == ' '))
    commit.body.pop_back();
  const git_signature* author = git_commit_author(c);
  if (author) {
    commit.author_name = author->name ? author->name : "";
    commit.author_email = author->email ? author->email : "";
    commit.authored_at_ms = static_cast<int64_t>(author->when.time) * 1000;
  }
  git_object_free(obj);
  out.commit = std::move(commit);
  return out;
}

std::optional<std::string> GitRepository::read_file(const std::string& sha,
                                                    const std::string& path) {
  std::string error;
  RepoPtr repo = open_repo(local_path(), error);
  if (!repo) return std::nullopt;
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, repo.get(), (sha + ":" + path).c_str()) != 0) return std::nullopt;
  std::optional<std::string> out;
  if (git_object_type(obj) == GIT_OBJECT_BLOB) {
    git_blob* blob = reinterpret_cast<git_blob*>(obj);
    out.emplace(static_cast<const char*>(git_blob_rawcontent(blob)),
                static_cast<size_t>(git_blob_rawsize(blob)));
  }
  git_object_free(obj);
  return out;
}

}  // namespace halo::vcs
