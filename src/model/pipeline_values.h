// Pipeline values ("pipeline.git.branch", ...): stored and shown with their full names; the
// config compiler and expressions take them without the "pipeline." prefix.
#pragma once
#include <string>
#include <string_view>

namespace halo::model {

inline constexpr std::string_view kPipelineValuePrefix = "pipeline.";

// "pipeline.git.branch" -> "git.branch"; a name without the prefix is returned unchanged.
std::string pipeline_value_key(std::string_view full_name);

}  // namespace halo::model
