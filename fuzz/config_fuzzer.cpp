// libFuzzer target for the config parser and compiler: any input must compile to a plan or to
// errors, never crash, hang or leak; what compiles must process to a fixed point. The input
// also picks pipeline values so that branch/tag filters and expressions are exercised.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config/compiler.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  halo::config::CompileInput in;
  in.source = text;
  in.pipeline_values = {{"git.branch", size % 2 ? "main" : "feature/x"},
                        {"git.tag", size % 3 ? "" : "v1.0.0"},
                        {"number", 7},
                        {"id", "fuzz"}};
  // Orbs resolve from the directory HALO_FUZZ_ORB_DIR names (unset: none resolve).
  if (const char* dir = std::getenv("HALO_FUZZ_ORB_DIR")) in.orb_dir = dir;
  auto result = halo::config::compile(in);
  if (result.ok()) {
    in.source = result.compiled_yaml;
    auto again = halo::config::compile(in);
    if (!again.ok() || again.compiled_yaml != result.compiled_yaml) std::abort();
  }
  return 0;
}
