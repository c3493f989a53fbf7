// CircleCI's job and workflow statuses and the rules between them. These strings are
// exactly the API's enum values.
#pragma once
#include <string>
#include <string_view>

namespace halo::model {

namespace job_status {
inline constexpr const char* kBlocked = "blocked";  // waiting on requirements
inline constexpr const char* kQueued = "queued";
inline constexpr const char* kRunning = "running";
inline constexpr const char* kOnHold = "on_hold";
inline constexpr const char* kSuccess = "success";
inline constexpr const char* kFailed = "failed";
inline constexpr const char* kCanceled = "canceled";
inline constexpr const char* kNotRun = "not_run";
inline constexpr const char* kInfrastructureFail = "infrastructure_fail";
inline constexpr const char* kTimedout = "timedout";
inline constexpr const char* kUnauthorized = "unauthorized";
}  // namespace job_status

namespace workflow_status {
inline constexpr const char* kRunning = "running";
inline constexpr const char* kFailing = "failing";
inline constexpr const char* kOnHold = "on_hold";
inline constexpr const char* kSuccess = "success";
inline constexpr const char* kFailed = "failed";
inline constexpr const char* kCanceled = "canceled";
inline constexpr const char* kNotRun = "not_run";
inline constexpr const char* kError = "error";
inline constexpr const char* kUnauthorized = "unauthorized";
}  // namespace workflow_status

// True once a job can no longer change (its outcome is final).
bool job_is_terminal(std::string_view status);

// True for terminal job outcomes that count as a failure of the workflow.
bool job_is_failure(std::string_view status);

// The status a `requires` entry compares against: CircleCI folds infrastructure_fail and
// timedout into "failed" for requirement purposes.
std::string requirement_status(std::string_view job_status);

bool workflow_is_terminal(std::string_view status);

}  // namespace halo::model
