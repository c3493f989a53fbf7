// Turns workflow changes into outbox events, inside the transaction that makes the change:
// CircleCI `job-completed` / `workflow-completed` for each subscribed webhook of the project,
// and Cirrus `task` / `build` events when the project's org has a Cirrus-style hook. It only
// reads the store (committed rows of other workflows and the hook settings); the events
// commit or roll back with the change.
#pragma once
#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"

namespace halo::webhooks {

class EventBuilder {
 public:
  explicit EventBuilder(store::Store& store, std::string base_url = "");

  // The public URL used in workflow.url; set once the server knows its port.
  void set_base_url(std::string url);

  // The orchestrator's change observer: appends events to after.outbox.
  void on_change(const store::WorkflowState& before, store::WorkflowState& after);

  // A pipeline being created: Cirrus `build` and `task` events with action "created".
  void on_create(const store::Pipeline& p, const std::vector<store::Job>& jobs,
                 std::vector<store::OutboxEvent>& out);

 private:
  std::string base_url();

  store::Store& store_;
  std::mutex mu_;
  std::string base_url_;
};

}  // namespace halo::webhooks
