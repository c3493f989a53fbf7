#include "runner/environment.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace halo::runner {

namespace {

std::string current_user() {
  struct passwd pw {};
  struct passwd* result = nullptr;
  std::vector<char> buf(16384);
  if (getpwuid_r(geteuid(), &pw, buf.data(), buf.size(), &result) == 0 && result &&
      result->pw_name) {
    return result->pw_name;
  }
  const char* user = std::getenv("USER");
  return user ? user : "";
}

}  // namespace

Environment base_environment(const std::filesystem::path& home, const std::string& shell) {
  Environment env;
  const char* path = std::getenv("PATH");
  env["PATH"] =
      path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  env["LANG"] = "C.UTF-8";
  env["HOME"] = home.string();
  if (std::string user = current_user(); !user.empty()) {
    env["USER"] = user;
    env["LOGNAME"] = user;
  }
  env["SHELL"] = shell;
  env["TERM"] = "dumb";
  return env;
}

std::filesystem::path expand_home(std::string_view path, const std::filesystem::path& home) {
  if (path == "~") return home;
  if (path.size() >= 2 && path[0] == '~' && path[1] == '/') return home / path.substr(2);
  return std::filesystem::path(path);
}

std::vector<std::string> to_envp(const Environment& env) {
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [name, value] : env) {
    if (name.empty() || name.find('=') != std::string::npos ||
        name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) {
      continue;
    }
    out.push_back(name + "=" + value);
  }
  return out;
}

}  // namespace halo::runner
