#include "engine/job_graph.h"

namespace halo::engine {

std::vector<model::GraphJob> graph_of(const std::vector<store::Job>& jobs) {
  std::vector<model::GraphJob> g;
  g.reserve(jobs.size());
  for (const auto& j : jobs) {
    model::GraphJob gj{j.name, j.status, {}};
    for (const auto& r : j.requirements)
      gj.requirements.push_back({r.at("job").get<std::string>(), r.at("statuses")});
    g.push_back(std::move(gj));
  }
  return g;
}

}  // namespace halo::engine
