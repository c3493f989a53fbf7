// The fixture every end-to-end test starts from: a fresh data dir, a real git repository
// with a .circleci/config.yml, and a running `halo serve` with a project for it.
#pragma once
#include <gtest/gtest.h>

#include <memory>

#include "support/openapi.h"
#include "support/test_env.h"

namespace halo::test {

// A pipeline of one job that prints "building"; for tests about what happens around jobs.
inline constexpr const char* kOneBuildJob = R"(version: 2.1
jobs:
  build:
    docker: [{image: x}]
    steps: [{run: echo building}]
workflows:
  main:
    jobs: [build]
)";

class E2E : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = std::make_unique<GitRepo>(tmp_.path() / "repo");
    server_ = std::make_unique<HaloServer>(tmp_.path() / "data", options());
  }

  virtual HaloServer::Options options() { return {}; }

  // Commits `config` as .circleci/config.yml, starts the server and creates gh/acme/app.
  void start_with_config(const std::string& config) {
    repo_->write(".circleci/config.yml", config);
    sha_ = repo_->commit("add config");
    server_->start();
    server_->create_project(slug_, repo_->url());
  }

  json get(const std::string& path) {
    auto r = server_->client().get(path, server_->token());
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    // Every successful response must match the CircleCI spec's schema.
    // (halo's own extensions under /api/v2/admin/ are not in the spec.)
    if (path.rfind("/api/v2/", 0) == 0 && path.rfind("/api/v2/admin/", 0) != 0) {
      EXPECT_TRUE(OpenApiSpec::circleci().matches_response("GET", path, 200, r.json_body()));
    }
    return r.json_body();
  }

  // POSTs `body` as the admin (or as the holder of `token`); a 2xx answer must match the spec.
  HttpResponse post(const std::string& path, const json& body = json::object(),
                    const std::string& token = "") {
    auto r = server_->client().post(path, body, token.empty() ? server_->token() : token);
    if (r.status >= 200 && r.status < 300) {
      EXPECT_TRUE(OpenApiSpec::circleci().matches_response("POST", path, r.status, r.json_body()))
          << path << ": " << r.body;
    }
    return r;
  }

  // Polls GET /workflow/{id} until its status is `status`; returns the workflow.
  json wait_workflow(const std::string& id, const std::string& status) {
    json w;
    EXPECT_TRUE(eventually([&] {
      w = server_->client().get("/api/v2/workflow/" + id, server_->token()).json_body();
      return w.value("status", "") == status;
    })) << "workflow "
        << id << " did not become " << status << ": " << w.dump();
    return w;
  }

  // The text output of action `node` of step `index` of a job (v1.1's output_url).
  std::string action_output(int64_t job_number, size_t index, size_t node = 0) {
    auto v1 = server_->client().get(
        "/api/v1.1/project/" + slug_ + "/" + std::to_string(job_number), server_->token());
    json build = v1.json_body();
    if (index >= build["steps"].size() || node >= build["steps"][index]["actions"].size()) {
      ADD_FAILURE() << "no step " << index << " node " << node << " in " << v1.body;
      return "";
    }
    std::string url = build["steps"][index]["actions"][node]["output_url"];
    return server_->client()
        .request("GET", url.substr(url.find("/api/")), "", {"Accept: text/plain"})
        .body;
  }

  // The text output of a job's first step named `name` (node 0).
  std::string step_output(int64_t job_number, const std::string& name) {
    auto v1 = server_->client().get(
        "/api/v1.1/project/" + slug_ + "/" + std::to_string(job_number), server_->token());
    json build = v1.json_body();
    for (size_t i = 0; i < build["steps"].size(); ++i)
      if (build["steps"][i]["name"] == name) return action_output(job_number, i);
    ADD_FAILURE() << "no step " << name << " in " << v1.body;
    return "";
  }

  json job_by_name(const json& jobs, const std::string& name) {
    for (auto& j : jobs)
      if (j["name"] == name) return j;
    ADD_FAILURE() << "no job " << name << " in " << jobs.dump();
    return json::object();
  }

  TempDir tmp_;
  std::unique_ptr<GitRepo> repo_;
  std::unique_ptr<HaloServer> server_;
  std::string slug_ = "gh/acme/app";
  std::string sha_;
};

}  // namespace halo::test
