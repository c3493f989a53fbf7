#include "testsplit/split.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <set>

#include "testsplit/timings.h"

namespace halo::testsplit {
namespace {

struct Item {
  double weight;
  const std::string* name;
};

struct Node {
  double load = 0;
  std::vector<Item> items;
};

std::size_t heaviest(const std::vector<Node>& nodes) {
  std::size_t h = 0;
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    if (nodes[i].load > nodes[h].load) h = i;
  }
  return h;
}

// Pair comparisons the improvement pass may spend: it refines LPT's answer and must stay
// cheap for tens of thousands of items. Counted, never timed, so every node stops at the
// same point.
constexpr std::uint64_t kImproveBudget = 20'000'000;

// Moves or swaps items out of the heaviest node while that lowers it below its current load
// (each step takes the best such change), until it is within 0.5% of `ideal`. Each step
// lowers the sorted list of loads, so this ends; the budget bounds it.
void improve(std::vector<Node>& nodes, double ideal, double epsilon) {
  std::uint64_t spent = 0;
  while (spent < kImproveBudget) {
    std::size_t h = heaviest(nodes);
    double top = nodes[h].load;
    if (top <= ideal * 1.005) return;
    double best = top - epsilon;
    int kind = 0;  // 0 none, 1 move, 2 swap
    std::size_t best_x = 0, best_o = 0, best_y = 0;
    for (std::size_t x = 0; x < nodes[h].items.size(); ++x) {
      double wx = nodes[h].items[x].weight;
      for (std::size_t o = 0; o < nodes.size(); ++o) {
        if (o == h) continue;
        ++spent;
        double moved = std::max(top - wx, nodes[o].load + wx);
        if (moved < best) {
          best = moved, kind = 1, best_x = x, best_o = o;
        }
        for (std::size_t y = 0; y < nodes[o].items.size(); ++y) {
          double wy = nodes[o].items[y].weight;
          ++spent;
          if (wy >= wx) continue;
          double swapped = std::max(top - wx + wy, nodes[o].load - wy + wx);
          if (swapped < best) {
            best = swapped, kind = 2, best_x = x, best_o = o, best_y = y;
          }
        }
      }
    }
    if (kind == 0) return;
    Item x = nodes[h].items[best_x];
    nodes[h].items.erase(nodes[h].items.begin() + static_cast<std::ptrdiff_t>(best_x));
    nodes[h].load -= x.weight;
    if (kind == 2) {
      Item y = nodes[best_o].items[best_y];
      nodes[best_o].items.erase(nodes[best_o].items.begin() + static_cast<std::ptrdiff_t>(best_y));
      nodes[best_o].load -= y.weight;
      nodes[h].items.push_back(y);
      nodes[h].load += y.weight;
    }
    nodes[best_o].items.push_back(x);
    nodes[best_o].load += x.weight;
  }
}

std::vector<std::string> clean(const std::vector<std::string>& items) {
  std::set<std::string> unique;
  for (std::string item : items) {
    while (!item.empty() && (item.back() == '\r' || item.back() == '\n')) item.pop_back();
    if (item.find_first_not_of(" \t") == std::string::npos) continue;
    unique.insert(std::move(item));
  }
  return {unique.begin(), unique.end()};
}

std::string format_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", s);
  return buf;
}

}  // namespace

std::optional<SplitBy> parse_split_by(std::string_view s) {
  if (s == "name") return SplitBy::Name;
  if (s == "filesize") return SplitBy::FileSize;
  if (s == "timings") return SplitBy::Timings;
  return std::nullopt;
}

std::vector<std::vector<std::string>> partition_by_name(std::vector<std::string> items, int total) {
  std::vector<std::vector<std::string>> shares(static_cast<std::size_t>(std::max(total, 1)));
  std::sort(items.begin(), items.end());
  for (std::size_t i = 0; i < items.size(); ++i) {
    shares[i % shares.size()].push_back(std::move(items[i]));
  }
  return shares;
}

std::vector<std::vector<std::string>> partition_by_weight(
    const std::map<std::string, double>& weights, int total) {
  std::vector<Item> order;
  double sum = 0;
  for (const auto& [name, w] : weights) {
    double weight = w > 0 ? w : 0;
    order.push_back({weight, &name});
    sum += weight;
  }
  // Heaviest first; equal weights in name order (the map's order, kept by a stable sort).
  std::stable_sort(order.begin(), order.end(),
                   [](const Item& a, const Item& b) { return a.weight > b.weight; });
  std::vector<Node> nodes(static_cast<std::size_t>(std::max(total, 1)));
  for (const Item& item : order) {
    std::size_t lightest = 0;
    for (std::size_t i = 1; i < nodes.size(); ++i) {
      if (nodes[i].load < nodes[lightest].load) lightest = i;
    }
    nodes[lightest].items.push_back(item);
    nodes[lightest].load += item.weight;
  }
  improve(nodes, sum / static_cast<double>(nodes.size()), sum * 1e-9);
  std::vector<std::vector<std::string>> shares;
  for (const Node& node : nodes) {
    std::vector<std::string> share;
    for (const Item& item : node.items) share.push_back(*item.name);
    std::sort(share.begin(), share.end());
    shares.push_back(std::move(share));
  }
  return shares;
}

SplitResult split_tests(const std::vector<std::string>& raw_items, const SplitOptions& options) {
  SplitResult out;
  if (options.total < 1 || options.index < 0 || options.index >= options.total) {
    out.error = "node index " + std::to_string(options.index) + " is not in [0, " +
                std::to_string(options.total) + ")";
    return out;
  }
  std::vector<std::string> items = clean(raw_items);
  auto index = static_cast<std::size_t>(options.index);

  std::map<std::string, double> weights;
  switch (options.by) {
    case SplitBy::Name:
      out.items = partition_by_name(std::move(items), options.total)[index];
      return out;
    case SplitBy::FileSize:
      for (const std::string& item : items) {
        std::error_code ec;
        std::filesystem::path p(item);
        if (p.is_relative()) p = options.working_directory / p;
        auto size = std::filesystem::file_size(p, ec);
        weights[item] = ec ? 0.0 : static_cast<double>(size);
      }
      break;
    case SplitBy::Timings: {
      std::vector<std::string> missing;
      double known_sum = 0;
      std::size_t known = 0;
      for (const std::string& item : items) {
        auto it = options.timings.find(timing_key(item));
        if (it == options.timings.end()) {
          missing.push_back(item);
        } else {
          weights[item] = std::max(it->second, 0.0);
          known_sum += weights[item];
          ++known;
        }
      }
      if (known == 0 && !items.empty()) {
        out.notes.push_back("No timing data found: splitting by name");
        out.items = partition_by_name(std::move(items), options.total)[index];
        return out;
      }
      double fallback = options.time_default.value_or(known ? known_sum / known : 0.0);
      for (const std::string& item : missing) {
        out.notes.push_back("No timing found for \"" + item + "\"");
        weights[item] = fallback;
      }
      if (!missing.empty()) {
        out.notes.push_back("Assumed " + format_seconds(fallback) + "s for each of the " +
                            std::to_string(missing.size()) + " items without timing");
      }
      break;
    }
  }
  out.items = partition_by_weight(weights, options.total)[index];
  return out;
}

}  // namespace halo::testsplit
