#include "runner/shell.h"

#include <unistd.h>

#include <sstream>

namespace halo::runner {

const std::string& default_shell() {
  static const std::string shell =
      access("/bin/bash", X_OK) == 0 ? "/bin/bash -eo pipefail" : "/bin/sh -eo pipefail";
  return shell;
}

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

}  // namespace

std::string shell_program(const std::string& shell_line) {
  auto words = split(shell_line.empty() ? default_shell() : shell_line);
  return words.empty() ? std::string() : words.front();
}

std::vector<std::string> shell_argv(const std::string& shell_line, const std::string& script) {
  auto argv = split(shell_line);
  if (argv.empty()) argv = split(default_shell());
  argv.push_back(script);
  return argv;
}

}  // namespace halo::runner
