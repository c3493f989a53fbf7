// Stories about matrix jobs and requirements: expansion, names, exclude, alias, statuses.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace halo::config {
namespace {

using testing::compile_text;
using testing::plan_of;

const char* kJobs = R"(version: 2.1
jobs:
  test:
    parameters:
      node: {type: string}
      os: {type: enum, enum: [linux, mac], default: linux}
    docker: [{image: "node:<< parameters.node >>-<< parameters.os >>"}]
    steps: [checkout]
  deploy: {docker: [{image: a}], steps: [checkout]}
)";

std::vector<std::string> names(const Workflow& w) {
  std::vector<std::string> out;
  for (const auto& j : w.jobs) out.push_back(j.name);
  return out;
}

TEST(Matrix, ExpandsToNamedJobsMinusExclusionsAndTheAliasWaitsForAll) {
  Plan p = plan_of(std::string(kJobs) + R"(workflows:
  w:
    jobs:
      - test:
          matrix:
            parameters:
              os: [linux, mac]
              node: ["16.9.0", "18"]
            exclude:
              - {os: mac, node: "18"}
      - deploy: {requires: [test]}
)");
  const Workflow& w = p.workflows.at(0);
  EXPECT_EQ(names(w), (std::vector<std::string>{"test-16.9.0-linux", "test-16.9.0-mac",
                                                "test-18-linux", "deploy"}));
  EXPECT_EQ(w.jobs[1].job.image, "node:16.9.0-mac");
  ASSERT_EQ(w.jobs[3].requirements.size(), 3u);
  EXPECT_EQ(w.jobs[3].requirements[2].job, "test-18-linux");
}

TEST(Matrix, NamesAliasesAndRequiresUseMatrixValues) {
  Plan p = plan_of(std::string(kJobs) + R"(workflows:
  w:
    jobs:
      - test:
          name: build-<< matrix.node >>
          matrix:
            alias: builds
            parameters: {node: ["1", "2"]}
      - test:
          name: check-<< matrix.node >>
          requires: [build-<< matrix.node >>]
          matrix: {parameters: {node: ["1", "2"]}}
      - deploy: {requires: [builds]}
)");
  const Workflow& w = p.workflows.at(0);
  EXPECT_EQ(names(w),
            (std::vector<std::string>{"build-1", "build-2", "check-1", "check-2", "deploy"}));
  EXPECT_EQ(w.jobs[3].requirements.at(0).job, "build-2");
  EXPECT_EQ(w.jobs[4].requirements.size(), 2u);
}

TEST(Matrix, BadMatricesAreErrors) {
  auto r = compile_text(std::string(kJobs) + R"(workflows:
  w:
    jobs:
      - test: {matrix: {parameters: {node: []}}}
      - test: {name: x, matrix: {parameters: {node: [a]}, exclude: [{colour: red}], size: 2}}
      - test: {name: y, matrix: {parameters: {node: [a], os: [windows]}}}
)");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[0].test.matrix.parameters.node", 13, 44,
                      "matrix parameter node needs at least one value");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[1].test.matrix.exclude[0].colour", 14, 70,
                      "exclude names colour, which is not a matrix parameter");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[1].test.matrix.size", 14, 85, "unknown key size");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[2].test.matrix.parameters.os[0]", 15, 63,
                      "argument os: \"windows\" is not one of: linux, mac (for job test)");
}

TEST(Requires, StatusesTerminalAndDuplicateSuffixes) {
  Plan p = plan_of(std::string(kJobs) + R"(workflows:
  w:
    jobs:
      - deploy
      - deploy
      - deploy
      - test:
          node: "1"
          requires:
            - deploy: failed
            - deploy-1: [success, canceled]
            - deploy-2: terminal
)");
  const Workflow& w = p.workflows.at(0);
  EXPECT_EQ(names(w), (std::vector<std::string>{"deploy", "deploy-1", "deploy-2", "test"}));
  const auto& reqs = w.jobs[3].requirements;
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].statuses, (std::vector<std::string>{"failed"}));
  EXPECT_EQ(reqs[1].statuses, (std::vector<std::string>{"success", "canceled"}));
  EXPECT_EQ(reqs[2].statuses.size(), 5u);
}

TEST(Requires, UnknownJobsAndUnknownStatusesAreErrors) {
  auto r = compile_text(std::string(kJobs) + R"(workflows:
  w:
    jobs:
      - deploy: {requires: [{nowhere: success}, {deploy: done}]}
)");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[0].deploy.requires[0].nowhere", 13, 30,
                      "deploy requires nowhere, which is not a job of workflow w");
  EXPECT_CONFIG_ERROR(r, "workflows.w.jobs[0].deploy.requires[1].deploy", 13, 58,
                      "unknown status done");
}

}  // namespace
}  // namespace halo::config
