// Stories: teams, roles and isolation; contexts and project variables reach jobs with the
// documented precedence; secrets are masked in output and never stored in clear.
#include <fstream>
#include <sstream>

#include "e2e_fixture.h"

namespace halo::test {

namespace {

const char* kEnvConfig = R"(version: 2.1
jobs:
  build:
    docker: [{image: x}]
    environment:
      LEVEL_JOB: job
      SHARED: from-job
    steps:
      - run:
          environment:
            SHARED_STEP: from-step
          command: |
            [ "${PROJECT_ONLY#proj-}" != "$PROJECT_ONLY" ] && echo "project variable arrived"
            [ "${CONTEXT_ONLY#ctx-}" != "$CONTEXT_ONLY" ] && echo "context variable arrived"
            [ "${OVERRIDE_ME#ctx-}" != "$OVERRIDE_ME" ] && echo "context beats project"
            [ "$SHARED" = from-job ] && echo "job beats context"
            [ "$SHARED_STEP" = from-step ] && echo "step beats all"
            [ "$CIRCLE_BRANCH" = main ] && echo "built-in beats context"
            echo "secret: $API_SECRET"
            printf '%s' "${API_SECRET:0:6}"; sleep 0.4; printf '%s\n' "${API_SECRET:6}"
workflows:
  w:
    jobs:
      - build:
          context: [deploy]
)";

struct Actor {
  std::string id, token;
};

}  // namespace

class AdminTest : public E2E {
 protected:
  Actor user(const std::string& login, const std::string& org, const std::string& role) {
    auto r = server_->client().post("/api/v2/admin/users",
                                    {{"login", login}, {"organization", org}, {"role", role}},
                                    server_->token());
    EXPECT_EQ(r.status, 201) << r.body;
    return Actor{r.json_body()["id"], r.json_body()["token"]};
  }
  HttpResponse as(const Actor& a, const std::string& method, const std::string& path,
                  const json& body = nullptr) {
    return server_->client().request(method, path, body.is_null() ? "" : body.dump(),
                                     {"Circle-Token: " + a.token});
  }
  std::string org_id() { return get("/api/v2/project/gh/acme/app")["organization_id"]; }
  std::string project_id() { return get("/api/v2/project/gh/acme/app")["id"]; }
  std::string create_context(const std::string& name) {
    auto r = server_->client().post("/api/v2/context", {{"name", name}, {"owner", {{"id", org_id()}}}},
                                    server_->token());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json_body()["id"];
  }
  void put_env(const std::string& ctx, const std::string& name, const std::string& value) {
    auto r = server_->client().request("PUT", "/api/v2/context/" + ctx + "/environment-variable/" + name,
                                       json{{"value", value}}.dump(), {"Circle-Token: " + server_->token()});
    EXPECT_EQ(r.status, 200) << r.body;
  }
  std::string output_of(const json& job) {
    int n = job["job_number"];
    json v1 = server_->client().get("/api/v1.1/project/gh/acme/app/" + std::to_string(n), server_->token()).json_body();
    std::string all;
    for (auto& s : v1["steps"])
      all += HttpClient("").request("GET", s["actions"][0]["output_url"], "", {"Accept: text/plain"}).body;
    return all;
  }
};

