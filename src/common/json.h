// JSON is nlohmann::json everywhere; this header names it once.
#pragma once
#include <nlohmann/json.hpp>

namespace halo {
using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;
}  // namespace halo
