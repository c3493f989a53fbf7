// `circleci tests split`: which of a list of tests node `index` of `total` runs. Every
// node runs the same function on the same input, so the shares must be computed the same
// way everywhere: everything here is deterministic (no randomness, no hashing, no clock),
// the shares are disjoint and together hold every item exactly once.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::testsplit {

enum class SplitBy { Name, FileSize, Timings };

// "name", "filesize" or "timings" (the --split-by values); nullopt for anything else.
std::optional<SplitBy> parse_split_by(std::string_view s);

struct SplitOptions {
  SplitBy by = SplitBy::Name;
  int index = 0;  // CIRCLE_NODE_INDEX
  int total = 1;  // CIRCLE_NODE_TOTAL
  // For Timings: seconds per item, looked up by timing_key(item) (see timings.h).
  std::map<std::string, double> timings;
  // For Timings: the seconds given to an item with no timing (--time-default). Unset, such
  // items get the mean of the items that have one.
  std::optional<double> time_default;
  // For FileSize: where relative items are found.
  std::filesystem::path working_directory;
};

struct SplitResult {
  std::vector<std::string> items;  // this node's share, in name order
  // Lines for the step's output, as CircleCI prints them: `No timing found for "x"`,
  // "No timing data found: splitting by name", ...
  std::vector<std::string> notes;
  // Set for a request that cannot be honoured (index not in [0, total)); items is empty.
  std::optional<std::string> error;
};

// The share of node `options.index`. Blank items are dropped and duplicates count once.
//  - Name: items in byte order dealt out round-robin: the i-th goes to node i % total.
//  - FileSize: each file's size in bytes is its weight (a missing file weighs 0), then as
//    partition_by_weight.
//  - Timings: each item's seconds is its weight, then as partition_by_weight. When not one
//    item has a timing, as Name (the first run of a job has none).
SplitResult split_tests(const std::vector<std::string>& items, const SplitOptions& options);

// Every node's share for `weights` (item -> weight; negative counts as 0):
// longest-processing-time first (heaviest item to the lightest node; ties by name, then
// lowest node), then items are moved or swapped out of the heaviest node while that makes
// it lighter, until it is within 0.5% of the ideal (total / nodes) or no change helps.
// LPT alone guarantees 4/3 of the optimum; the refinement closes most of the rest (with
// no item heavier than the ideal, a 3-node share is in practice within a few percent of
// it). Each share is in name order.
std::vector<std::vector<std::string>> partition_by_weight(
    const std::map<std::string, double>& weights, int total);

// Every node's share by name, as split_tests with SplitBy::Name.
std::vector<std::vector<std::string>> partition_by_name(std::vector<std::string> items, int total);

}  // namespace halo::testsplit
