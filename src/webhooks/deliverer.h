// Sends outbox events to their receivers, at least once each: one thread drives up to
// `max_in_flight` concurrent HTTP POSTs (libcurl multi), records every attempt, and
// reschedules failures per RetryPolicy. It wakes when notify() says events were committed,
// when a retry falls due, or when a transfer progresses; it never polls the store in a loop.
// Events still pending when halo stops (or is killed) are in the outbox and go out after
// the next start, with the same payload id.
#pragma once
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "common/secrets_vault.h"
#include "store/store.h"
#include "webhooks/retry_policy.h"

typedef void CURLM;

namespace halo::webhooks {

struct DelivererOptions {
  int max_in_flight = 32;
  long timeout_ms = 10'000;  // no answer within this counts as a failure
  RetryPolicy retry;
};

class Deliverer {
 public:
  // `master_key` opens the sealed signing secrets.
  Deliverer(store::Store& store, std::string master_key, DelivererOptions options = {});
  ~Deliverer();
  Deliverer(const Deliverer&) = delete;
  Deliverer& operator=(const Deliverer&) = delete;

  void start();
  // Abandons transfers in flight (their events stay pending) and joins the thread.
  void stop();
  // New events were committed: look now. Safe from any thread, cheap, never blocks.
  void notify();

 private:
  struct Transfer;
  void run();
  // Starts transfers for due events; false when every slot is busy.
  void start_due();
  void begin(const store::OutboxEvent& e);
  void finish(const Transfer& t, int status_code, const std::string& error);
  void collect_done();

  store::Store& store_;
  SecretsVault vault_;
  DelivererOptions options_;
  CURLM* multi_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  // Transfers by outbox seq; touched by the delivery thread only.
  std::map<int64_t, std::unique_ptr<Transfer>> in_flight_;
};

}  // namespace halo::webhooks
