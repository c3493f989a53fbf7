// Stories about outbound webhooks against the real `halo serve` and a real local receiver:
// managing webhooks (CRUD, validation, the 5-per-project limit, permissions), signed
// deliveries of job-completed and workflow-completed, retries of a failing receiver with
// the same event id, delivery after kill -9, and the Cirrus-style org hook with build, task
// and audit events.
#include <set>
#include <sstream>
#include <thread>

#include "common/crypto.h"
#include "e2e_fixture.h"
#include "support/webhook_receiver.h"

namespace halo::test {

namespace {

const char* kConfig = kOneBuildJob;

class Webhooks : public E2E {
 protected:
  HaloServer::Options options() override {
    HaloServer::Options o;
    o.extra_args = {"--allow-http-webhooks"};
    return o;
  }

  void SetUp() override {
    E2E::SetUp();
    start_with_config(kConfig);
    project_ = get("/api/v2/project/" + slug_);
  }

  HttpResponse call(const std::string& method, const std::string& path, const json& body = nullptr,
                    const std::string& token = "") {
    return server_->client().request(method, path, body.is_null() ? "" : body.dump(),
                                     {"Circle-Token: " + (token.empty() ? server_->token() : token),
                                      "Content-Type: application/json"});
  }

  json create(const json& body) {
    auto r = call("POST", "/api/v2/webhook", body);
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_TRUE(
        OpenApiSpec::circleci().matches_response("POST", "/api/v2/webhook", 201, r.json_body()));
    return r.json_body();
  }

  json hook_body(const std::string& url, const std::string& secret = "s3cret-s3cret-s3cret") {
    return {{"name", "ci-events"},
            {"url", url},
            {"verify-tls", true},
            {"signing-secret", secret},
            {"events", {"workflow-completed", "job-completed"}},
            {"scope", {{"id", project_["id"]}, {"type", "project"}}}};
  }

  // The delivery attempts halo recorded for the event with payload id `id`.
  std::vector<std::string> attempts_of(const std::string& id) {
    std::string out;
    sh("sqlite3 " + (server_->data_dir() / "halo.db").string() +
           " \"SELECT d.status_code FROM deliveries d JOIN outbox o ON o.seq = d.event_seq "
           "WHERE o.id = '" +
           id + "' ORDER BY d.attempted_at\"",
       &out);
    std::vector<std::string> codes;
    std::stringstream ss(out);
    for (std::string line; std::getline(ss, line);) codes.push_back(line);
    return codes;
  }

  static ReceivedRequest of_type(const std::vector<ReceivedRequest>& rs, const std::string& header,
                                 const std::string& type) {
    for (const auto& r : rs)
      if (r.headers.count(header) && r.headers.at(header) == type) return r;
    ADD_FAILURE() << "no request with " << header << ": " << type;
    return {};
  }

