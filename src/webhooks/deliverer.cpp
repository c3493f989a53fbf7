#include "webhooks/deliverer.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

#include "common/secrets_vault.h"
#include "common/time.h"
#include "webhooks/signature.h"

namespace halo::webhooks {

namespace {

// Without a poke, the thread still looks at the outbox this often, so events written by
// another process sharing the database (or a missed notify) are not stranded.
constexpr int kIdleWakeMs = 60'000;
// While transfers are in flight, the earliest pending event may be one of them, so the due
// time of the rest is unknown; look again at least this often.
constexpr int kBusyWakeMs = 1'000;

size_t discard(char*, size_t size, size_t n, void*) {
  return size * n;
}

// Where and how to send one event, resolved at attempt time (the hook may have changed).
struct Target {
  std::string url;
  bool verify_tls = true;
  std::vector<std::string> headers;
  std::string error;  // non-empty: cannot be delivered at all
};

Target resolve(store::Store& store, const SecretsVault& vault, const store::OutboxEvent& e) {
  Target t;
  if (e.kind == "circleci") {
    auto hook = store.webhook_by_id(e.target_id);
    if (!hook) return Target{"", true, {}, "the webhook was deleted"};
    auto secret = vault.open_webhook_secret(hook->id, hook->secret_sealed);
    if (!secret)
      return Target{"", true, {}, "the signing secret cannot be opened with this master key"};
    t.url = hook->url;
    t.verify_tls = hook->verify_tls;
    t.headers = {"content-type: application/json", "user-agent: CircleCI-Webhook/1.0",
                 "circleci-event-type: " + e.event_type};
    if (!secret->empty())
      t.headers.push_back("circleci-signature: " + circleci_signature(*secret, e.body));
  } else if (e.kind == "cirrus") {
    auto settings = store.org_settings(e.target_id);
    if (settings.cirrus_url.empty())
      return Target{"", true, {}, "the organization's webhook was removed"};
    auto secret = vault.open_cirrus_secret(e.target_id, settings.cirrus_secret_sealed);
    if (!secret)
      return Target{"", true, {}, "the webhook secret cannot be opened with this master key"};
    t.url = settings.cirrus_url;
    t.headers = {"Content-Type: application/json", "User-Agent: halo-webhooks/1.0",
                 "X-Cirrus-Event: " + e.event_type};
    if (!secret->empty())
      t.headers.push_back("X-Cirrus-Signature: " + cirrus_signature(*secret, e.body));
  } else {
    t.error = "unknown event kind '" + e.kind + "'";
  }
  // Without this curl would send "Expect: 100-continue" for larger bodies and wait for it.
  t.headers.push_back("Expect:");
  return t;
}

}  // namespace

struct Deliverer::Transfer {
  store::OutboxEvent event;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  int64_t started_at = 0;
  int64_t started_us = 0;
  char error[CURL_ERROR_SIZE] = {0};

  ~Transfer() {
    if (easy) curl_easy_cleanup(easy);
    if (headers) curl_slist_free_all(headers);
  }
};

Deliverer::Deliverer(store::Store& store, std::string master_key, DelivererOptions options)
    : store_(store), vault_(std::move(master_key)), options_(options), multi_(curl_multi_init()) {
  if (!multi_) throw std::runtime_error("curl_multi_init failed");
}

Deliverer::~Deliverer() {
  stop();
  curl_multi_cleanup(multi_);
}

void Deliverer::start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { run(); });
}

void Deliverer::stop() {
  stop_ = true;
  curl_multi_wakeup(multi_);
  if (thread_.joinable()) thread_.join();
}

void Deliverer::notify() {
  curl_multi_wakeup(multi_);
}

