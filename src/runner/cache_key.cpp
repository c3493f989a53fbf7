#include "runner/cache_key.h"

#include <sys/utsname.h>

#include <cctype>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace halo::runner {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string env_or_no_value(const CacheKeyContext& c, const std::string& name) {
  auto it = c.environment.find(name);
  // Go's text/template prints a missing map key as "<no value>"; CircleCI's keys show it.
  return it == c.environment.end() ? "<no value>" : it->second;
}

// One action between {{ and }}: returns its value or throws with a message.
std::string evaluate(std::string_view action, const CacheKeyContext& c) {
  if (action == ".Branch") return env_or_no_value(c, "CIRCLE_BRANCH");
  if (action == ".BuildNum") return env_or_no_value(c, "CIRCLE_BUILD_NUM");
  if (action == ".Revision") return env_or_no_value(c, "CIRCLE_SHA1");
  if (action.rfind(".Environment.", 0) == 0) {
    std::string name(action.substr(13));
    if (name.empty()) throw std::runtime_error("{{ .Environment. }} needs a variable name");
    return env_or_no_value(c, name);
  }
  if (action == "epoch") return std::to_string(c.epoch_seconds);
  if (action == "arch") return c.arch;
  if (action.rfind("checksum", 0) == 0 &&
      (action.size() == 8 || std::isspace(static_cast<unsigned char>(action[8])))) {
    std::string_view arg = trim(action.substr(8));
    if (arg.size() < 2 || arg.front() != '"' || arg.back() != '"') {
      throw std::runtime_error("checksum takes one quoted file name");
    }
    std::string path(arg.substr(1, arg.size() - 2));
    if (path.empty()) throw std::runtime_error("checksum takes one quoted file name");
    return c.checksum(path);
  }
  throw std::runtime_error("unknown cache key template {{ " + std::string(action) + " }}");
}

}  // namespace

RenderedKey render_cache_key(const std::string& tmpl, const CacheKeyContext& context) {
  RenderedKey out;
  size_t pos = 0;
  try {
    while (pos < tmpl.size()) {
      size_t open = tmpl.find("{{", pos);
      if (open == std::string::npos) {
        out.key.append(tmpl, pos, std::string::npos);
        break;
      }
      out.key.append(tmpl, pos, open - pos);
      size_t close = tmpl.find("}}", open + 2);
      if (close == std::string::npos) throw std::runtime_error("unclosed {{ in the cache key");
      std::string_view inner = trim(std::string_view(tmpl).substr(open + 2, close - open - 2));
      // {{- and -}} trim whitespace around the action in Go templates; keys have none to trim.
      if (!inner.empty() && inner.front() == '-') inner = trim(inner.substr(1));
      if (!inner.empty() && inner.back() == '-') inner = trim(inner.substr(0, inner.size() - 1));
      out.key += evaluate(inner, context);
      pos = close + 2;
    }
  } catch (const std::exception& e) {
    out.key.clear();
    out.error = e.what();
  }
  return out;
}

std::string host_arch() {
  struct utsname u {};
  std::string machine = uname(&u) == 0 ? u.machine : "unknown";
  if (machine == "x86_64") machine = "amd64";
  if (machine == "aarch64") machine = "arm64";
  return "arch1-linux-" + machine;
}

}  // namespace halo::runner
