// `circleci tests glob` over a real directory tree.
#include "testsplit/glob_files.h"

#include <gtest/gtest.h>
#include <fstream>

#include "support/test_env.h"

namespace halo::testsplit {
namespace {

namespace fs = std::filesystem;

struct Tree {
  test::TempDir dir;
  Tree() {
    for (const char* f :
         {"spec/models/user_spec.rb", "spec/models/order_spec.rb",
          "spec/requests/api/orders_spec.rb", "spec/spec_helper.rb", "spec/a_spec.rb",
          "lib/tasks_spec.rb", "test/unit/x.test.js", "test/e2e/y.spec.ts", "README.md"}) {
      fs::create_directories((dir.path() / f).parent_path());
      std::ofstream(dir.path() / f) << f;
    }
    fs::create_directories(dir.path() / "spec/empty_spec.rb.d");
  }
  std::vector<std::string> glob(std::vector<std::string> patterns) {
    GlobResult r = glob_files(patterns, dir.path());
    EXPECT_TRUE(r.warnings.empty());
    return r.files;
  }
};

TEST(GlobFiles, ADoubleStarPatternListsMatchingFilesSortedAndSpelledLikeThePattern) {
  Tree t;
  EXPECT_EQ(
      t.glob({"spec/**/*_spec.rb"}),
      (std::vector<std::string>{"spec/a_spec.rb", "spec/models/order_spec.rb",
                                "spec/models/user_spec.rb", "spec/requests/api/orders_spec.rb"}));
  EXPECT_EQ(t.glob({"./spec/*_spec.rb"}), (std::vector<std::string>{"./spec/a_spec.rb"}));
}

TEST(GlobFiles, SeveralPatternsAndBracesGiveOneListWithoutDuplicates) {
  Tree t;
  EXPECT_EQ(t.glob({"test/**/*.{test,spec}.{js,ts}", "test/unit/*.js", "nothing/*.js"}),
            (std::vector<std::string>{"test/e2e/y.spec.ts", "test/unit/x.test.js"}));
}

TEST(GlobFiles, DirectoriesAreNeverListed) {
  Tree t;
  auto all = t.glob({"**/*"});
  EXPECT_EQ(all.size(), 9u);
  for (const auto& f : all) EXPECT_NE(f, "spec/empty_spec.rb.d");
  EXPECT_EQ(t.glob({"spec/*"}),
            (std::vector<std::string>{"spec/a_spec.rb", "spec/spec_helper.rb"}));
}

TEST(GlobFiles, AnAbsolutePatternGivesAbsolutePaths) {
  Tree t;
  std::string root = t.dir.path().string();
  GlobResult r = glob_files({root + "/lib/*.rb"}, "/nonexistent");
  EXPECT_EQ(r.files, (std::vector<std::string>{root + "/lib/tasks_spec.rb"}));
}

TEST(GlobFiles, LinkedDirectoriesAreNotEnteredSoLoopsEnd) {
  Tree t;
  fs::create_directory_symlink(t.dir.path() / "spec", t.dir.path() / "spec/models/loop");
  auto files = t.glob({"**/*_spec.rb"});
  EXPECT_EQ(files.size(), 5u);
}

TEST(GlobFiles, TheEntryLimitStopsTheWalkWithAWarning) {
  Tree t;
  GlobOptions options;
  options.max_entries = 3;
  GlobResult r = glob_files({"**/*"}, t.dir.path(), options);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "looked at 3 directory entries: the listing is incomplete");
}

TEST(GlobFiles, AnUnusablePatternIsAWarningAndTheOthersStillCount) {
  Tree t;
  std::string huge;
  for (int i = 0; i < 12; ++i) huge += "{a,b}";
  GlobResult r = glob_files({huge, "lib/*.rb"}, t.dir.path());
  EXPECT_EQ(r.files, (std::vector<std::string>{"lib/tasks_spec.rb"}));
  ASSERT_EQ(r.warnings.size(), 1u);
}

}  // namespace
}  // namespace halo::testsplit