TEST_F(AdminTest, RolesDecideWhatEachUserMayDoAndOtherOrgsAreInvisible) {
  start_with_config("version: 2.1\njobs:\n  build:\n    docker: [{image: x}]\n    steps: [{run: sleep 30}]\nworkflows:\n  w:\n    jobs: [build]\n");
  Actor admin = user("ann", "gh/acme", "admin");
  Actor member = user("mo", "gh/acme", "member");
  Actor viewer = user("vi", "gh/acme", "viewer");
  Actor outsider = user("otto", "gh/other", "admin");
  std::string pid = server_->trigger(slug_)["id"];
  std::string wf;
  ASSERT_TRUE(eventually([&] {
    json items = get("/api/v2/pipeline/" + pid + "/workflow")["items"];
    if (items.empty()) return false;
    wf = items[0]["id"];
    return true;
  }));

  struct Case {
    std::string method, path;
    json body;
    int admin, member, viewer, outsider;
  };
  std::string ctx = create_context("ctx-for-roles");
  std::vector<Case> cases = {
      {"GET", "/api/v2/project/gh/acme/app", nullptr, 200, 200, 200, 404},
      {"GET", "/api/v2/pipeline/" + pid, nullptr, 200, 200, 200, 404},
      {"GET", "/api/v2/workflow/" + wf, nullptr, 200, 200, 200, 404},
      {"GET", "/api/v2/workflow/" + wf + "/job", nullptr, 200, 200, 200, 404},
      {"GET", "/api/v2/project/gh/acme/app/pipeline", nullptr, 200, 200, 200, 404},
      {"GET", "/api/v2/project/gh/acme/app/envvar", nullptr, 200, 200, 200, 404},
      {"GET", "/api/v2/context/" + ctx, nullptr, 200, 200, 200, 404},
      {"POST", "/api/v2/project/gh/acme/app/pipeline", json::object(), 201, 201, 403, 404},
      {"POST", "/api/v2/project/gh/acme/app/envvar", {{"name", "A"}, {"value", "b"}}, 201, 403, 403, 404},
      {"PUT", "/api/v2/context/" + ctx + "/environment-variable/X", {{"value", "y"}}, 200, 403, 403, 404},
      {"POST", "/api/v2/context", {{"name", "c2"}, {"owner", {{"slug", "gh/acme"}}}}, 200, 403, 403, 404},
      {"PATCH", "/api/v2/project/gh/acme/app/settings", {{"advanced", {{"oss", true}}}}, 200, 403, 403, 404},
      {"POST", "/api/v2/project/gh/acme/app/checkout-key", {{"type", "deploy-key"}}, 201, 403, 403, 404},
      {"POST", "/api/v2/admin/users", {{"login", "zed"}}, 403, 403, 403, 403},
  };
  int n = 0;
  for (auto& c : cases) {
    std::vector<std::pair<const Actor*, int>> who = {{&admin, c.admin}, {&member, c.member}, {&viewer, c.viewer}, {&outsider, c.outsider}};
    for (auto& [a, expected] : who) {
      json body = c.body;
      if (c.path == "/api/v2/context" && expected == 200) body["name"] = "c" + std::to_string(++n);
      auto r = as(*a, c.method, c.path, body);
      EXPECT_EQ(r.status, expected) << c.method << " " << c.path << " as " << (a == &admin ? "admin" : a == &member ? "member" : a == &viewer ? "viewer" : "outsider") << ": " << r.body;
      EXPECT_TRUE(r.json_body().is_object() || r.json_body().is_array()) << r.body;
      if (r.status >= 400) {
        EXPECT_TRUE(r.json_body()["message"].is_string()) << r.body;
      }
    }
  }
  // Cancel: viewers may not, members may; outsiders cannot even see it.
  EXPECT_EQ(as(outsider, "POST", "/api/v2/workflow/" + wf + "/cancel").status, 404);
  EXPECT_EQ(as(viewer, "POST", "/api/v2/workflow/" + wf + "/cancel").status, 403);
  EXPECT_EQ(as(member, "POST", "/api/v2/workflow/" + wf + "/cancel").status, 202);

  // Listings never leak other orgs.
  json outsider_list = as(outsider, "GET", "/api/v2/pipeline").json_body();
  EXPECT_TRUE(outsider_list["items"].empty()) << outsider_list.dump();
  json collabs = as(outsider, "GET", "/api/v2/me/collaborations").json_body();
  ASSERT_EQ(collabs.size(), 1u);
  EXPECT_EQ(collabs[0]["slug"], "gh/other");
  EXPECT_EQ(as(outsider, "GET", "/api/v2/user/" + member.id).status, 404);
  EXPECT_EQ(as(viewer, "GET", "/api/v2/user/" + member.id).status, 200);
}

