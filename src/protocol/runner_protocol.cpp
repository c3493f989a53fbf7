#include "protocol/runner_protocol.h"

namespace halo::protocol {

const char* to_string(LeaseState s) {
  switch (s) {
    case LeaseState::Ok:
      return "ok";
    case LeaseState::Canceled:
      return "canceled";
    case LeaseState::Stale:
      return "stale";
  }
  return "unknown";
}

}  // namespace halo::protocol
