#include "api/http/router.h"

#include <algorithm>

namespace halo::http {

std::vector<Router::Entry> Router::routes() const {
  std::vector<Entry> out;
  for (const auto& r : routes_) out.push_back({r.method, r.pattern});
  return out;
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    parts.push_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler) {
  Route r;
  r.method = method;
  r.pattern = pattern;
  for (auto part : split_path(pattern)) {
    Segment s;
    if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      s.span = part == "{project-slug}" ? 3 : part.ends_with("...}") ? -1 : 1;
    } else {
      s.literal = std::string(part);
      ++r.literals;
    }
    r.segments.push_back(std::move(s));
  }
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
  // Most literal segments first, so "/pipeline/mine" beats "/pipeline/{number}".
  std::stable_sort(routes_.begin(), routes_.end(),
                   [](const Route& a, const Route& b) { return a.literals > b.literals; });
}

bool Router::match(const Route& r, const std::vector<std::string_view>& parts,
                   std::vector<std::string>& params) {
  size_t i = 0;
  params.clear();
  for (const auto& s : r.segments) {
    if (s.span == 0) {
      if (i >= parts.size() || parts[i] != s.literal) return false;
      ++i;
      continue;
    }
    if (s.span < 0) {
      // The rest of the path, one segment at least ("{path...}", last in its pattern).
      if (i >= parts.size()) return false;
      std::string value;
      for (size_t k = i; k < parts.size(); ++k) {
        if (k > i) value += '/';
        value += parts[k];
      }
      params.push_back(std::move(value));
      i = parts.size();
      continue;
    }
    if (i + static_cast<size_t>(s.span) > parts.size()) return false;
    std::string value;
    for (int k = 0; k < s.span; ++k) {
      if (k) value += '/';
      value += parts[i + static_cast<size_t>(k)];
    }
    params.push_back(std::move(value));
    i += static_cast<size_t>(s.span);
  }
  return i == parts.size();
}

Router::Match Router::route(Request& req, const Handler** out) const {
  auto parts = split_path(req.path);
  std::vector<std::string> params;
  bool path_matched = false;
  for (const auto& r : routes_) {
    if (!match(r, parts, params)) continue;
    path_matched = true;
    if (r.method != req.method) continue;
    req.params = std::move(params);
    req.route = r.pattern;
    *out = &r.handler;
    return Match::Found;
  }
  return path_matched ? Match::NoMethod : Match::NoPath;
}

}  // namespace halo::http
