#include "protocol/job_payload.h"

namespace halo::protocol {

const char* to_string(StepStatus s) {
  switch (s) {
    case StepStatus::Success:
      return "success";
    case StepStatus::Failed:
      return "failed";
    case StepStatus::Canceled:
      return "canceled";
    case StepStatus::TimedOut:
      return "timedout";
    case StepStatus::Skipped:
      return "skipped";
  }
  return "unknown";
}

const char* to_string(JobOutcome o) {
  switch (o) {
    case JobOutcome::Success:
      return "success";
    case JobOutcome::Failed:
      return "failed";
    case JobOutcome::Canceled:
      return "canceled";
    case JobOutcome::TimedOut:
      return "timedout";
    case JobOutcome::InfrastructureFail:
      return "infrastructure_fail";
  }
  return "unknown";
}

}  // namespace halo::protocol
