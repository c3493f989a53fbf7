// libFuzzer target for the fast YAML parser, differential against yaml-cpp: whatever the fast
// parser accepts, yaml-cpp must read to the same tree (kinds, text, tags, marks); loading must
// never crash, hang or leak whichever parser reads the input.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "config/yaml_load.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto fast = halo::config::yaml::load_fast(text);
  if (fast == nullptr) return 0;
  std::unique_ptr<halo::config::yaml::Document> slow;
  try {
    slow = halo::config::yaml::load_with_yaml_cpp(text);
  } catch (const YAML::Exception& e) {
    std::fprintf(stderr, "fast parser accepted what yaml-cpp rejects: %s\n", e.what());
    std::abort();
  }
  std::string why;
  if (!halo::config::yaml::same_tree(fast->root(), slow->root(), &why)) {
    std::fprintf(stderr, "trees differ: %s\n", why.c_str());
    std::abort();
  }
  return 0;
}
