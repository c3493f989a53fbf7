#include "support/test_env.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace halo::test {

TempDir::TempDir(const std::string& prefix) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int sh(const std::string& command, std::string* output) {
  std::string cmd = command + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  size_t n;
  std::string out;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  if (output) *output = out;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

GitRepo::GitRepo(const std::filesystem::path& dir) : dir_(dir) {
  std::filesystem::create_directories(dir_);
  git("init -q -b main");
}

std::string GitRepo::git(const std::string& args) {
  std::string out;
  std::string cmd = "git -C '" + dir_.string() +
                    "' -c user.name=tester -c user.email=tester@halo.invalid -c commit.gpgsign=false " +
                    args;
  if (sh(cmd, &out) != 0) throw std::runtime_error("git " + args + " failed: " + out);
  return out;
}

void GitRepo::write(const std::string& relpath, const std::string& content) {
  auto p = dir_ / relpath;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

std::string GitRepo::commit(const std::string& message) {
  git("add -A");
  git("commit -q --allow-empty -m '" + message + "'");
  std::string sha = git("rev-parse HEAD");
  while (!sha.empty() && (sha.back() == '\n' || sha.back() == ' ')) sha.pop_back();
  return sha;
}

void GitRepo::branch(const std::string& name) { git("checkout -q -b '" + name + "'"); }
void GitRepo::checkout(const std::string& name) { git("checkout -q '" + name + "'"); }
void GitRepo::tag(const std::string& name) { git("tag '" + name + "'"); }

json HttpResponse::json_body() const {
  json j = json::parse(body, nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

namespace {

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
  }
  return size * n;
}

}  // namespace

HttpResponse HttpClient::request(const std::string& method, const std::string& path,
                                 const std::string& body, std::vector<std::string> headers,
                                 long timeout_ms) const {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* c = curl_easy_init();
  HttpResponse res;
  std::string url = path.rfind("http", 0) == 0 ? path : base_ + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    headers.push_back("Content-Type: application/json");
  }
  struct curl_slist* list = nullptr;
  for (auto& h : headers) list = curl_slist_append(list, h.c_str());
  list = curl_slist_append(list, "Expect:");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &res.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &res.headers);
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(c);
  return res;
}

HttpResponse HttpClient::get(const std::string& path, const std::string& token) const {
  std::vector<std::string> h;
  if (!token.empty()) h.push_back("Circle-Token: " + token);
  return request("GET", path, "", h);
}

HttpResponse HttpClient::post(const std::string& path, const json& body,
                              const std::string& token) const {
  std::vector<std::string> h;
  if (!token.empty()) h.push_back("Circle-Token: " + token);
  return request("POST", path, body.dump(), h);
}

HaloServer::HaloServer(const std::filesystem::path& data_dir) : HaloServer(data_dir, Options{}) {}

HaloServer::HaloServer(const std::filesystem::path& data_dir, Options options)
    : data_dir_(data_dir), options_(std::move(options)) {}

HaloServer::~HaloServer() {
  if (pid_ > 0) stop();
}

void HaloServer::start() {
  std::filesystem::create_directories(data_dir_);
  std::filesystem::remove(data_dir_ / "server.json");
  std::string logfile = (data_dir_ / "server.log").string();
  pid_ = fork();
  if (pid_ == 0) {
    int fd = ::open(logfile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    dup2(fd, 1);
    dup2(fd, 2);
    setenv("HALO_ADMIN_TOKEN", options_.admin_token.c_str(), 1);
    for (auto& [k, v] : options_.env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<std::string> args = {HALO_BINARY, "serve", "--listen", "127.0.0.1:0",
                                     "--data-dir", data_dir_.string(), "--runners",
                                     std::to_string(options_.runners)};
    for (auto& a : options_.extra_args) args.push_back(a);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(HALO_BINARY, argv.data());
    _exit(127);
  }
  bool up = eventually(
      [&] {
        int status;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          throw std::runtime_error("halo serve exited early:\n" + log());
        }
        std::ifstream in(data_dir_ / "server.json");
        if (!in) return false;
        json j = json::parse(in, nullptr, false);
        if (j.is_discarded() || !j.contains("url")) return false;
        url_ = j["url"];
        return true;
      },
      std::chrono::seconds(60));
  if (!up) throw std::runtime_error("halo serve did not start:\n" + log());
}

int HaloServer::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void HaloServer::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string HaloServer::log() const {
  std::ifstream in(data_dir_ / "server.log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json HaloServer::create_project(const std::string& slug, const std::string& vcs_url) const {
  auto r = client().post("/api/v2/project/" + slug,
                         {{"vcs_url", vcs_url}, {"default_branch", "main"}}, token());
  if (r.status != 201) throw std::runtime_error("create project: " + std::to_string(r.status) + " " + r.body);
  return r.json_body();
}

json HaloServer::trigger(const std::string& slug, const json& body) const {
  auto r = client().post("/api/v2/project/" + slug + "/pipeline", body, token());
  if (r.status != 201) throw std::runtime_error("trigger: " + std::to_string(r.status) + " " + r.body);
  return r.json_body();
}

json HaloServer::wait_workflows(const std::string& pipeline_id,
                                std::chrono::milliseconds timeout) const {
  json last;
  static const std::vector<std::string> terminal = {"success", "failed", "canceled", "not_run",
                                                    "error", "unauthorized"};
  bool done = eventually(
      [&] {
        auto r = client().get("/api/v2/pipeline/" + pipeline_id + "/workflow", token());
        last = r.json_body();
        if (r.status != 200 || !last.contains("items") || last["items"].empty()) return false;
        for (auto& w : last["items"]) {
          if (std::find(terminal.begin(), terminal.end(), w["status"]) == terminal.end())
            return false;
          if (w["stopped_at"].is_null()) return false;
        }
        return true;
      },
      timeout);
  if (!done) throw std::runtime_error("workflows did not finish: " + last.dump());
  return last["items"];
}

json HaloServer::jobs_of(const std::string& workflow_id) const {
  return client().get("/api/v2/workflow/" + workflow_id + "/job", token()).json_body()["items"];
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace halo::test
