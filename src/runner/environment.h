// Builds the environment and paths a job's processes see: a minimal base (never the server's
// own environment, which holds secrets), `~` expansion against the job's HOME, envp rendering.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace halo::runner {

using Environment = std::map<std::string, std::string>;

// PATH (the server's, or a standard one), LANG=C.UTF-8, HOME, USER and LOGNAME (when known),
// SHELL and TERM=dumb. Nothing else from the server's environment.
Environment base_environment(const std::filesystem::path& home, const std::string& shell);

// "~" and "~/x" resolve against `home`; anything else is returned unchanged.
std::filesystem::path expand_home(std::string_view path, const std::filesystem::path& home);

// "NAME=value" strings for exec. Names that exec cannot carry (empty, containing '=' or NUL)
// are dropped.
std::vector<std::string> to_envp(const Environment& env);

}  // namespace halo::runner
