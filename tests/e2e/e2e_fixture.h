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
