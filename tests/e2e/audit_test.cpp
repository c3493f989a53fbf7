// The audit story: every successful change made through the REST API reaches the org's
// Cirrus hook as an `audit_event` naming the endpoint, the actor and (for project changes)
// the repository. One table row per mutating endpoint, called in order against the real
// server; a second test checks that the table covers every mutating route the binary
// registers, so an endpoint added without an audit row fails here.
#include <functional>
#include <set>
#include <sstream>

#include "common/ssh_key.h"
#include "e2e_fixture.h"
#include "support/webhook_receiver.h"

namespace halo::test {

namespace {

// One build job; and, when the pipeline parameter `hold` is true, a workflow that holds for
// an approval.
const char* kConfig = R"(version: 2.1
parameters:
  hold: {type: boolean, default: false}
jobs:
  build:
    docker: [{image: x}]
    steps: [{run: echo building}]
workflows:
  main:
    jobs: [build]
  held:
    when: << pipeline.parameters.hold >>
    jobs:
      - hold: {type: approval}
)";

// One mutating endpoint: how to call it successfully, and what its audit event names.
struct Row {
  std::string endpoint;  // "METHOD pattern", exactly as registered and as the event names it
  std::function<HttpResponse()> call;
  long status;             // the success the call must get
  std::string repository;  // the project the event must name; "" for org-level changes
  bool audited = true;     // false only for POSTs that change nothing
};

class AuditEveryMutation : public E2E {
 protected:
  HaloServer::Options options() override {
    HaloServer::Options o;
    o.extra_args = {"--allow-http-webhooks"};
    return o;
  }

  HttpResponse call(const std::string& method, const std::string& path,
                    const json& body = nullptr) {
    return server_->client().request(
        method, path, body.is_null() ? "" : body.dump(),
        {"Circle-Token: " + server_->token(), "Content-Type: application/json"});
  }

  // What halo's audit events named, in arrival order.
  std::vector<json> audit_events() const {
    std::vector<json> out;
    for (const auto& r : rx_.requests())
      if (r.headers.count("x-cirrus-event") && r.headers.at("x-cirrus-event") == "audit_event")
        out.push_back(r.json_body());
    return out;
  }

  static std::string mutation_of(const json& event) {
    return json::parse(event["data"].get<std::string>())["mutationName"];
  }

