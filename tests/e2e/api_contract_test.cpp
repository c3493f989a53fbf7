// Stories: authentication as CircleCI does it, error bodies, pagination, slugs.
#include "e2e_fixture.h"

namespace halo::test {

namespace {
const char* kQuick = "version: 2.1\njobs:\n  build:\n    docker: [{image: x}]\n    steps: [{run: 'true'}]\nworkflows:\n  w:\n    jobs: [build]\n";
}

TEST_F(E2E, TheThreeAuthStylesWorkAndWrongCredentialsGet401) {
  start_with_config(kQuick);
  HttpClient c = server_->client();
  const std::string& t = server_->token();
  EXPECT_EQ(c.request("GET", "/api/v2/me", "", {"Circle-Token: " + t}).status, 200);
  // HTTP Basic with the token as user name and an empty password.
  std::string basic;
  sh("printf '%s:' " + t + " | base64 -w0", &basic);
  EXPECT_EQ(c.request("GET", "/api/v2/me", "", {"Authorization: Basic " + basic}).status, 200);
  EXPECT_EQ(c.request("GET", "/api/v2/me?circle-token=" + t).status, 200);

  auto none = c.request("GET", "/api/v2/me");
  EXPECT_EQ(none.status, 401);
  EXPECT_TRUE(none.json_body()["message"].is_string());
  auto wrong = c.request("GET", "/api/v2/me", "", {"Circle-Token: nope"});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_TRUE(wrong.json_body()["message"].is_string());
  EXPECT_EQ(c.request("GET", "/api/v1.1/project/gh/acme/app/1").status, 401);

  json me = get("/api/v2/me");
  EXPECT_EQ(me["login"], "admin");
  json collabs = get("/api/v2/me/collaborations");
  ASSERT_EQ(collabs.size(), 1u);
  EXPECT_EQ(collabs[0]["slug"], "gh/acme");
  EXPECT_EQ(collabs[0]["vcs-type"], "github");
}

TEST_F(E2E, UnknownThingsAre404AndBadInputIs400WithAMessage) {
  start_with_config(kQuick);
  HttpClient c = server_->client();
  const std::string& t = server_->token();
  for (std::string path : {"/api/v2/pipeline/00000000-0000-4000-8000-000000000000",
                           "/api/v2/pipeline/not-a-uuid", "/api/v2/workflow/nope",
                           "/api/v2/project/gh/acme/nope", "/api/v2/project/gh/acme/app/job/999",
                           "/api/v2/project/gh/acme/app/pipeline/999", "/api/v2/no/such/route"}) {
    auto r = c.get(path, t);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_TRUE(r.json_body()["message"].is_string()) << path << " " << r.body;
  }
  auto h = [&](const char*) { return std::vector<std::string>{"Circle-Token: " + t}; };
  for (std::string body : {"{not json", "[1,2]", "{\"branch\": 5}", "{\"branch\": \"a\", \"tag\": \"b\"}",
                           "{\"parameters\": []}", "{\"branch\": \"../../etc\"}", "{\"extra\": 1}"}) {
    auto r = c.request("POST", "/api/v2/project/gh/acme/app/pipeline", body, h(""));
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
    EXPECT_TRUE(r.json_body()["message"].is_string()) << body;
  }
  // Nothing was created by the rejected requests.
  EXPECT_TRUE(get("/api/v2/project/gh/acme/app/pipeline")["items"].empty());

  // Repeated: the refusal races the client still sending (the server drains before closing).
  for (int i = 0; i < 5; ++i) {
    auto big = c.request("POST", "/api/v2/project/gh/acme/app/pipeline", std::string(2 * 1024 * 1024, ' '), h(""));
    EXPECT_EQ(big.status, 413);
    EXPECT_TRUE(big.json_body()["message"].is_string());
  }

  auto bad_token = c.get("/api/v2/project/gh/acme/app/pipeline?page-token=garbage!", t);
  EXPECT_EQ(bad_token.status, 400);
  EXPECT_EQ(c.request("DELETE", "/api/v2/me", "", h("")).status, 405);

  // Accept: text/plain gives pretty-printed JSON.
  auto pretty = c.request("GET", "/api/v2/me", "", {"Circle-Token: " + t, "Accept: text/plain"});
  EXPECT_EQ(pretty.status, 200);
  EXPECT_NE(pretty.body.find("\n  \"login\": \"admin\""), std::string::npos) << pretty.body;

  // Projects: creation checks its input, and slugs accept the long and escaped forms.
  EXPECT_EQ(c.post("/api/v2/project/gh/acme/other", json::object(), t).status, 400);
  EXPECT_EQ(c.post("/api/v2/project/xx/acme/other", {{"vcs_url", repo_->url()}}, t).status, 400);
  EXPECT_EQ(c.post("/api/v2/project/gh/acme/app", {{"vcs_url", repo_->url()}}, t).status, 400);
  EXPECT_EQ(get("/api/v2/project/github/acme/app")["slug"], "gh/acme/app");
  EXPECT_EQ(get("/api/v2/project/gh%2Facme%2Fapp")["slug"], "gh/acme/app");
  json project = get("/api/v2/project/gh/acme/app");
  EXPECT_EQ(project["vcs_info"]["provider"], "GitHub");
  EXPECT_EQ(project["organization_slug"], "gh/acme");
}

TEST_F(E2E, PaginationStaysCorrectWhilePipelinesArrive) {
  start_with_config(kQuick);
  for (int i = 0; i < 25; ++i) server_->trigger(slug_);
  json first = get("/api/v2/project/gh/acme/app/pipeline");
  ASSERT_EQ(first["items"].size(), 20u);
  EXPECT_EQ(first["items"][0]["number"], 25);
  ASSERT_TRUE(first["next_page_token"].is_string());
  // New pipelines arrive between pages; the next page continues where the first ended.
  for (int i = 0; i < 3; ++i) server_->trigger(slug_);
  json second = get("/api/v2/project/gh/acme/app/pipeline?page-token=" + first["next_page_token"].get<std::string>());
  ASSERT_EQ(second["items"].size(), 5u);
  EXPECT_EQ(second["items"][0]["number"], 5);
  EXPECT_EQ(second["items"][4]["number"], 1);
  EXPECT_TRUE(second["next_page_token"].is_null());

  json all = get("/api/v2/pipeline?org-slug=gh/acme");
  EXPECT_EQ(all["items"][0]["number"], 28);
  json mine = get("/api/v2/project/gh/acme/app/pipeline/mine");
  EXPECT_EQ(mine["items"].size(), 20u);
  json other_branch = get("/api/v2/project/gh/acme/app/pipeline?branch=other");
  EXPECT_TRUE(other_branch["items"].empty());
}

}  // namespace halo::test
