#include "config/yaml_source.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <new>
#include <unordered_set>

#include <fmt/format.h>

namespace halo::config {

At::At(yaml::Node n, std::string p, const At* fallback) : node(n), path(std::move(p)) {
  yaml::Mark m = node.Mark();
  if (!m.is_null()) {
    line = m.line + 1;
    column = m.column + 1;
  } else if (fallback != nullptr) {
    line = fallback->line;
    column = fallback->column;
  }
}

std::string At::child_path(std::string_view key) const {
  if (path.empty()) return std::string(key);
  std::string out;
  out.reserve(path.size() + 1 + key.size());
  out.append(path).append(1, '.').append(key);
  return out;
}

At At::child(std::string_view key, yaml::Node value) const {
  return At(value, child_path(key), this);
}

At At::item(size_t index, yaml::Node value) const {
  std::string p;
  p.reserve(path.size() + 8);
  p.append(path).append(1, '[').append(std::to_string(index)).append(1, ']');
  return At(value, std::move(p), this);
}

void Diagnostics::error(const At& at, std::string message) {
  error(at.path, at.line, at.column, std::move(message));
}

void Diagnostics::error(std::string path, int line, int column, std::string message) {
  std::string id = fmt::format("{}\n{}\n{}\n{}", path, line, column, message);
  if (!seen_.insert(std::move(id)).second) return;
  if (errors_.size() == kMaxErrors) {
    errors_.push_back({"", 0, 0, "too many errors; stopped reporting"});
    return;
  }
  if (errors_.size() > kMaxErrors) return;
  errors_.push_back({std::move(path), line, column, std::move(message)});
}

void Diagnostics::warning(const At& at, std::string message) {
  // The same warning from every use of one definition is said once.
  std::string id = fmt::format("w\n{}\n{}\n{}\n{}", at.path, at.line, at.column, message);
  if (!seen_.insert(std::move(id)).second || warnings_.size() >= kMaxErrors) return;
  warnings_.push_back({at.path, at.line, at.column, std::move(message)});
}

bool Diagnostics::spend(const At& at, size_t units) {
  if (exhausted_) return false;
  spent_ += units;
  if (spent_ <= kBudget) return true;
  exhausted_ = true;
  error(at, "the configuration is too large to compile (aliases expand to too many nodes)");
  return false;
}

namespace {

bool is_merge_key(yaml::Node key) {
  return key.IsScalar() && is_plain(key) && key.Scalar() == "<<";
}

// Depth bounds merges of merges; yaml-cpp already bounds document nesting.
constexpr int kMaxMergeDepth = 64;

// Names already collected. Small maps (nearly all) are searched in place; large ones get a
// hash set, so that hostile configs with many keys stay linear.
class SeenKeys {
 public:
  explicit SeenKeys(const std::vector<Entry>& out) : out_(out) {}
  // True when `name` is new (and records it).
  bool insert(std::string_view name) {
    if (!big_) {
      for (const Entry& e : out_) {
        if (e.name == name) return false;
      }
      if (out_.size() < kSmall) return true;
      big_ = true;
      for (const Entry& e : out_) set_.insert(e.name);
    }
    return set_.insert(std::string(name)).second;
  }

