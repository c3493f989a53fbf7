#include "api/rest/render_cache.h"

#include <mutex>

namespace halo::rest {

std::optional<RenderCache::Entry> RenderCache::get(const std::string& id) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void RenderCache::put(const std::string& id, Entry entry) {
  std::unique_lock lock(mu_);
  if (entries_.count(id)) return;
  while (entries_.size() >= capacity_ && !order_.empty()) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
  entries_.emplace(id, std::move(entry));
  order_.push_back(id);
}

void RenderCache::clear() {
  std::unique_lock lock(mu_);
  entries_.clear();
  order_.clear();
}

}  // namespace halo::rest