void Deliverer::run() {
  std::vector<std::unique_ptr<Transfer>> owned;
  while (!stop_) {
    try {
      start_due();
      int running = 0;
      curl_multi_perform(multi_, &running);
      collect_done();
      start_due();
    } catch (const std::exception& e) {
      // A store failure (disk full, locked) must not kill delivery for good.
      spdlog::error("webhook delivery: {}", e.what());
    }
    int wait_ms = kIdleWakeMs;
    if (!in_flight_.empty()) wait_ms = kBusyWakeMs;
    try {
      if (auto due = store_.next_event_due()) {
        int64_t until = *due - now_ms();
        if (until > 0)
          wait_ms = static_cast<int>(std::min<int64_t>(until, wait_ms));
        else if (in_flight_.empty())
          wait_ms = 100;  // due yet not started: store trouble
      }
    } catch (const std::exception& e) {
      spdlog::error("webhook delivery: {}", e.what());
      wait_ms = 1000;
    }
    curl_multi_poll(multi_, nullptr, 0, wait_ms, nullptr);
  }
  // Abandon what is in flight: those events are still pending in the outbox.
  for (auto& [seq, t] : in_flight_) curl_multi_remove_handle(multi_, t->easy);
  in_flight_.clear();
}

void Deliverer::start_due() {
  int free_slots = options_.max_in_flight - static_cast<int>(in_flight_.size());
  if (free_slots <= 0) return;
  auto due = store_.due_events(now_ms(), free_slots + static_cast<int>(in_flight_.size()));
  for (const auto& e : due) {
    if (free_slots == 0) break;
    if (in_flight_.count(e.seq)) continue;
    begin(e);
    --free_slots;
  }
}

void Deliverer::begin(const store::OutboxEvent& e) {
  auto t = std::make_unique<Transfer>();
  t->event = e;
  t->started_at = now_ms();
  t->started_us = monotonic_us();
  Target target = resolve(store_, vault_, e);
  if (!target.error.empty()) {
    // Nothing to send to: a retry cannot help.
    store_.record_delivery({e.seq, t->started_at, 0, target.error, 0}, "failed", t->started_at);
    return;
  }
  t->easy = curl_easy_init();
  if (!t->easy) throw std::runtime_error("curl_easy_init failed");
  for (const auto& h : target.headers) t->headers = curl_slist_append(t->headers, h.c_str());
  CURL* c = t->easy;
  curl_easy_setopt(c, CURLOPT_URL, target.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, t->event.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t->event.body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, t->headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, options_.timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect is not a delivery
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, target.verify_tls ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, target.verify_tls ? 2L : 0L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, t->error);
  curl_easy_setopt(c, CURLOPT_PRIVATE, t.get());
  curl_multi_add_handle(multi_, c);
  in_flight_.emplace(e.seq, std::move(t));
}

void Deliverer::collect_done() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    Transfer* raw = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &raw);
    auto node = in_flight_.extract(raw->event.seq);
    std::unique_ptr<Transfer> t = std::move(node.mapped());
    CURLcode rc = msg->data.result;
    curl_multi_remove_handle(multi_, t->easy);
    long code = 0;
    std::string error;
    if (rc == CURLE_OK) {
      curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
      if (code < 200 || code > 299) error = "HTTP " + std::to_string(code);
    } else {
      error = t->error[0] ? t->error : curl_easy_strerror(rc);
    }
    finish(*t, static_cast<int>(code), error);
  }
}

void Deliverer::finish(const Transfer& t, int status_code, const std::string& error) {
  int64_t now = now_ms();
  store::Delivery d{t.event.seq, t.started_at, status_code, error,
                    (monotonic_us() - t.started_us) / 1000};
  if (error.empty()) {
    store_.record_delivery(d, "delivered", now);
    return;
  }
  auto next = options_.retry.next_attempt(t.event.created_at, now, t.event.attempts + 1);
  if (!next)
    spdlog::warn("webhook event {} given up after {} attempts: {}", t.event.id,
                 t.event.attempts + 1, error);
  store_.record_delivery(d, next ? "pending" : "failed", next.value_or(now));
}

}  // namespace halo::webhooks