 private:
  static constexpr size_t kSmall = 32;
  const std::vector<Entry>& out_;
  bool big_ = false;
  std::unordered_set<std::string> set_;
};

// `visited` holds the merge sources already collected: a map merged twice adds nothing
// the second time, and skipping it keeps merge-key "bombs" linear.
void collect(const At& map, Diagnostics& diag, std::vector<Entry>& out, SeenKeys& have,
             std::vector<yaml::Node>& visited, bool merged, int depth) {
  std::vector<At> sources;
  for (const auto& [k, v] : map.node.pairs()) {
    if (!diag.spend(map)) return;
    if (is_merge_key(k)) {
      At src(v, map.path, &map);
      if (src.node.IsMap()) {
        sources.push_back(src);
      } else if (src.node.IsSequence()) {
        size_t i = 0;
        for (const yaml::Node& s : src.node.items()) {
          At one = src.item(i++, s);
          one.path = map.path;
          if (s.IsMap()) {
            sources.push_back(one);
          } else {
            diag.error(one, "a merge key (<<) takes a map or a list of maps");
          }
        }
      } else {
        diag.error(src, "a merge key (<<) takes a map or a list of maps");
      }
      continue;
    }
    if (!k.IsScalar()) {
      diag.error(At(k, map.path, &map), "keys must be strings");
      continue;
    }
    const std::string& name = k.Scalar();
    std::string path = map.child_path(name);
    At key(k, path, &map);
    if (!have.insert(name)) {
      if (merged) continue;
      // The last one wins, as in the YAML loader CircleCI used before pipelines (configs
      // from then still hold duplicates: eliotjordan/ruby_tika_app's two `jobs:`).
      diag.warning(key, fmt::format("duplicate key {}: the last one is used", name));
      auto earlier =
          std::find_if(out.begin(), out.end(), [&](const Entry& e) { return e.name == name; });
      if (earlier != out.end()) {
        earlier->value = At(v, std::move(path), &key);
        earlier->key = std::move(key);
      }
      continue;
    }
    At value(v, std::move(path), &key);
    out.push_back({name, std::move(key), std::move(value)});
  }
  if (sources.empty()) return;
  if (depth >= kMaxMergeDepth) {
    diag.error(map, "merge keys are nested too deeply");
    return;
  }
  // Merged keys never override explicit ones, and never trigger duplicate errors.
  for (const At& src : sources) {
    bool seen = std::any_of(visited.begin(), visited.end(),
                            [&](const yaml::Node& n) { return n.is(src.node); });
    if (seen) continue;
    visited.push_back(src.node);
    collect(src, diag, out, have, visited, true, depth + 1);
  }
}

}  // namespace

std::vector<Entry> entries(const At& map, Diagnostics& diag, std::string_view what) {
  std::vector<Entry> out;
  if (!map.node.IsMap()) {
    diag.error(map, fmt::format("{} must be a map, not a {}", what, kind_name(map.node)));
    return out;
  }
  out.reserve(map.node.size());
  SeenKeys have(out);
  std::vector<yaml::Node> visited;
  collect(map, diag, out, have, visited, false, 0);
  return out;
}

const Entry* find(const std::vector<Entry>& es, std::string_view name) {
  for (const Entry& e : es) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

void reject_unknown_keys(const std::vector<Entry>& es,
                         std::initializer_list<std::string_view> allowed, Diagnostics& diag,
                         std::string_view what) {
  for (const Entry& e : es) {
    if (std::find(allowed.begin(), allowed.end(), e.name) == allowed.end()) {
      diag.error(e.key, fmt::format("unknown key {} in {}", e.name, what));
    }
  }
}

std::vector<At> items(const At& seq, Diagnostics& diag, std::string_view what) {
  std::vector<At> out;
  if (!seq.node.IsSequence()) {
    diag.error(seq, fmt::format("{} must be a list, not a {}", what, kind_name(seq.node)));
    return out;
  }
  size_t i = 0;
  for (const yaml::Node& n : seq.node.items()) {
    if (!diag.spend(seq)) break;
    out.push_back(seq.item(i++, n));
  }
  return out;
}

bool is_plain(yaml::Node n) {
  return n.Tag() == "?";
}

std::optional<bool> parse_bool_word(std::string_view s) {
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "true" || lower == "yes" || lower == "on") return true;
  if (lower == "false" || lower == "no" || lower == "off") return false;
  return std::nullopt;
}

std::optional<int64_t> parse_int(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || s.size() > 24) return std::nullopt;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

json typed_scalar(yaml::Node n) {
  if (!n.IsDefined() || n.IsNull()) return nullptr;
  if (!n.IsScalar()) return nullptr;
  const std::string& s = n.Scalar();
  if (!is_plain(n)) return s;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (auto b = parse_bool_word(s)) return *b;
  if (auto i = parse_int(s)) return *i;
  return s;
}

std::string kind_name(yaml::Node n) {
  if (!n.IsDefined() || n.IsNull()) return "null";
  if (n.IsMap()) return "map";
  if (n.IsSequence()) return "list";
  if (n.IsScalar()) {
    json v = typed_scalar(n);
    if (v.is_boolean()) return "boolean";
    if (v.is_number_integer()) return "integer";
    return "string";
  }
  return "value";
}

}  // namespace halo::config
