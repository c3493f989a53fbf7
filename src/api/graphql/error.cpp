#include "api/graphql/error.h"

namespace halo::graphql {

Json Error::to_json() const {
  Json out = Json::object();
  out["message"] = message;
  if (!locations.empty()) {
    Json locs = Json::array();
    for (const auto& l : locations) locs.push_back(Json{{"line", l.line}, {"column", l.column}});
    out["locations"] = std::move(locs);
  }
  if (path.is_array()) out["path"] = path;
  return out;
}

Json errors_to_json(const std::vector<Error>& errors) {
  Json out = Json::array();
  for (const auto& e : errors) out.push_back(e.to_json());
  return out;
}

}  // namespace halo::graphql
