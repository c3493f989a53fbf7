// Every input the GraphQL fuzzer ever found a problem with (fuzz/graphql-regressions/) is
// answered with data or errors, without crashing, hanging or exhausting memory.
#include <filesystem>

#include "graphql_test_util.h"

using namespace halo::graphql;
using namespace halo::graphql::testing;

TEST(GraphqlFuzzRegressions, EveryInputIsAnsweredCleanly) {
  namespace fs = std::filesystem;
  fs::path dir(HALO_GRAPHQL_FUZZ_REGRESSIONS);
  ASSERT_TRUE(fs::exists(dir)) << dir;
  ResolverMap resolvers(spec_schema());
  size_t n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().filename() == "README.md") continue;
    Json out = execute(*spec_schema(), resolvers, {read_file(entry.path().string())});
    EXPECT_TRUE(out.contains("data") || out.contains("errors")) << entry.path();
    ++n;
  }
  EXPECT_GT(n, 0u);
}