TEST_F(AdminTest, TokensAreRevocableAndUsersCanBeCreatedFromTheCommandLine) {
  start_with_config("version: 2.1\njobs:\n  build:\n    docker: [{image: x}]\n    steps: [{run: 'true'}]\n");
  Actor mo = user("mo", "gh/acme", "member");
  EXPECT_EQ(as(mo, "GET", "/api/v2/me").json_body()["login"], "mo");
  json tokens = get("/api/v2/admin/users/" + mo.id + "/tokens")["items"];
  ASSERT_EQ(tokens.size(), 1u);
  auto del = server_->client().request("DELETE", "/api/v2/admin/users/" + mo.id + "/tokens/" + tokens[0]["id"].get<std::string>(),
                                       "", {"Circle-Token: " + server_->token()});
  EXPECT_EQ(del.status, 200) << del.body;
  EXPECT_EQ(as(mo, "GET", "/api/v2/me").status, 401);
  // Duplicate logins and bad roles are refused.
  EXPECT_EQ(server_->client().post("/api/v2/admin/users", {{"login", "mo"}}, server_->token()).status, 400);
  EXPECT_EQ(server_->client().post("/api/v2/admin/users", {{"login", "x"}, {"role", "god"}}, server_->token()).status, 400);
  EXPECT_EQ(server_->client().post("/api/v2/admin/users", {{"login", "x"}, {"organization", "nope"}}, server_->token()).status, 400);

  std::string out;
  ASSERT_EQ(sh(std::string(HALO_BINARY) + " user create --data-dir " + server_->data_dir().string() +
                   " --login cli-user --organization gh/acme --role viewer", &out), 0) << out;
  json created = json::parse(out.substr(out.find('{')));
  Actor cli{created["id"], created["token"]};
  EXPECT_EQ(as(cli, "GET", "/api/v2/project/gh/acme/app").status, 200);
  EXPECT_EQ(as(cli, "POST", "/api/v2/project/gh/acme/app/pipeline", json::object()).status, 403);
}

TEST_F(AdminTest, ContextAndProjectVariablesReachJobsWithPrecedenceAndAreMasked) {
  start_with_config(kEnvConfig);
  HttpClient c = server_->client();
  const std::string secret = "sk-live-0123456789abcdef";
  ASSERT_EQ(c.post("/api/v2/project/gh/acme/app/envvar", {{"name", "PROJECT_ONLY"}, {"value", "proj-only-5d1e"}}, server_->token()).status, 201);
  ASSERT_EQ(c.post("/api/v2/project/gh/acme/app/envvar", {{"name", "OVERRIDE_ME"}, {"value", "proj-override-77ab"}}, server_->token()).status, 201);
  auto created = c.post("/api/v2/project/gh/acme/app/envvar", {{"name", "API_SECRET"}, {"value", secret}}, server_->token());
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(created.json_body()["value"], "xxxxcdef");
  json listed = get("/api/v2/project/gh/acme/app/envvar")["items"];
  ASSERT_EQ(listed.size(), 3u);
  for (auto& v : listed) EXPECT_EQ(v["value"].get<std::string>().substr(0, 4), "xxxx");
  EXPECT_EQ(get("/api/v2/project/gh/acme/app/envvar/API_SECRET")["value"], "xxxxcdef");

  std::string ctx = create_context("deploy");
  put_env(ctx, "CONTEXT_ONLY", "ctx-only-91c0");
  put_env(ctx, "OVERRIDE_ME", "ctx-override-3e4f");
  put_env(ctx, "SHARED", "ctx-shared-a0a0");
  put_env(ctx, "CIRCLE_BRANCH", "ctx-branch-b1b1");
  json vars = get("/api/v2/context/" + ctx + "/environment-variable")["items"];
  ASSERT_EQ(vars.size(), 4u);
  for (auto& v : vars) EXPECT_FALSE(v.contains("value"));
  EXPECT_EQ(get("/api/v2/context?owner-slug=gh/acme")["items"][0]["name"], "deploy");

  json wf = server_->wait_workflows(server_->trigger(slug_)["id"])[0];
  ASSERT_EQ(wf["status"], "success");
  std::string out = output_of(server_->jobs_of(wf["id"])[0]);
  EXPECT_NE(out.find("project variable arrived"), std::string::npos) << out;
  EXPECT_NE(out.find("context variable arrived"), std::string::npos) << out;
  EXPECT_NE(out.find("context beats project"), std::string::npos) << out;
  EXPECT_NE(out.find("job beats context"), std::string::npos) << out;
  EXPECT_NE(out.find("step beats all"), std::string::npos) << out;
  EXPECT_NE(out.find("built-in beats context"), std::string::npos) << out;
  EXPECT_EQ(out.find(secret), std::string::npos) << "the secret leaked: " << out;
  EXPECT_EQ(out.find(secret.substr(0, 6)), std::string::npos) << "a split secret leaked: " << out;
  EXPECT_NE(out.find("secret: ********\n********\n"), std::string::npos) << out;

  // Nothing in the data directory holds a secret in clear: database, WAL, logs, keys.
  for (auto& entry : std::filesystem::recursive_directory_iterator(server_->data_dir())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(ss.str().find(secret), std::string::npos) << entry.path();
    for (const char* value : {"proj-only-5d1e", "ctx-only-91c0", "ctx-override-3e4f", "ctx-shared-a0a0"})
      EXPECT_EQ(ss.str().find(value), std::string::npos) << value << " in " << entry.path();
  }
}

