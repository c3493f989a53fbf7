// A workflow's jobs as the DAG rules (model/workflow_graph.h, model/rerun_selection.h) see
// them: name, status and requirements, index for index.
#pragma once
#include <vector>

#include "model/workflow_graph.h"
#include "store/records.h"

namespace halo::engine {

std::vector<model::GraphJob> graph_of(const std::vector<store::Job>& jobs);

}  // namespace halo::engine
