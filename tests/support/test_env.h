// Helpers that end-to-end tests share: temp directories, real git repositories made with
// the git CLI, an HTTP client over libcurl, and a running `halo serve` on an ephemeral port.
#pragma once
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/json.h"

namespace halo::test {

// A directory under /tmp removed (recursively) when the object dies.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "halo-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs a shell command; returns its exit status and fills `output` with stdout+stderr.
int sh(const std::string& command, std::string* output = nullptr);

// A git repository with a `main` branch, built with the real git CLI.
class GitRepo {
 public:
  explicit GitRepo(const std::filesystem::path& dir);
  void write(const std::string& relpath, const std::string& content);
  // Commits everything; returns the new commit's sha.
  std::string commit(const std::string& message);
  void branch(const std::string& name);    // create and switch
  void checkout(const std::string& name);  // switch
  void tag(const std::string& name);
  std::string url() const { return "file://" + dir_.string(); }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::string git(const std::string& args);
  std::filesystem::path dir_;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-cased names
  json json_body() const;                       // null if the body is not JSON
};

class HttpClient {
 public:
  explicit HttpClient(std::string base_url) : base_(std::move(base_url)) {}
  // `headers` as "Name: value" lines. An empty token sends no Circle-Token.
  HttpResponse request(const std::string& method, const std::string& path,
                       const std::string& body = "", std::vector<std::string> headers = {},
                       long timeout_ms = 30000) const;
  HttpResponse get(const std::string& path, const std::string& token) const;
  HttpResponse post(const std::string& path, const json& body, const std::string& token) const;
  const std::string& base() const { return base_; }

 private:
  std::string base_;
};

// A real `halo serve` process (the binary under test) with its own data dir.
class HaloServer {
 public:
  struct Options {
    std::string admin_token = "test-admin-token-0123456789";
    int runners = 2;
    std::vector<std::string> extra_args;
    std::map<std::string, std::string> env;
  };
  explicit HaloServer(const std::filesystem::path& data_dir);
  HaloServer(const std::filesystem::path& data_dir, Options options);
  ~HaloServer();

  void start();  // waits until the server answers
  // SIGTERM and wait; returns the exit status.
  int stop();
  void kill9();

  pid_t pid() const { return pid_; }
  const std::string& url() const { return url_; }
  const std::string& token() const { return options_.admin_token; }
  HttpClient client() const { return HttpClient(url_); }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::string log() const;  // what the server printed

  // Conveniences over the API, as the admin.
  json create_project(const std::string& slug, const std::string& vcs_url) const;
  json trigger(const std::string& slug, const json& body = json::object()) const;
  // Polls GET /pipeline/{id}/workflow until every workflow is terminal (or timeout).
  json wait_workflows(const std::string& pipeline_id,
                      std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;
  json jobs_of(const std::string& workflow_id) const;

 private:
  std::filesystem::path data_dir_;
  Options options_;
  pid_t pid_ = -1;
  std::string url_;
};

// Polls `done` every 20 ms until it returns true or the timeout passes.
bool eventually(const std::function<bool()>& done,
                std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace halo::test
