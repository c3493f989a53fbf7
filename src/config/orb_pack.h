// Packs an orb's source tree (`src/@orb.yml`, `commands/`, `jobs/`, `executors/`,
// `examples/`, `<<include(file)>>`) into one orb YAML document, as `circleci orb pack` does.
#pragma once
#include <string>
#include <vector>

namespace halo::config {

struct PackResult {
  std::string yaml;                 // the packed orb; empty when errors is not
  std::vector<std::string> errors;  // each names the file it is about
  bool ok() const { return errors.empty(); }
};

// `src_dir` is the directory that holds @orb.yml. Each `<name>.yml` (or .yaml) under
// commands/, jobs/, executors/ and examples/ becomes `<dir>.<name>`. A string value that is
// exactly `<<include(path)>>` is replaced by the content of src_dir/path.
PackResult pack_orb(const std::string& src_dir);

}  // namespace halo::config
