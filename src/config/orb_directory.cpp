#include "config/orb_directory.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "config/orb_pack.h"

namespace halo::config {

namespace {

namespace fs = std::filesystem;

// `1.2.3` -> {1, 2, 3}; nullopt for anything that is not dot-separated numbers.
std::optional<std::vector<long>> numeric_version(const std::string& v) {
  std::vector<long> out;
  size_t start = 0;
  while (start <= v.size()) {
    size_t dot = v.find('.', start);
    std::string part = v.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty() || part.size() > 9 ||
        !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    out.push_back(std::stol(part));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

// The copy at `base` (without extension) if there is one: base.yml, base/src, base/orb.yml.
std::optional<OrbCopy> copy_at(const fs::path& base, const std::string& version) {
  std::error_code ec;
  fs::path file = base;
  file += ".yml";
  if (fs::is_regular_file(file, ec)) return OrbCopy{file.string(), false, version};
  if (fs::is_directory(base / "src", ec)) return OrbCopy{(base / "src").string(), true, version};
  if (fs::is_regular_file(base / "orb.yml", ec))
    return OrbCopy{(base / "orb.yml").string(), false, version};
  return std::nullopt;
}

// Every version of `name` the namespace folder holds a copy of.
std::vector<std::string> versions_in(const fs::path& ns_dir, const std::string& name) {
  std::vector<std::string> out;
  std::error_code ec;
  std::string prefix = name + "@";
  for (fs::directory_iterator it(ns_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string entry = it->path().filename().string();
    if (entry.rfind(prefix, 0) != 0) continue;
    std::string v = entry.substr(prefix.size());
    if (it->is_regular_file(ec)) {
      if (v.size() <= 4 || v.compare(v.size() - 4, 4, ".yml") != 0) continue;
      v.resize(v.size() - 4);
    } else if (!copy_at(it->path(), v)) {
      continue;
    }
    if (!v.empty()) out.push_back(v);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// What identifies the content of a source tree: each file's path, size and time.
std::string tree_fingerprint(const fs::path& src) {
  std::vector<std::string> parts;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(src, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    auto size = it->file_size(ec);
    auto time = it->last_write_time(ec).time_since_epoch().count();
    parts.push_back(fmt::format("{}:{}:{}", it->path().string(), size, time));
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const std::string& p : parts) out += p + "\n";
  return out;
}

}  // namespace

OrbLookup find_orb_copy(const std::string& orb_dir, const std::string& ns, const std::string& name,
                        const std::string& version) {
  OrbLookup out;
  fs::path ns_dir = fs::path(orb_dir) / ns;
  if (auto exact = copy_at(ns_dir / (name + "@" + version), version)) {
    out.copy = std::move(exact);
    return out;
  }
  std::vector<std::string> versions = versions_in(ns_dir, name);
  auto wanted = numeric_version(version);
  bool ranged = version == "volatile" || (wanted && wanted->size() < 3);
  if (ranged) {
    std::optional<std::vector<long>> best;
    std::string best_name;
    for (const std::string& v : versions) {
      auto n = numeric_version(v);
      if (!n) continue;
      if (wanted && !std::equal(wanted->begin(), wanted->end(), n->begin(),
                                n->begin() + std::min(n->size(), wanted->size())))
        continue;
      if (wanted && n->size() < wanted->size()) continue;
      if (!best || *n > *best) {
        best = n;
        best_name = v;
      }
    }
    if (best) {
      out.copy = copy_at(ns_dir / (name + "@" + best_name), best_name);
      return out;
    }
  }
  if (versions.empty()) {
    if (auto any = copy_at(ns_dir / name, "")) {
      out.copy = std::move(any);
      return out;
    }
    out.why_not =
        fmt::format("{} holds no copy of {}/{} ({}/{}@{}.yml or {}/{}@{}/src)", orb_dir, ns, name,
                    ns_dir.string(), name, version, ns_dir.string(), name, version);
    return out;
  }
  std::string list;
  for (const std::string& v : versions) list += (list.empty() ? "" : ", ") + v;
  out.why_not = fmt::format("{} holds {}/{} at {}, not at {}", orb_dir, ns, name, list, version);
  return out;
}

std::optional<std::string> read_orb_copy(const OrbCopy& copy, std::string& error) {
  if (!copy.source_tree) {
    std::ifstream in(copy.path, std::ios::binary);
    if (!in) {
      error = fmt::format("{} cannot be read", copy.path);
      return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // Packing reads every file of the tree; a server compiles the same orbs again and again.
  struct Packed {
    std::string fingerprint;
    std::string yaml;
  };
  static std::mutex mu;
  static std::map<std::string, Packed> packed;
  std::string fingerprint = tree_fingerprint(copy.path);
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = packed.find(copy.path);
    if (it != packed.end() && it->second.fingerprint == fingerprint) return it->second.yaml;
  }
  PackResult r = pack_orb(copy.path);
  if (!r.ok()) {
    error = fmt::format("the source tree {} cannot be packed: {}", copy.path, r.errors.front());
    return std::nullopt;
  }
  std::lock_guard<std::mutex> lock(mu);
  packed[copy.path] = Packed{std::move(fingerprint), r.yaml};
  return r.yaml;
}

}  // namespace halo::config
