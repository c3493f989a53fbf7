// Stories: the deliverer POSTs outbox events to a real local receiver with the documented
// headers and a valid signature, retries a receiver that fails (same id, every attempt
// recorded), and marks events whose webhook is gone as failed.
#include "webhooks/deliverer.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/webhook_receiver.h"
#include "webhooks_test_util.h"

namespace halo::webhooks {

using testing::World;

namespace {

store::OutboxEvent event_for(const store::Webhook& h, const std::string& body) {
  store::OutboxEvent e;
  e.id = uuid_v4();
  e.kind = "circleci";
  e.target_id = h.id;
  e.event_type = "job-completed";
  e.body = body;
  e.created_at = e.next_attempt_at = now_ms();
  return e;
}

DelivererOptions fast() {
  DelivererOptions o;
  o.retry.first_delay_ms = 50;
  o.timeout_ms = 2000;
  return o;
}

bool status_is(store::Store& s, const std::string& target, const std::string& status) {
  auto events = s.events_for_target(target);
  return !events.empty() && events[0].status == status;
}

}  // namespace

TEST(Deliverer, PostsTheBodyWithCircleciHeadersAndSignature) {
  World w;
  test::WebhookReceiver rx;
  auto hook = w.webhook(rx.url("/hook"), "hunter123");
  Deliverer d(w.store, w.key, fast());
  d.start();
  w.store.insert_events({event_for(hook, "an-important-request-payload")});
  d.notify();
  ASSERT_TRUE(rx.wait_for(1));
  auto r = rx.requests()[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/hook");
  EXPECT_EQ(r.body, "an-important-request-payload");
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.headers["user-agent"], "CircleCI-Webhook/1.0");
  EXPECT_EQ(r.headers["circleci-event-type"], "job-completed");
  EXPECT_EQ(r.headers["circleci-signature"],
            "v1=9be2242094a9a8c00c64306f382a7f9d691de910b4a266f67bd314ef18ac49fa");
  ASSERT_TRUE(test::eventually([&] { return status_is(w.store, hook.id, "delivered"); }));
  auto deliveries = w.store.deliveries_of(w.store.events_for_target(hook.id)[0].seq);
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].status_code, 200);
}

TEST(Deliverer, NoSecretNoSignatureHeader) {
  World w;
  test::WebhookReceiver rx;
  auto hook = w.webhook(rx.url(), "");
  Deliverer d(w.store, w.key, fast());
  d.start();
  w.store.insert_events({event_for(hook, "{}")});
  d.notify();
  ASSERT_TRUE(rx.wait_for(1));
  EXPECT_EQ(rx.requests()[0].headers.count("circleci-signature"), 0u);
}

TEST(Deliverer, AFailingReceiverGetsTheSameEventAgainAndEveryAttemptIsRecorded) {
  World w;
  test::WebhookReceiver rx;
  rx.fail_next(2);
  auto hook = w.webhook(rx.url(), "s");
  Deliverer d(w.store, w.key, fast());
  d.start();
  auto e = event_for(hook, R"({"id":"x"})");
  w.store.insert_events({e});
  d.notify();
  ASSERT_TRUE(rx.wait_for(3));
  auto rs = rx.requests();
  EXPECT_EQ(rs[0].answered, 500);
  EXPECT_EQ(rs[1].answered, 500);
  EXPECT_EQ(rs[2].answered, 200);
  EXPECT_EQ(rs[0].body, rs[2].body);
  // Doubling waits: 50 ms, then 100 ms.
  EXPECT_GE(rs[1].at - rs[0].at, std::chrono::milliseconds(45));
  EXPECT_GE(rs[2].at - rs[1].at, std::chrono::milliseconds(95));
  ASSERT_TRUE(test::eventually([&] { return status_is(w.store, hook.id, "delivered"); }));
  auto stored = w.store.events_for_target(hook.id)[0];
  EXPECT_EQ(stored.attempts, 3);
  auto ds = w.store.deliveries_of(stored.seq);
  ASSERT_EQ(ds.size(), 3u);
  EXPECT_EQ(ds[0].status_code, 500);
  EXPECT_EQ(ds[0].error, "HTTP 500");
  EXPECT_EQ(ds[2].status_code, 200);
}

TEST(Deliverer, AReceiverThatIsDownIsRetriedUntilItComesBack) {
  World w;
  test::WebhookReceiver rx;
  rx.stop();
  auto hook = w.webhook(rx.url(), "");
  Deliverer d(w.store, w.key, fast());
  d.start();
  w.store.insert_events({event_for(hook, "{}")});
  d.notify();
  ASSERT_TRUE(test::eventually([&] {
    auto es = w.store.events_for_target(hook.id);
    return !es.empty() && es[0].attempts >= 2;
  }));
  auto ds = w.store.deliveries_of(w.store.events_for_target(hook.id)[0].seq);
  EXPECT_EQ(ds[0].status_code, 0);
  EXPECT_FALSE(ds[0].error.empty());
  rx.start();
  ASSERT_TRUE(rx.wait_for(1));
  ASSERT_TRUE(test::eventually([&] { return status_is(w.store, hook.id, "delivered"); }));
}

TEST(Deliverer, EventsOfADeletedWebhookFail) {
  World w;
  auto hook = w.webhook("https://a.example/hook", "");
  w.store.delete_webhook(hook.id);
  Deliverer d(w.store, w.key, fast());
  d.start();
  w.store.insert_events({event_for(hook, "{}")});
  d.notify();
  ASSERT_TRUE(test::eventually([&] { return status_is(w.store, hook.id, "failed"); }));
  EXPECT_EQ(w.store.events_for_target(hook.id)[0].last_error, "the webhook was deleted");
}

TEST(Deliverer, PendingEventsAreSentWhenItStarts) {
  World w;
  test::WebhookReceiver rx;
  auto hook = w.webhook(rx.url(), "");
  w.store.insert_events({event_for(hook, "1"), event_for(hook, "2")});
  Deliverer d(w.store, w.key, fast());
  d.start();
  ASSERT_TRUE(rx.wait_for(2));
}

TEST(Deliverer, NoAnswerWithinTheTimeoutIsAFailure) {
  World w;
  // A socket that accepts connections (backlog) but never answers.
  test::WebhookReceiver rx;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 8), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  auto hook = w.webhook("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/", "");
  DelivererOptions o = fast();
  o.timeout_ms = 300;
  o.retry.first_delay_ms = 60'000;
  Deliverer d(w.store, w.key, o);
  d.start();
  w.store.insert_events({event_for(hook, "{}")});
  d.notify();
  ASSERT_TRUE(test::eventually([&] {
    auto es = w.store.events_for_target(hook.id);
    return !es.empty() && es[0].attempts == 1;
  }));
  auto e = w.store.events_for_target(hook.id)[0];
  EXPECT_EQ(e.status, "pending");
  EXPECT_GE(e.next_attempt_at - now_ms(), 50'000);
  auto ds = w.store.deliveries_of(e.seq);
  EXPECT_EQ(ds[0].status_code, 0);
  EXPECT_GE(ds[0].duration_ms, 250);
  close(fd);
}

}  // namespace halo::webhooks
