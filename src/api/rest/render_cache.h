// Rendered JSON of resources that never change once written (a pipeline is immutable after
// its creating transaction), so hot reads skip the query and the rendering. Bounded: the
// oldest entries are dropped first. Callers still check visibility on every request.
#pragma once
#include <deque>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace halo::rest {

class RenderCache {
 public:
  explicit RenderCache(size_t capacity = 8192) : capacity_(capacity) {}

  struct Entry {
    std::string org_id;  // for the caller's visibility check
    std::string body;    // the rendered JSON
  };

  std::optional<Entry> get(const std::string& id) const;
  void put(const std::string& id, Entry entry);
  // Forgets everything (after deletions).
  void clear();

 private:
  size_t capacity_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::deque<std::string> order_;  // insertion order, for eviction
};

}  // namespace halo::rest
