// Every input the fuzzer ever found a problem with (fuzz/regressions/) keeps compiling to a
// plan or to errors, without crashing, and what compiles processes to a fixed point.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config_test_util.h"

namespace halo::config {
namespace {

TEST(FuzzRegressions, EveryInputCompilesOrFailsCleanly) {
  namespace fs = std::filesystem;
  fs::path dir(HALO_FUZZ_REGRESSIONS);
  ASSERT_TRUE(fs::exists(dir)) << dir;
  size_t n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().filename() == "README.md") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    // The same pipeline values the fuzzer derives from the input's size.
    size_t size = text.str().size();
    json values = {{"git.branch", size % 2 ? "main" : "feature/x"},
                   {"git.tag", size % 3 ? "" : "v1.0.0"},
                   {"number", 7},
                   {"id", "fuzz"}};
    CompileResult r;
    ASSERT_NO_THROW(r = testing::compile_text(text.str(), values)) << entry.path();
    for (const auto& e : r.errors) EXPECT_FALSE(e.message.empty()) << entry.path();
    if (r.ok()) {
      auto again = testing::compile_text(r.compiled_yaml, values);
      EXPECT_TRUE(again.ok()) << entry.path() << "\n" << testing::all_errors(again);
      EXPECT_EQ(again.compiled_yaml, r.compiled_yaml) << entry.path();
    }
    ++n;
  }
  EXPECT_GT(n, 0u);
}

}  // namespace
}  // namespace halo::config
