// The compile endpoint as the official CircleCI CLI calls it, and the compiled config a
// pipeline records, against a real server with a local orb directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "e2e_fixture.h"

namespace halo::test {
namespace {

const char* kOrb = R"(version: 2.1
commands:
  hello:
    parameters: {who: {type: string, default: orb}}
    steps: [{run: echo hello << parameters.who >>}]
jobs:
  greet:
    docker: [{image: alpine}]
    steps: [hello]
)";

const char* kConfig = R"(version: 2.1
orbs:
  greeter: acme/greeter@1.2.3
jobs:
  build:
    docker: [{image: alpine}]
    steps:
      - greeter/hello: {who: halo}
workflows:
  main:
    jobs: [build, greeter/greet]
)";

class Compile : public E2E {
 protected:
  void SetUp() override {
    E2E::SetUp();
    // serve's default orb directory is <data-dir>/orbs.
    auto dir = server_->data_dir() / "orbs" / "acme";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "greeter.yml") << kOrb;
    start_with_config(kConfig);
  }

  HttpResponse compile(const json& body) {
    return server_->client().post("/api/v2/compile-config-with-defaults", body, server_->token());
  }
};

TEST_F(Compile, AValidConfigComesBackProcessedWithOrbsInlined) {
  auto r = compile({{"config_yaml", kConfig},
                    {"options",
                     {{"owner_id", "acme"},
                      {"pipeline_values", {{"pipeline.git.branch", "main"}}},
                      {"pipeline_parameters", json::object()}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json_body();
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["source-yaml"], kConfig);
  EXPECT_EQ(j["errors"], json::array());
  std::string out = j["output-yaml"];
  EXPECT_NE(out.find("echo hello halo"), std::string::npos) << out;
  EXPECT_NE(out.find("greeter/greet"), std::string::npos) << out;
  EXPECT_EQ(out.find("orbs:"), std::string::npos) << out;

  // The pipeline records the same compiled text.
  json created = server_->trigger(slug_, {{"branch", "main"}});
  json config = get("/api/v2/pipeline/" + created["id"].get<std::string>() + "/config");
  EXPECT_EQ(config["source"], kConfig);
  EXPECT_EQ(config["compiled"], out);
}

TEST_F(Compile, AnInvalidConfigListsEveryErrorWithItsPosition) {
  auto r = compile({{"config_yaml",
                     "version: 2.1\norbs:\n  x: acme/missing@1.0.0\njobs:\n  b:\n"
                     "    docker: [{image: a}]\n    machine: true\n    steps: [checkout]\n"
                     "workflows:\n  w: {jobs: [b]}\n"},
                    {"options", {{"pipeline_parameters", {{"nope", 1}}}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json_body();
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["output-yaml"], "");
  std::string all;
  for (const auto& e : j["errors"]) all += e["message"].get<std::string>() + "\n";
  EXPECT_NE(all.find("orb acme/missing@1.0.0 cannot be resolved"), std::string::npos) << all;
  EXPECT_NE(all.find("jobs.b.machine (line 7, column 5): only one executor"), std::string::npos)
      << all;
  EXPECT_NE(all.find("Unexpected argument(s): nope"), std::string::npos) << all;
}

TEST_F(Compile, BadRequestsAndMissingAuthAreClientErrors) {
  auto missing = compile({{"options", json::object()}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(missing.json_body().contains("message"));
  auto bad_options = compile({{"config_yaml", "version: 2.1"}, {"options", 3}});
  EXPECT_EQ(bad_options.status, 400);
  auto anonymous = server_->client().post("/api/v2/compile-config-with-defaults",
                                          {{"config_yaml", kConfig}}, "");
  EXPECT_EQ(anonymous.status, 401);
}

}  // namespace
}  // namespace halo::test
