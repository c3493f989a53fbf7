#include "model/status.h"

namespace halo::model {

bool job_is_terminal(std::string_view s) {
  return s == job_status::kSuccess || s == job_status::kFailed || s == job_status::kCanceled ||
         s == job_status::kNotRun || s == job_status::kInfrastructureFail ||
         s == job_status::kTimedout || s == job_status::kUnauthorized ||
         s == "terminated-unknown";
}

bool job_is_failure(std::string_view s) {
  return s == job_status::kFailed || s == job_status::kInfrastructureFail ||
         s == job_status::kTimedout || s == "terminated-unknown";
}

std::string requirement_status(std::string_view s) {
  if (job_is_failure(s)) return job_status::kFailed;
  return std::string(s);
}

bool workflow_is_terminal(std::string_view s) {
  return s == workflow_status::kSuccess || s == workflow_status::kFailed ||
         s == workflow_status::kCanceled || s == workflow_status::kNotRun ||
         s == workflow_status::kError || s == workflow_status::kUnauthorized;
}

}  // namespace halo::model