TEST_F(AdminTest, ARestrictedContextMakesTheJobAndWorkflowUnauthorized) {
  start_with_config(kEnvConfig);
  std::string ctx = create_context("deploy");
  put_env(ctx, "CONTEXT_ONLY", "ctx-only-91c0");
  // Restricted to another project of the same org.
  server_->create_project("gh/acme/other", repo_->url());
  std::string other = get("/api/v2/project/gh/acme/other")["id"];
  auto r = server_->client().post("/api/v2/context/" + ctx + "/restrictions",
                                  {{"restriction_type", "project"}, {"restriction_value", other}}, server_->token());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(get("/api/v2/context/" + ctx + "/restrictions")["items"].size(), 1u);
  json wf = server_->wait_workflows(server_->trigger(slug_)["id"])[0];
  EXPECT_EQ(wf["status"], "unauthorized");
  json job = server_->jobs_of(wf["id"])[0];
  EXPECT_EQ(job["status"], "unauthorized");
  json details = get("/api/v2/project/gh/acme/app/job/" + std::to_string(job["job_number"].get<int>()));
  ASSERT_FALSE(details["messages"].empty());
  EXPECT_NE(details["messages"][0]["message"].get<std::string>().find("restricted"), std::string::npos);

  // Allowed once this project is in the restriction list.
  server_->client().post("/api/v2/context/" + ctx + "/restrictions",
                         {{"restriction_type", "project"}, {"restriction_value", project_id()}}, server_->token());
  EXPECT_EQ(server_->wait_workflows(server_->trigger(slug_)["id"])[0]["status"], "success");

  // A missing context fails the job with a message.
  EXPECT_EQ(server_->client().request("DELETE", "/api/v2/context/" + ctx, "", {"Circle-Token: " + server_->token()}).status, 200);
  json wf3 = server_->wait_workflows(server_->trigger(slug_)["id"])[0];
  EXPECT_EQ(wf3["status"], "failed");

  // Expression restrictions are evaluated against the pipeline's values.
  std::string ctx2 = create_context("main-only");
  put_env(ctx2, "CONTEXT_ONLY", "ctx-only-91c0");
  auto bad_expr = server_->client().post("/api/v2/context/" + ctx2 + "/restrictions",
                                         {{"restriction_type", "expression"}, {"restriction_value", "== =="}}, server_->token());
  EXPECT_EQ(bad_expr.status, 400) << bad_expr.body;
  ASSERT_EQ(server_->client().post("/api/v2/context/" + ctx2 + "/restrictions",
                                   {{"restriction_type", "expression"}, {"restriction_value", "pipeline.git.branch == \"main\""}},
                                   server_->token()).status, 201);
  repo_->write(".circleci/config.yml", std::string(kEnvConfig).replace(std::string(kEnvConfig).find("[deploy]"), 8, "[main-only]"));
  repo_->commit("use the main-only context");
  repo_->branch("feature");
  EXPECT_EQ(server_->wait_workflows(server_->trigger(slug_, {{"branch", "main"}})["id"])[0]["status"], "success");
  EXPECT_EQ(server_->wait_workflows(server_->trigger(slug_, {{"branch", "feature"}})["id"])[0]["status"], "unauthorized");
  repo_->checkout("main");

}