  // The rows, in an order where each call can succeed (creations before deletions).
  std::vector<Row> rows() {
    const std::string app = "/api/v2/project/" + slug_, other = "/api/v2/project/gh/acme/other";
    return {
        {"PUT /api/v2/organization/{org-id}/cirrus-webhook",
         [=, this] {
           return call("PUT", "/api/v2/organization/" + org_ + "/cirrus-webhook",
                       {{"url", rx_.url("/cirrus")}, {"secret", "cirrus-secret-0123"}});
         },
         200, ""},
        {"POST /api/v2/project/{provider}/{organization}/{project}",
         [=, this] {
           return call("POST", other, {{"vcs_url", repo_->url()}, {"default_branch", "main"}});
         },
         201, "other"},
        {"POST /api/v2/project/{project-slug}/pipeline",
         [=, this] {
           auto r = call("POST", app + "/pipeline", json::object());
           pipeline_id_ = r.json_body().value("id", "");
           return r;
         },
         201, "app"},
        {"POST /api/v2/project/{provider}/{organization}/{project}/pipeline/run",
         [=, this] { return call("POST", app + "/pipeline/run", json::object()); }, 201, "app"},
        {"POST /api/v2/workflow/{id}/cancel",
         [=, this] {
           json workflows = server_->wait_workflows(pipeline_id_);
           workflow_id_ = workflows[0]["id"];
           json job = server_->jobs_of(workflow_id_)[0];
           job_id_ = job["id"];
           job_number_ = job["job_number"];
           return call("POST", "/api/v2/workflow/" + workflow_id_ + "/cancel");
         },
         202, "app"},
        {"POST /api/v2/project/{project-slug}/job/{job-number}/cancel",
         [=, this] {
           return call("POST", app + "/job/" + std::to_string(job_number_) + "/cancel");
         },
         202, "app"},
        {"POST /api/v2/jobs/{job-id}/cancel",
         [=, this] { return call("POST", "/api/v2/jobs/" + job_id_ + "/cancel"); }, 200, "app"},
        {"POST /api/v2/workflow/{id}/approve/{approval_request_id}",
         [=, this] {
           std::string held = call("POST", app + "/pipeline", {{"parameters", {{"hold", true}}}})
                                  .json_body()
                                  .value("id", "");
           json wf;
           EXPECT_TRUE(eventually([&] {
             json items = get("/api/v2/pipeline/" + held + "/workflow")["items"];
             for (auto& w : items)
               if (w["name"] == "held" && w["status"] == "on_hold") wf = w;
             return !wf.is_null();
           }));
           std::string hold = server_->jobs_of(wf["id"])[0]["id"];
           return call("POST",
                       "/api/v2/workflow/" + wf["id"].get<std::string>() + "/approve/" + hold);
         },
         202, "app"},
        {"POST /api/v2/workflow/{id}/rerun",
         [=, this] { return call("POST", "/api/v2/workflow/" + workflow_id_ + "/rerun"); }, 202,
         "app"},
        {"POST /api/v2/project/{project-slug}/envvar",
         [=, this] {
           return call("POST", app + "/envvar", {{"name", "FOO"}, {"value", "bar"}});
         },
         201, "app"},
        {"DELETE /api/v2/project/{project-slug}/envvar/{name}",
         [=, this] { return call("DELETE", app + "/envvar/FOO"); }, 200, "app"},
        {"POST /api/v2/project/{project-slug}/checkout-key",
         [=, this] {
           auto r = call("POST", app + "/checkout-key", {{"type", "deploy-key"}});
           fingerprint_ = r.json_body().value("fingerprint", "");
           return r;
         },
         201, "app"},
        {"DELETE /api/v2/project/{project-slug}/checkout-key/{fingerprint}",
         [=, this] { return call("DELETE", app + "/checkout-key/" + fingerprint_); }, 200, "app"},
        {"POST /api/v1.1/project/{project-slug}/ssh-key",
         [=, this] {
           auto r = call(
               "POST", "/api/v1.1/project/gh/acme/app/ssh-key",
               {{"hostname", "git.example.com"}, {"private_key", generate_ssh_key().private_pem}});
           ssh_fingerprint_ = r.json_body().value("fingerprint", "");
           return r;
         },
         201, "app"},
        {"DELETE /api/v1.1/project/{project-slug}/ssh-key",
         [=, this] {
           return call("DELETE", "/api/v1.1/project/gh/acme/app/ssh-key",
                       {{"hostname", "git.example.com"}, {"fingerprint", ssh_fingerprint_}});
         },
         200, "app"},
        {"PATCH /api/v2/project/{provider}/{organization}/{project}/settings",
         [=, this] {
           return call("PATCH", app + "/settings", {{"advanced", {{"oss", true}}}});
         },
         200, "app"},
        {"POST /api/v2/webhook",
         [=, this] {
           auto r = call("POST", "/api/v2/webhook",
                         {{"name", "ci-events"},
                          {"url", rx_.url("/hook")},
                          {"verify-tls", true},
                          {"signing-secret", "s3cret-s3cret-s3cret"},
                          {"events", {"workflow-completed"}},
                          {"scope", {{"id", project_id_}, {"type", "project"}}}});
           webhook_id_ = r.json_body().value("id", "");
           return r;
         },
         201, "app"},
        {"PUT /api/v2/webhook/{webhook-id}",
         [=, this] {
           return call("PUT", "/api/v2/webhook/" + webhook_id_, {{"name", "renamed"}});
         },
         200, "app"},
        {"DELETE /api/v2/webhook/{webhook-id}",
         [=, this] { return call("DELETE", "/api/v2/webhook/" + webhook_id_); }, 200, "app"},
        {"POST /api/v2/context",
         [=, this] {
           auto r =
               call("POST", "/api/v2/context", {{"name", "deploy"}, {"owner", {{"id", org_}}}});
           context_id_ = r.json_body().value("id", "");
           return r;
         },
         200, ""},
        {"PUT /api/v2/context/{context_id}/environment-variable/{env_var_name}",
         [=, this] {
           return call("PUT", "/api/v2/context/" + context_id_ + "/environment-variable/TOKEN",
                       {{"value", "secret"}});
         },
         200, ""},
        {"DELETE /api/v2/context/{context_id}/environment-variable/{env_var_name}",
         [=, this] {
           return call("DELETE", "/api/v2/context/" + context_id_ + "/environment-variable/TOKEN");
         },
         200, ""},
        {"POST /api/v2/context/{context_id}/restrictions",
         [=, this] {
           auto r = call("POST", "/api/v2/context/" + context_id_ + "/restrictions",
                         {{"restriction_type", "project"}, {"restriction_value", project_id_}});
           restriction_id_ = r.json_body().value("id", "");
           return r;
         },
         201, ""},
        {"DELETE /api/v2/context/{context_id}/restrictions/{restriction_id}",
         [=, this] {
           return call("DELETE",
                       "/api/v2/context/" + context_id_ + "/restrictions/" + restriction_id_);
         },
         200, ""},
        {"DELETE /api/v2/context/{context_id}",
         [=, this] { return call("DELETE", "/api/v2/context/" + context_id_); }, 200, ""},
        {"POST /api/v2/admin/users",
         [=, this] {
           auto r = call("POST", "/api/v2/admin/users",
                         {{"login", "dev"}, {"organization", "gh/acme"}, {"role", "member"}});
           user_id_ = r.json_body().value("id", "");
           return r;
         },
         201, ""},
        {"POST /api/v2/admin/users/{id}/tokens",
         [=, this] {
           auto r = call("POST", "/api/v2/admin/users/" + user_id_ + "/tokens", {{"label", "ci"}});
           token_id_ = r.json_body().value("id", "");
           return r;
         },
         201, ""},
        {"DELETE /api/v2/admin/users/{id}/tokens/{token-id}",
         [=, this] {
           return call("DELETE", "/api/v2/admin/users/" + user_id_ + "/tokens/" + token_id_);
         },
         200, ""},
        // Compiling a config reads only: a POST because the config travels in the body.
        {"POST /api/v2/compile-config-with-defaults",
         [=, this] {
           return call("POST", "/api/v2/compile-config-with-defaults", {{"config_yaml", kConfig}});
         },
         200, "", false},
        {"DELETE /api/v2/project/{project-slug}", [=, this] { return call("DELETE", other); }, 200,
         "other"},
    };
  }

