// Turns a step's shell setting into the argv that runs a script file, the way CircleCI does:
// the shell line split on spaces, with the script's path appended as the last argument.
#pragma once
#include <string>
#include <vector>

namespace halo::runner {

// "/bin/bash -eo pipefail", or "/bin/sh -eo pipefail" on hosts without bash.
const std::string& default_shell();

// The program of a shell line ("/bin/bash" for "/bin/bash -eo pipefail").
std::string shell_program(const std::string& shell_line);

// `shell_line` (empty: default_shell()) split on spaces, then `script`.
std::vector<std::string> shell_argv(const std::string& shell_line, const std::string& script);

}  // namespace halo::runner