TEST_F(AdminTest, CheckoutKeysSettingsAndDeletingAProject) {
  start_with_config("version: 2.1\njobs:\n  build:\n    docker: [{image: x}]\n    steps: [{run: sleep 20}]\nworkflows:\n  w:\n    jobs: [build]\n");
  HttpClient c = server_->client();
  const std::string& t = server_->token();
  auto k = c.post("/api/v2/project/gh/acme/app/checkout-key", {{"type", "deploy-key"}}, t);
  ASSERT_EQ(k.status, 201) << k.body;
  EXPECT_TRUE(OpenApiSpec::circleci().matches_response("POST", "/api/v2/project/gh/acme/app/checkout-key", 201, k.json_body()));
  std::string fp = k.json_body()["fingerprint"];
  EXPECT_EQ(k.json_body()["public-key"].get<std::string>().rfind("ssh-rsa ", 0), 0u);
  EXPECT_TRUE(k.json_body()["preferred"]);
  EXPECT_EQ(get("/api/v2/project/gh/acme/app/checkout-key")["items"].size(), 1u);
  json sha = get("/api/v2/project/gh/acme/app/checkout-key?digest=sha256")["items"][0];
  EXPECT_EQ(sha["fingerprint"].get<std::string>().rfind("SHA256:", 0), 0u);
  EXPECT_EQ(get("/api/v2/project/gh/acme/app/checkout-key/" + fp)["fingerprint"], fp);
  EXPECT_EQ(c.post("/api/v2/project/gh/acme/app/checkout-key", {{"type", "magic"}}, t).status, 400);
  EXPECT_EQ(c.request("DELETE", "/api/v2/project/gh/acme/app/checkout-key/" + fp, "", {"Circle-Token: " + t}).status, 200);
  EXPECT_EQ(c.get("/api/v2/project/gh/acme/app/checkout-key/" + fp, t).status, 404);

  json settings = get("/api/v2/project/gh/acme/app/settings");
  EXPECT_EQ(settings["advanced"]["autocancel_builds"], false);
  for (std::string bad : {R"({"advanced": {"oss": "yes"}})", R"({"advanced": {"nope": true}})", R"({"advanced": 1})", R"({"other": {}})"}) {
    auto r = c.request("PATCH", "/api/v2/project/gh/acme/app/settings", bad, {"Circle-Token: " + t});
    EXPECT_EQ(r.status, 400) << bad;
  }
  auto patched = c.request("PATCH", "/api/v2/project/gh/acme/app/settings",
                           R"({"advanced": {"autocancel_builds": true}})", {"Circle-Token: " + t});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(get("/api/v2/project/gh/acme/app/settings")["advanced"]["autocancel_builds"], true);

  // autocancel: a newer pipeline on a feature branch cancels the older one; not on main.
  repo_->branch("feature");
  repo_->commit("feature work");
  std::string first = server_->trigger(slug_, {{"branch", "feature"}})["id"];
  std::string main1 = server_->trigger(slug_, {{"branch", "main"}})["id"];
  ASSERT_TRUE(eventually([&] { return !get("/api/v2/pipeline/" + first + "/workflow")["items"].empty(); }));
  std::string second = server_->trigger(slug_, {{"branch", "feature"}})["id"];
  json w1 = server_->wait_workflows(first)[0];
  EXPECT_EQ(w1["status"], "canceled");
  server_->trigger(slug_, {{"branch", "main"}});
  EXPECT_EQ(get("/api/v2/pipeline/" + main1 + "/workflow")["items"][0]["status"], "running");
  (void)second;

  // Deleting the project cancels its work and makes it disappear.
  auto del = c.request("DELETE", "/api/v2/project/gh/acme/app", "", {"Circle-Token: " + t});
  ASSERT_EQ(del.status, 200) << del.body;
  EXPECT_EQ(c.get("/api/v2/project/gh/acme/app", t).status, 404);
  EXPECT_EQ(c.get("/api/v2/pipeline/" + first, t).status, 404);
}

