// Cache key templates, as CircleCI renders them for save_cache and restore_cache:
// {{ .Branch }}, {{ .BuildNum }}, {{ .Revision }}, {{ .Environment.VAR }},
// {{ checksum "file" }} (base64 of the file's SHA-256), {{ epoch }} (seconds) and {{ arch }}.
// Anything else between {{ }} is an error, so a typo fails the step instead of quietly
// producing a key that never matches.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace halo::runner {

struct CacheKeyContext {
  std::map<std::string, std::string> environment;  // the job's (CIRCLE_BRANCH, CIRCLE_SHA1...)
  // The checksum of a file named in the template (relative to the working directory); throws
  // std::runtime_error with a message when it cannot be read.
  std::function<std::string(const std::string& path)> checksum;
  int64_t epoch_seconds = 0;
  std::string arch;  // e.g. "arch1-linux-amd64"
};

struct RenderedKey {
  std::string key;
  std::string error;  // non-empty: the template is not valid
};

RenderedKey render_cache_key(const std::string& tmpl, const CacheKeyContext& context);

// This host's {{ arch }}: "arch1-<os>-<architecture>", architecture in Go's names.
std::string host_arch();

}  // namespace halo::runner
