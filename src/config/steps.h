// Compiles a job's `steps:` into Plan steps: checkout and run, with `when`/`unless` steps
// expanded at compile time.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/plan.h"
#include "config/substitution.h"
#include "config/yaml_source.h"

namespace halo::config {

std::vector<Step> compile_steps(const At& steps, const Scope& scope, Diagnostics& diag);

// "10m", "30s", "1h30m", "1.5h", "500ms" -> milliseconds; nullopt when malformed.
std::optional<int64_t> parse_duration_ms(std::string_view s);
// The inverse, in whole seconds where possible ("600s", "1500ms").
std::string format_duration(int64_t ms);

// The display name CircleCI gives a checkout step.
inline constexpr const char* kCheckoutName = "Checkout code";

}  // namespace halo::config