  json project_;
};

}  // namespace

TEST_F(Webhooks, CreateListGetUpdateDelete) {
  json w = create(hook_body("https://hooks.example.com/ci"));
  EXPECT_EQ(w["name"], "ci-events");
  EXPECT_EQ(w["url"], "https://hooks.example.com/ci");
  EXPECT_EQ(w["scope"], json({{"id", project_["id"]}, {"type", "project"}}));
  EXPECT_EQ(w["signing-secret"], "****cret");  // masked: the secret itself is never returned
  EXPECT_EQ(w["verify-tls"], true);
  std::string id = w["id"];

  json list =
      get("/api/v2/webhook?scope-id=" + project_["id"].get<std::string>() + "&scope-type=project");
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0], w);
  EXPECT_EQ(get("/api/v2/webhook/" + id), w);

  auto put = call("PUT", "/api/v2/webhook/" + id,
                  {{"name", "renamed"}, {"events", {"job-completed"}}, {"verify-tls", false}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_TRUE(OpenApiSpec::circleci().matches_response("PUT", "/api/v2/webhook/" + id, 200,
                                                       put.json_body()));
  json updated = get("/api/v2/webhook/" + id);
  EXPECT_EQ(updated["name"], "renamed");
  EXPECT_EQ(updated["events"], json({"job-completed"}));
  EXPECT_EQ(updated["verify-tls"], false);
  EXPECT_EQ(updated["url"], w["url"]);
  EXPECT_EQ(updated["signing-secret"], "****cret");

  auto del = call("DELETE", "/api/v2/webhook/" + id);
  ASSERT_EQ(del.status, 200);
  EXPECT_TRUE(OpenApiSpec::circleci().matches_response("DELETE", "/api/v2/webhook/" + id, 200,
                                                       del.json_body()));
  EXPECT_EQ(call("GET", "/api/v2/webhook/" + id).status, 404);
  EXPECT_EQ(call("DELETE", "/api/v2/webhook/" + id).status, 404);
}

TEST_F(Webhooks, EveryInvalidFieldIs400NamingItAndChangesNothing) {
  struct Case {
    std::string field;
    json value;
    std::string names;
  };
  std::vector<Case> cases = {
      {"name", "", "name"},
      {"name", 5, "name"},
      {"url", "ftp://x.example/", "url"},
      {"url", "not a url", "url"},
      {"url", "https://" + std::string(3000, 'a') + ".example/", "url"},
      {"events", json::array(), "events"},
      {"events", {"job-finished"}, "events"},
      {"events", "job-completed", "events"},
      {"verify-tls", "yes", "verify-tls"},
      {"signing-secret", 42, "signing-secret"},
      {"scope", {{"id", "not-a-uuid"}, {"type", "project"}}, "scope.id"},
      {"scope", {{"id", uuid_v4()}, {"type", "project"}}, "scope.id"},
      {"scope", {{"id", project_["id"]}, {"type", "organization"}}, "scope.type"},
      {"bogus", 1, "bogus"},
  };
  for (const auto& c : cases) {
    json body = hook_body("https://hooks.example.com/ci");
    body[c.field] = c.value;
    auto r = call("POST", "/api/v2/webhook", body);
    EXPECT_EQ(r.status, 400) << c.field << " = " << c.value.dump() << ": " << r.body;
    EXPECT_NE(r.json_body()["message"].get<std::string>().find(c.names), std::string::npos)
        << r.body;
  }
  for (const char* missing : {"name", "url", "events", "verify-tls", "signing-secret", "scope"}) {
    json body = hook_body("https://hooks.example.com/ci");
    body.erase(missing);
    auto r = call("POST", "/api/v2/webhook", body);
    EXPECT_EQ(r.status, 400) << missing;
    EXPECT_NE(r.body.find(missing), std::string::npos) << r.body;
  }
  std::string pid = project_["id"];
  EXPECT_EQ(get("/api/v2/webhook?scope-id=" + pid + "&scope-type=project")["items"].size(), 0u);

  // A rejected update leaves the webhook as it was.
  json w = create(hook_body("https://hooks.example.com/ci"));
  auto r = call("PUT", "/api/v2/webhook/" + w["id"].get<std::string>(),
                {{"name", "new-name"}, {"events", {"nope"}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(get("/api/v2/webhook/" + w["id"].get<std::string>()), w);

  // Listing needs a valid scope.
  EXPECT_EQ(call("GET", "/api/v2/webhook?scope-id=" + pid).status, 400);
  EXPECT_EQ(call("GET", "/api/v2/webhook?scope-id=x&scope-type=project").status, 400);
  EXPECT_EQ(call("GET", "/api/v2/webhook/not-a-uuid").status, 404);
  EXPECT_EQ(call("GET", "/api/v2/webhook/" + uuid_v4()).status, 404);
}

TEST_F(Webhooks, AtMostFivePerProject) {
  for (int i = 0; i < 5; ++i) create(hook_body("https://hooks.example.com/" + std::to_string(i)));
  auto r = call("POST", "/api/v2/webhook", hook_body("https://hooks.example.com/6"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("at most 5"), std::string::npos) << r.body;
  std::string pid = project_["id"];
  EXPECT_EQ(get("/api/v2/webhook?scope-id=" + pid + "&scope-type=project")["items"].size(), 5u);
}

TEST_F(Webhooks, HttpUrlsNeedTheServerFlag) {
  // This server has --allow-http-webhooks; restart it without.
  create(hook_body("http://127.0.0.1:9/hook"));
  server_->stop();
  HaloServer strict(server_->data_dir(), HaloServer::Options{});
  strict.start();
  auto r = strict.client().request(
      "POST", "/api/v2/webhook", hook_body("http://127.0.0.1:9/x").dump(),
      {"Circle-Token: " + strict.token(), "Content-Type: application/json"});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("--allow-http-webhooks"), std::string::npos) << r.body;
  strict.stop();
  server_->start();
}

TEST_F(Webhooks, MembersWhoAreNotAdminsGet403OutsidersGet404) {
  json w = create(hook_body("https://hooks.example.com/ci"));
  auto member = call("POST", "/api/v2/admin/users",
                     {{"login", "bob"}, {"organization", "gh/acme"}, {"role", "member"}});
  ASSERT_EQ(member.status, 201) << member.body;
  auto outsider =
      call("POST", "/api/v2/admin/users", {{"login", "eve"}, {"organization", "gh/other"}});
  ASSERT_EQ(outsider.status, 201) << outsider.body;
  std::string bob = member.json_body()["token"], eve = outsider.json_body()["token"];
  std::string path = "/api/v2/webhook/" + w["id"].get<std::string>();
  EXPECT_EQ(call("GET", path, nullptr, bob).status, 403);
  EXPECT_EQ(call("DELETE", path, nullptr, bob).status, 403);
  EXPECT_EQ(call("POST", "/api/v2/webhook", hook_body("https://x.example/"), bob).status, 403);
  EXPECT_EQ(call("GET", path, nullptr, eve).status, 404);
  EXPECT_EQ(call("POST", "/api/v2/webhook", hook_body("https://x.example/"), eve).status, 400);
  EXPECT_EQ(get(path), w);  // unchanged
}

TEST_F(Webhooks, DeliveriesAreSignedAndDescribeTheRun) {
  WebhookReceiver rx;
  std::string secret = "s3cret-s3cret-s3cret";
  json w = create(hook_body(rx.url("/circleci"), secret));
  std::string pipeline_id = server_->trigger(slug_)["id"];
  json wf = server_->wait_workflows(pipeline_id)[0];
  ASSERT_TRUE(rx.wait_for(2)) << server_->log();
  auto rs = rx.requests();
  for (const auto& r : rs) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/circleci");
    EXPECT_EQ(r.headers.at("content-type"), "application/json");
    EXPECT_EQ(r.headers.at("user-agent"), "CircleCI-Webhook/1.0");
    // The receiver's check: v1 = hex HMAC-SHA256 of the raw body, compared in constant time.
    ASSERT_EQ(r.headers.count("circleci-signature"), 1u);
    EXPECT_TRUE(
        equal_ct(r.headers.at("circleci-signature"), "v1=" + hmac_sha256_hex(secret, r.body)));
    EXPECT_EQ(r.json_body()["type"], r.headers.at("circleci-event-type"));
    EXPECT_EQ(r.json_body()["webhook"]["id"], w["id"]);
  }
  json job = of_type(rs, "circleci-event-type", "job-completed").json_body();
  EXPECT_EQ(job["job"]["name"], "build");
  EXPECT_EQ(job["job"]["status"], "success");
  EXPECT_EQ(job["job"]["number"], 1);
  EXPECT_EQ(job["project"]["slug"], "github/acme/app");
  EXPECT_EQ(job["pipeline"]["id"], pipeline_id);
  EXPECT_EQ(job["pipeline"]["vcs"]["revision"], sha_);
  EXPECT_EQ(job["workflow"]["id"], wf["id"]);
  json done = of_type(rs, "circleci-event-type", "workflow-completed").json_body();
  EXPECT_EQ(done["workflow"]["status"], "success");
  EXPECT_EQ(done["workflow"]["stopped_at"], wf["stopped_at"]);
  EXPECT_NE(done["id"], job["id"]);
  EXPECT_TRUE(is_uuid(done["id"].get<std::string>()));
}

TEST_F(Webhooks, AFailingReceiverGetsTheSameEventAgainAndEveryAttemptIsRecorded) {
  WebhookReceiver rx;
  rx.fail_next(2);
  json body = hook_body(rx.url());
  body["events"] = {"workflow-completed"};
  create(body);
  server_->trigger(slug_);
  ASSERT_TRUE(rx.wait_for(3, std::chrono::seconds(30))) << server_->log();
  auto rs = rx.requests();
  EXPECT_EQ(rs[0].answered, 500);
  EXPECT_EQ(rs[1].answered, 500);
  EXPECT_EQ(rs[2].answered, 200);
  EXPECT_EQ(rs[0].body, rs[2].body);  // same bytes, so the same id
  std::string id = rs[0].json_body()["id"];
  // First retry about 2 s after the failure, the next about 4 s after that.
  EXPECT_GE(rs[1].at - rs[0].at, std::chrono::milliseconds(1500));
  EXPECT_LE(rs[1].at - rs[0].at, std::chrono::milliseconds(3500));
  EXPECT_GE(rs[2].at - rs[1].at, std::chrono::milliseconds(3500));
  ASSERT_TRUE(eventually([&] { return attempts_of(id).size() == 3; }));
  EXPECT_EQ(attempts_of(id), (std::vector<std::string>{"500", "500", "200"}));
}

TEST_F(Webhooks, PendingDeliveriesSurviveKill9) {
  WebhookReceiver rx;
  rx.fail_next(1000);  // failing until we say otherwise
  create(hook_body(rx.url()));
  std::string pipeline_id = server_->trigger(slug_)["id"];
  server_->wait_workflows(pipeline_id);
  ASSERT_TRUE(rx.wait_for(2));  // both events were tried (and failed)
  std::set<std::string> ids;
  for (const auto& r : rx.requests()) ids.insert(r.json_body()["id"].get<std::string>());
  EXPECT_EQ(ids.size(), 2u);
  server_->kill9();

  rx.fail_next(0);
  size_t before = rx.count();
  server_->start();
  ASSERT_TRUE(eventually(
      [&] {
        std::set<std::string> delivered;
        for (const auto& r : rx.requests())
          if (r.answered == 200) delivered.insert(r.json_body()["id"]);
        return delivered == ids;
      },
      std::chrono::seconds(60)))
      << server_->log();
  EXPECT_GT(rx.count(), before);
}

TEST_F(Webhooks, CirrusOrgHookGetsSignedBuildTaskAndAuditEvents) {
  WebhookReceiver rx;
  std::string org = project_["organization_id"], secret = "cirrus-secret-0123";
  std::string path = "/api/v2/organization/" + org + "/cirrus-webhook";
  auto bad = call("PUT", path, {{"url", "gopher://x"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("url"), std::string::npos);
  auto put = call("PUT", path, {{"url", rx.url("/cirrus")}, {"secret", secret}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json_body()["secret"], "****0123");
  EXPECT_EQ(call("GET", path).json_body()["url"], rx.url("/cirrus"));  // not in the CircleCI spec

  std::string pipeline_id = server_->trigger(slug_)["id"];
  server_->wait_workflows(pipeline_id);
  // created (build + task), task -> EXECUTING when a runner claims it, task -> COMPLETED,
  // build -> COMPLETED, and the audit event of the trigger.
  ASSERT_TRUE(eventually([&] {
    int completed = 0;
    for (const auto& r : rx.requests())
      if (r.headers.at("x-cirrus-event") == "build" &&
          r.json_body()["build"]["status"] == "COMPLETED")
        ++completed;
    return completed == 1;
  })) << server_->log();
  auto rs = rx.requests();
  for (const auto& r : rs) {
    ASSERT_EQ(r.headers.count("x-cirrus-signature"), 1u);
    EXPECT_TRUE(equal_ct(r.headers.at("x-cirrus-signature"), hmac_sha256_hex(secret, r.body)));
    EXPECT_EQ(r.path, "/cirrus");
  }
  json created = of_type(rs, "x-cirrus-event", "build").json_body();
  EXPECT_EQ(created["action"], "created");
  EXPECT_EQ(created["repository"]["name"], "app");
  EXPECT_EQ(created["repository"]["owner"], "acme");
  EXPECT_EQ(created["build"]["changeIdInRepo"], sha_);
  EXPECT_EQ(created["task"], json::object());
  bool task_done = false;
  for (const auto& r : rs) {
    json b = r.json_body();
    if (r.headers.at("x-cirrus-event") == "task" && b["task"]["status"] == "COMPLETED") {
      task_done = true;
      EXPECT_EQ(b["action"], "updated");
      EXPECT_EQ(b["task"]["name"], "build");
      EXPECT_TRUE(b.contains("old_status"));
    }
  }
  EXPECT_TRUE(task_done);
  bool task_started = false;
  for (const auto& r : rs) {
    json b = r.json_body();
    if (r.headers.at("x-cirrus-event") == "task" && b["task"]["status"] == "EXECUTING" &&
        b["old_status"] == "SCHEDULED")
      task_started = true;
  }
  EXPECT_TRUE(task_started) << "the job's start was not reported";

  json audit;
  ASSERT_TRUE(eventually([&] {
    for (const auto& r : rx.requests())
      if (r.headers.at("x-cirrus-event") == "audit_event" &&
          r.json_body()["data"].get<std::string>().find("/pipeline") != std::string::npos)
        audit = r.json_body();
    return !audit.is_null();
  }));
  EXPECT_EQ(audit["type"], "graphql.mutation");
  EXPECT_EQ(json::parse(audit["data"].get<std::string>())["mutationName"],
            "POST /api/v2/project/{project-slug}/pipeline");
  EXPECT_EQ(audit["actor"]["username"], "admin");
  EXPECT_EQ(audit["actorLocationIp"], "127.0.0.1");
  EXPECT_EQ(audit["repository"]["name"], "app");
  EXPECT_TRUE(audit["timestamp"].is_number_integer());

  // A read is not audited; removing the hook stops events.
  size_t n = rx.count();
  get("/api/v2/project/" + slug_);
  ASSERT_EQ(call("PUT", path, {{"url", ""}}).status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(rx.count(), n);
}

}  // namespace halo::test
