// Wall-clock time as milliseconds since the Unix epoch, and its RFC 3339 rendering
// (UTC with milliseconds, "2026-01-10T19:45:58.517Z") used by every API.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace halo {

// Milliseconds since the Unix epoch, from the system clock.
int64_t now_ms();

// Microseconds from a monotonic clock; for measuring durations only.
int64_t monotonic_us();

// "2026-01-10T19:45:58.517Z".
std::string rfc3339(int64_t epoch_ms);

// Parses the form rfc3339() produces (and the same without milliseconds). nullopt if malformed.
std::optional<int64_t> parse_rfc3339(const std::string& text);

}  // namespace halo
