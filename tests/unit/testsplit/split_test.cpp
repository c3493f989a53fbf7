// Splitting by name and by file size, and what every split promises: each node computes
// the same partition, shares are disjoint and cover every item once.
#include "testsplit/split.h"

#include <gtest/gtest.h>
#include <fstream>
#include <set>

#include "support/test_env.h"

namespace halo::testsplit {
namespace {

std::vector<std::vector<std::string>> all_shares(const std::vector<std::string>& items,
                                                 SplitOptions options) {
  std::vector<std::vector<std::string>> shares;
  for (int i = 0; i < options.total; ++i) {
    options.index = i;
    SplitResult r = split_tests(items, options);
    EXPECT_FALSE(r.error);
    shares.push_back(r.items);
  }
  return shares;
}

void expect_exact_cover(const std::vector<std::vector<std::string>>& shares,
                        const std::set<std::string>& items) {
  std::multiset<std::string> seen;
  for (const auto& share : shares) seen.insert(share.begin(), share.end());
  EXPECT_EQ(seen.size(), items.size());
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), items);
}

TEST(SplitByName, SortedItemsAreDealtRoundRobin) {
  SplitOptions options;
  options.total = 3;
  auto shares = all_shares({"e.rb", "a.rb", "d.rb", "b.rb", "c.rb", "f.rb", "g.rb"}, options);
  EXPECT_EQ(shares[0], (std::vector<std::string>{"a.rb", "d.rb", "g.rb"}));
  EXPECT_EQ(shares[1], (std::vector<std::string>{"b.rb", "e.rb"}));
  EXPECT_EQ(shares[2], (std::vector<std::string>{"c.rb", "f.rb"}));
}

TEST(SplitByName, TheInputOrderDoesNotChangeTheSplit) {
  SplitOptions options;
  options.total = 4;
  options.index = 2;
  std::vector<std::string> items;
  for (int i = 0; i < 50; ++i) items.push_back("spec/t" + std::to_string(i) + "_spec.rb");
  std::vector<std::string> reversed(items.rbegin(), items.rend());
  EXPECT_EQ(split_tests(items, options).items, split_tests(reversed, options).items);
  expect_exact_cover(all_shares(items, options), std::set<std::string>(items.begin(), items.end()));
}

TEST(SplitByName, BlankLinesAndDuplicatesDoNotBecomeTests) {
  SplitOptions options;
  options.total = 1;
  EXPECT_EQ(split_tests({"b", "", "a\r", "  ", "b", "a"}, options).items,
            (std::vector<std::string>{"a", "b"}));
}

TEST(SplitByName, MoreNodesThanItemsLeavesSomeNodesEmpty) {
  SplitOptions options;
  options.total = 5;
  auto shares = all_shares({"x", "y"}, options);
  EXPECT_EQ(shares[0], (std::vector<std::string>{"x"}));
  EXPECT_EQ(shares[1], (std::vector<std::string>{"y"}));
  for (int i = 2; i < 5; ++i) EXPECT_TRUE(shares[i].empty());
}

TEST(SplitTests, AnIndexOutsideTheNodesIsAnError) {
  SplitOptions options;
  options.total = 3;
  options.index = 3;
  SplitResult r = split_tests({"a"}, options);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error, "node index 3 is not in [0, 3)");
  EXPECT_TRUE(r.items.empty());
  options.index = -1;
  EXPECT_TRUE(split_tests({"a"}, options).error);
  options.total = 0;
  options.index = 0;
  EXPECT_TRUE(split_tests({"a"}, options).error);
}

TEST(SplitBySize, BigFilesAreSpreadAndMissingFilesWeighNothing) {
  test::TempDir dir;
  auto write = [&](const std::string& name, std::size_t bytes) {
    std::ofstream(dir.path() / name) << std::string(bytes, 'x');
  };
  write("huge.py", 9000);
  write("big.py", 5000);
  write("mid.py", 4000);
  write("s1.py", 100);
  write("s2.py", 100);
  SplitOptions options;
  options.by = SplitBy::FileSize;
  options.total = 2;
  options.working_directory = dir.path();
  auto shares = all_shares({"huge.py", "big.py", "mid.py", "s1.py", "s2.py", "gone.py"}, options);
  // 9000 against 5000 + 4000; the small ones and the weightless one fill in, lightest first.
  EXPECT_EQ(shares[0], (std::vector<std::string>{"gone.py", "huge.py", "s1.py"}));
  EXPECT_EQ(shares[1], (std::vector<std::string>{"big.py", "mid.py", "s2.py"}));
}

TEST(SplitBy, TheFlagValuesAreRead) {
  EXPECT_EQ(parse_split_by("name"), SplitBy::Name);
  EXPECT_EQ(parse_split_by("filesize"), SplitBy::FileSize);
  EXPECT_EQ(parse_split_by("timings"), SplitBy::Timings);
  EXPECT_FALSE(parse_split_by("size"));
}

}  // namespace
}  // namespace halo::testsplit