  WebhookReceiver rx_;
  std::string org_, project_id_, pipeline_id_, workflow_id_, job_id_, fingerprint_,
      ssh_fingerprint_, webhook_id_, context_id_, restriction_id_, user_id_, token_id_;
  int64_t job_number_ = 0;
};

// The mutating routes `halo routes` lists ("METHOD pattern").
std::set<std::string> registered_mutations() {
  std::string out;
  EXPECT_EQ(sh(std::string(HALO_BINARY) + " routes", &out), 0) << out;
  std::set<std::string> routes;
  std::stringstream ss(out);
  for (std::string line; std::getline(ss, line);) {
    std::string method = line.substr(0, line.find(' '));
    if (method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE")
      routes.insert(line);
  }
  return routes;
}

}  // namespace

TEST_F(AuditEveryMutation, TheTableCoversEveryMutatingRoute) {
  std::set<std::string> in_table;
  for (const auto& row : rows()) EXPECT_TRUE(in_table.insert(row.endpoint).second) << row.endpoint;
  std::set<std::string> registered = registered_mutations();
  ASSERT_GT(registered.size(), 20u);
  for (const auto& route : registered)
    EXPECT_TRUE(in_table.count(route)) << route << " has no row in the audit table";
  for (const auto& endpoint : in_table)
    EXPECT_TRUE(registered.count(endpoint)) << endpoint << " is not a registered route";
}

TEST_F(AuditEveryMutation, EverySuccessfulChangeReachesTheOrgHook) {
  start_with_config(kConfig);
  json project = get("/api/v2/project/" + slug_);
  org_ = project["organization_id"];
  project_id_ = project["id"];

  for (const auto& row : rows()) {
    SCOPED_TRACE(row.endpoint);
    auto count = [&] {
      size_t n = 0;
      for (const auto& e : audit_events())
        if (mutation_of(e) == row.endpoint) ++n;
      return n;
    };
    size_t before = count();
    HttpResponse r = row.call();
    ASSERT_EQ(r.status, row.status) << r.body;
    if (!row.audited) continue;
    ASSERT_TRUE(eventually([&] { return count() > before; })) << "no audit event\n"
                                                              << server_->log();
    json event;
    for (const auto& e : audit_events())
      if (mutation_of(e) == row.endpoint) event = e;
    EXPECT_EQ(event["type"], "graphql.mutation");
    EXPECT_EQ(event["actor"]["username"], "admin");
    EXPECT_EQ(event["actorLocationIp"], "127.0.0.1");
    if (row.repository.empty()) {
      EXPECT_EQ(event["repository"], json::object());
    } else {
      EXPECT_EQ(event["repository"]["name"], row.repository);
      EXPECT_EQ(event["repository"]["owner"], "acme");
    }
  }

  // Every audited row's event has arrived (each was awaited above), so an event for a row
  // that changes nothing would be here by now.
  for (const auto& row : rows()) {
    if (row.audited) continue;
    for (const auto& e : audit_events()) EXPECT_NE(mutation_of(e), row.endpoint);
  }
}

}  // namespace halo::test