TEST_F(AdminTest, BadInputIs400NamingTheFieldAndChangesNothing) {
  start_with_config("version: 2.1\njobs:\n  build:\n    docker: [{image: x}]\n    steps: [{run: 'true'}]\n");
  HttpClient c = server_->client();
  const std::string& t = server_->token();
  auto expect_400 = [&](const HttpResponse& r, const std::string& field) {
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.json_body()["message"].get<std::string>().find(field), std::string::npos) << r.body;
  };
  expect_400(c.post("/api/v2/project/gh/acme/app/envvar", {{"name", "1BAD"}, {"value", "x"}}, t), "name");
  expect_400(c.post("/api/v2/project/gh/acme/app/envvar", {{"name", "OK"}}, t), "value");
  expect_400(c.post("/api/v2/project/gh/acme/app/envvar", {{"name", "OK"}, {"value", 5}}, t), "value");
  expect_400(c.post("/api/v2/context", {{"name", ""}, {"owner", {{"slug", "gh/acme"}}}}, t), "name");
  expect_400(c.post("/api/v2/context", {{"name", "x"}}, t), "owner");
  expect_400(c.post("/api/v2/context", {{"name", "x"}, {"owner", {{"id", "not-a-uuid"}}}}, t), "owner");
  std::string ctx = [&] {
    auto r = c.post("/api/v2/context", {{"name", "ok"}, {"owner", {{"slug", "gh/acme"}}}}, t);
    return r.json_body()["id"].get<std::string>();
  }();
  expect_400(c.post("/api/v2/context", {{"name", "ok"}, {"owner", {{"slug", "gh/acme"}}}}, t), "ok");
  expect_400(c.request("PUT", "/api/v2/context/" + ctx + "/environment-variable/bad-name", R"({"value":"v"})", {"Circle-Token: " + t}), "env_var_name");
  expect_400(c.post("/api/v2/context/" + ctx + "/restrictions", {{"restriction_type", "planet"}, {"restriction_value", "x"}}, t), "restriction_type");
  expect_400(c.post("/api/v2/context/" + ctx + "/restrictions", {{"restriction_type", "project"}, {"restriction_value", "x"}}, t), "restriction_value");
  EXPECT_EQ(c.get("/api/v2/context/00000000-0000-4000-8000-000000000000", t).status, 404);
  EXPECT_EQ(c.get("/api/v2/context?owner-slug=gh/nowhere", t).status, 404);
  EXPECT_EQ(c.request("DELETE", "/api/v2/project/gh/acme/app/envvar/NOPE", "", {"Circle-Token: " + t}).status, 404);
  // Nothing was created by the rejected requests.
  EXPECT_TRUE(get("/api/v2/project/gh/acme/app/envvar")["items"].empty());
  EXPECT_TRUE(get("/api/v2/context/" + ctx + "/environment-variable")["items"].empty());
  EXPECT_TRUE(get("/api/v2/context/" + ctx + "/restrictions")["items"].empty());
}

}  // namespace halo::test
