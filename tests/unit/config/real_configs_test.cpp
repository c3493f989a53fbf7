// Every real-world config in shared/configs compiles without crashing or throwing. Many
// use features outside this compiler's scope (orbs, commands, caches), so validity is not
// asserted, only that errors come back as errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config_test_util.h"

namespace halo::config {
namespace {

TEST(RealConfigs, EveryFileCompilesWithoutCrashing) {
  std::filesystem::path dir = std::filesystem::path(HALO_SHARED_DIR) / "configs";
  ASSERT_TRUE(std::filesystem::exists(dir))
      << dir << " is missing (shared/ lies beside the checkout)";
  size_t files = 0;
  size_t ok = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yml") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    ++files;
    CompileResult r;
    json values = {{"git.branch", "main"}, {"number", 1}, {"id", "x"}};
    EXPECT_NO_THROW(r = testing::compile_text(text.str(), values)) << entry.path();
    for (const auto& e : r.errors) EXPECT_FALSE(e.message.empty()) << entry.path();
    if (r.ok()) {
      ++ok;
      // What compiles also compiles again from its compiled form.
      auto again = testing::compile_text(r.compiled_yaml, values);
      EXPECT_TRUE(again.ok()) << entry.path() << "\n" << testing::all_errors(again);
    }
  }
  EXPECT_GT(files, 50u);
  std::cout << "[ info ] " << ok << " of " << files << " real configs compile cleanly\n";
}

}  // namespace
}  // namespace halo::config
