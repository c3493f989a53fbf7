// Maps (method, path) to a handler. Patterns are written like the CircleCI spec:
// "/api/v2/project/{project-slug}/pipeline/{number}". A parameter named "project-slug"
// spans three segments ("gh/acme/app"; "%2F"-escaped slashes are decoded before routing),
// a parameter written "{name...}" (last in its pattern) spans the rest of the path, and any
// other parameter spans one. Literal segments win over parameters.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "api/http/message.h"

namespace halo::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  void add(const std::string& method, const std::string& pattern, Handler handler);

  enum class Match { Found, NoPath, NoMethod };
  // On Found, sets req.params and returns the handler through `out`.
  Match route(Request& req, const Handler** out) const;

  struct Entry {
    std::string method;
    std::string pattern;
  };
  // Every registered route (in matching order, not registration order).
  std::vector<Entry> routes() const;

 private:
  struct Segment {
    std::string literal;  // empty for a parameter
    int span = 0;         // segments a parameter consumes
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    int literals = 0;
    Handler handler;
  };
  static bool match(const Route& r, const std::vector<std::string_view>& parts,
                    std::vector<std::string>& params);
  std::vector<Route> routes_;
};

std::vector<std::string_view> split_path(std::string_view path);

}  // namespace halo::http
