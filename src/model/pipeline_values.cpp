#include "model/pipeline_values.h"

namespace halo::model {

std::string pipeline_value_key(std::string_view full_name) {
  if (full_name.starts_with(kPipelineValuePrefix))
    full_name.remove_prefix(kPipelineValuePrefix.size());
  return std::string(full_name);
}

}  // namespace halo::model
