// Splitting by timings: balanced shares with known times, CircleCI's handling of items
// without a timing, and the fallback to names on a job's first run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>

#include "testsplit/split.h"

namespace halo::testsplit {
namespace {

double share_seconds(const std::vector<std::string>& share,
                     const std::map<std::string, double>& t) {
  double sum = 0;
  for (const auto& item : share) sum += t.at(item);
  return sum;
}

// A deterministic spread of test-file durations with a long tail, like a real suite:
// most files take a second or two, a few take a minute.
std::map<std::string, double> realistic_timings(int files, std::uint32_t seed) {
  std::map<std::string, double> t;
  std::uint32_t x = seed;
  for (int i = 0; i < files; ++i) {
    x = x * 1664525u + 1013904223u;
    double u = (x >> 8) / double(1 << 24);
    double seconds = 0.2 + 2.0 * u;
    if (x % 17 == 0) seconds += 40 * u;  // the odd slow integration file
    t["spec/f" + std::to_string(i) + "_spec.rb"] = seconds;
  }
  return t;
}

TEST(SplitByTimings, AThreeNodeSplitsLargestShareIsWithinTwentyPercentOfTheIdeal) {
  int checked = 0;
  for (std::uint32_t seed : {1u, 7u, 42u, 1234u}) {
    for (int files : {9, 30, 200}) {
      auto timings = realistic_timings(files, seed);
      double total = 0;
      for (const auto& [_, s] : timings) total += s;
      double ideal = total / 3;
      double longest = 0;
      for (const auto& [_, s] : timings) longest = std::max(longest, s);
      if (longest > ideal) continue;  // no split can beat the longest single file
      auto shares = partition_by_weight(timings, 3);
      double largest = 0;
      for (const auto& share : shares) largest = std::max(largest, share_seconds(share, timings));
      EXPECT_LE(largest, ideal * 1.2) << "seed " << seed << ", " << files << " files";
      ++checked;
    }
  }
  EXPECT_GE(checked, 8);  // the data must not make the check vacuous
}

TEST(SplitByTimings, TheRefinementFixesWhatGreedyAloneGetsWrong) {
  // Longest-processing-time first puts 5+3+3 = 11 on one node; 9 on each is possible.
  std::map<std::string, double> t = {{"a", 5}, {"b", 5}, {"c", 4}, {"d", 4},
                                     {"e", 3}, {"f", 3}, {"g", 3}};
  auto shares = partition_by_weight(t, 3);
  for (const auto& share : shares) EXPECT_DOUBLE_EQ(share_seconds(share, t), 9);
}

TEST(SplitByTimings, EveryNodeComputesTheSamePartitionFromTheSameData) {
  auto timings = realistic_timings(500, 99);
  SplitOptions options;
  options.by = SplitBy::Timings;
  options.total = 4;
  options.timings = timings;
  std::vector<std::string> items;
  for (const auto& [name, _] : timings) items.push_back(name);
  std::set<std::string> seen;
  for (int i = 0; i < 4; ++i) {
    options.index = i;
    auto first = split_tests(items, options).items;
    std::reverse(items.begin(), items.end());
    EXPECT_EQ(split_tests(items, options).items, first);
    for (const auto& item : first) EXPECT_TRUE(seen.insert(item).second) << item << " twice";
  }
  EXPECT_EQ(seen.size(), items.size());
}

TEST(SplitByTimings, ItemsWithoutTimingGetTheMeanAndAreNamed) {
  SplitOptions options;
  options.by = SplitBy::Timings;
  options.total = 2;
  options.timings = {{"a.py", 10}, {"b.py", 2}};
  // new.py has no timing: it weighs the mean, 6, so it joins b.py (2) rather than a.py (10).
  options.index = 1;
  SplitResult r = split_tests({"a.py", "b.py", "new.py"}, options);
  EXPECT_EQ(r.items, (std::vector<std::string>{"b.py", "new.py"}));
  EXPECT_EQ(r.notes,
            (std::vector<std::string>{"No timing found for \"new.py\"",
                                      "Assumed 6s for each of the 1 items without timing"}));
}

TEST(SplitByTimings, TimeDefaultReplacesTheMean) {
  SplitOptions options;
  options.by = SplitBy::Timings;
  options.total = 2;
  options.timings = {{"a.py", 10}, {"b.py", 2}};
  options.time_default = 100;
  options.index = 0;
  // new.py now weighs 100: alone on node 0, a.py and b.py together on node 1.
  EXPECT_EQ(split_tests({"a.py", "b.py", "new.py"}, options).items,
            (std::vector<std::string>{"new.py"}));
}

TEST(SplitByTimings, WithNoTimingAtAllTheSplitIsByName) {
  SplitOptions options;
  options.by = SplitBy::Timings;
  options.total = 2;
  options.index = 0;
  SplitResult r = split_tests({"c", "a", "b"}, options);
  EXPECT_EQ(r.items, (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(r.notes, (std::vector<std::string>{"No timing data found: splitting by name"}));
}

TEST(SplitByTimings, ADotSlashItemFindsTheTimingOfItsFile) {
  SplitOptions options;
  options.by = SplitBy::Timings;
  options.total = 2;
  options.timings = {{"spec/a_spec.rb", 30}, {"spec/b_spec.rb", 1}, {"spec/c_spec.rb", 1}};
  options.index = 0;
  SplitResult r =
      split_tests({"./spec/a_spec.rb", "./spec/b_spec.rb", "./spec/c_spec.rb"}, options);
  EXPECT_TRUE(r.notes.empty());
  EXPECT_EQ(r.items, (std::vector<std::string>{"./spec/a_spec.rb"}));
}

}  // namespace
}  // namespace halo::testsplit

namespace halo::testsplit {
namespace {

TEST(SplitByTimings, ALargeSuiteIsStillSplitIntoBalancedDisjointShares) {
  auto timings = realistic_timings(20000, 5);
  auto shares = partition_by_weight(timings, 7);
  std::size_t count = 0;
  double total = 0, largest = 0;
  for (const auto& [_, s] : timings) total += s;
  for (const auto& share : shares) {
    count += share.size();
    largest = std::max(largest, share_seconds(share, timings));
  }
  EXPECT_EQ(count, timings.size());
  EXPECT_LE(largest, total / 7 * 1.01);
}

}  // namespace
}  // namespace halo::testsplit
